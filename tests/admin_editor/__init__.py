"""The admin as editors meet it (cms/site.py, cms/editing.py): branding, headline inputs, thumbnails,
the Markdown preview, no choice an editor may not use, publishing sets the time, the status
column and filter, readable inline labels, and the home page's lists."""
