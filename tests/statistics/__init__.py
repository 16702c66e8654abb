"""The statistics page: its numbers are the directory's published data, filtered like the
project list, drawn as SVG images, downloadable as CSV and JSON; bad input is a 400."""
