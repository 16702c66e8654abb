"""Downloads of every list: the page's filtered rows, all of its pages, as CSV and JSON."""
