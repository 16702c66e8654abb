"""The whole-page cache: anonymous pages come from the cache until content changes."""
