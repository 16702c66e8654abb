"""The read-only API (/api/v1/): what each endpoint shows, the HTML lists' filters, cursor
pages, languages, and what it refuses."""
