"""Links that keep the current page's query string (its filters), less one parameter."""

from urllib.parse import urlencode


def query_without(query, key, value=None):
    """``query`` (a QueryDict) encoded for a link, without ``key``, or only its ``value``.

    Encoded as ``QueryDict.urlencode`` does, without copying the QueryDict first.
    """
    return urlencode(
        [
            (name, item)
            for name, items in query.lists()
            for item in items
            if name != key or (value is not None and item != value)
        ]
    )
