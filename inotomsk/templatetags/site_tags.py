from django import template
from django.utils.translation import gettext

from inotomsk.search import render_snippet

register = template.Library()


@register.filter
def highlight(snippet):
    """A search headline with its matches marked."""
    return render_snippet(snippet or "")


@register.simple_tag(takes_context=True)
def page_links(context, page_obj, page_kwarg="page"):
    """The links of a pagination bar: numbers around the current page, with ellipses.

    Each link keeps the other query parameters (the filters). Built here rather than with
    ``{% querystring %}`` per link: the query string is encoded once for the whole bar.
    """
    query = context["request"].GET.copy()
    query.pop(page_kwarg, None)
    prefix = f"?{query.urlencode()}&{page_kwarg}=" if query else f"?{page_kwarg}="
    paginator = page_obj.paginator
    numbers = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return {
        "previous": f"{prefix}{page_obj.number - 1}" if page_obj.has_previous() else "",
        "next": f"{prefix}{page_obj.number + 1}" if page_obj.has_next() else "",
        "pages": [
            {
                "number": number,
                "url": f"{prefix}{number}",
                "label": gettext("Page %(number)s") % {"number": number},
                "is_current": number == page_obj.number,
                "is_gap": number == paginator.ELLIPSIS,
            }
            for number in numbers
        ],
    }
