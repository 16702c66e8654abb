"""Reading list pages in tests."""


def listed(response):
    """The objects a list page shows, in order; its ``object_list`` holds their keys."""
    keys = list(response.context["object_list"])
    rows = response.context["view"].model._default_manager.in_bulk(keys)
    return [rows[key] for key in keys]
