from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from public.links import query_without
from public.textsearch import render_snippet

register = template.Library()


@register.filter
def highlight(snippet):
    """A search headline with its matches marked."""
    return render_snippet(snippet or "")


@register.simple_tag(takes_context=True)
def page_links(context, page_obj, page_kwarg="page"):
    """The items of a pagination bar: numbers around the current page, with ellipses.

    Each link keeps the other query parameters (the filters). Like the admin's
    ``paginator_number``, the items are built here: the query string is encoded and escaped
    once for the whole bar, where a loop of template tags would cost more than the rows.
    """
    query = query_without(context["request"].GET, page_kwarg)
    href = escape(f"?{query}&{page_kwarg}=" if query else f"?{page_kwarg}=")
    paginator, current = page_obj.paginator, page_obj.number
    label = escape(gettext("Page %(number)s"))
    items = []
    if page_obj.has_previous():
        items.append(
            f'<li><a href="{href}{current - 1}" rel="prev">{escape(gettext("Previous"))}</a></li>'
        )
    for number in paginator.get_elided_page_range(current, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append(f'<li><span class="ellipsis">{escape(number)}</span></li>')
        elif number == current:
            items.append(f'<li><span aria-current="page">{number}</span></li>')
        else:
            page_label = label % {"number": number}
            items.append(
                f'<li><a href="{href}{number}" aria-label="{page_label}">{number}</a></li>'
            )
    if page_obj.has_next():
        items.append(
            f'<li><a href="{href}{current + 1}" rel="next">{escape(gettext("Next"))}</a></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 - every part escaped above
