"""Reading list pages in tests."""


def listed(response):
    """The objects a list page shows, in order."""
    return list(response.context["rows"])
