"""Documents: the file's type is read from its content, with a size limit; the list, its
filters and the download; documents on cluster and project pages."""
