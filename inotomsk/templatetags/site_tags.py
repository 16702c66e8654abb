from django import template

from inotomsk.search import render_snippet

register = template.Library()


@register.filter
def highlight(snippet):
    """A search headline with its matches marked."""
    return render_snippet(snippet or "")


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers around the current page, with ellipses."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
