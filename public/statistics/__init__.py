"""The statistics page: the directory counted (projects by cluster, direction and status;
budget and jobs by cluster and direction; stakeholders by kind; articles per year).

Every number comes from the published rows, filtered by the project list's own filter set
(``ProjectFilterSet``), so the filter form, its validation and its 400 answers are the list's.
Each chart is a table on the page, an SVG image drawn by pygal (``/statistics/<chart>.svg``,
served with a policy of its own: pygal styles its image with a <style> element, which an image
document may have, and it runs no script), and a download (``<chart>.csv`` / ``.json``) through
``public.downloads``. What the numbers are read from is kept for the content version, one
entry per group of charts and filter state, so the page, its images and its downloads read
the database once between them.

A value a project does not state (no budget, no jobs figure, no cluster, no status) is never
counted as zero: sums are over the projects that state a value, and the tables say how many
do not.

Modules: ``charts`` (what each chart counts, and its table), ``reading`` (the numbers read
from the database into tables), ``drawing`` (the SVG images) and ``views`` (the page and
each chart's image and downloads).
"""
