"""Open data: the data sets the portal publishes, each with its "passport" (as the open data
sections of Russian government sites describe theirs), and the /open-data/ page.

A data set is one public list (news, projects, stakeholders, parks, ...): its rows are that
list's, downloaded as CSV or JSON from the list page itself (``public.downloads``), with the
columns defined here. The same definitions describe the columns on the open data page, so the
documentation cannot drift from the files.

Modules: ``terms`` (licence, publisher, row limit), ``columns`` (what a data set and a column
are, and the columns several share), ``core`` (news, projects, stakeholders, parks),
``later`` (the data sets of the apps that came later), ``registry`` (every data set, and when
each last changed) and ``views`` (the /open-data/ page).
"""
