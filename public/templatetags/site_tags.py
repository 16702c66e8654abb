from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from cms.translated import main_field, text_language
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
    # Outside the f-strings, where makemessages finds them.
    previous_label, next_label = escape(gettext("Previous")), escape(gettext("Next"))
    items = []
    if page_obj.has_previous():
        items.append(f'<li><a href="{href}{current - 1}" rel="prev">{previous_label}</a></li>')
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
        items.append(f'<li><a href="{href}{current + 1}" rel="next">{next_label}</a></li>')
    return mark_safe("".join(items))  # noqa: S308 - every part escaped above


# Texts kept in both languages (cms/translated.py): where the page's language has none,
# the other language's text is shown, marked with its own ``lang`` and a visible note.
LANGUAGE_NOTES = {
    # Translators: shown beside a text that has no translation into the page's language.
    "en": gettext_lazy("in English only"),
    # Translators: shown beside a text that has no translation into the page's language.
    "ru": gettext_lazy("in Russian only"),
}


def _text_language(obj, field):
    if obj is None or isinstance(obj, str):
        return None
    return text_language(obj, field or main_field(type(obj)))


@register.simple_tag
def lang_attr(obj, field=None):
    """`` lang="en"`` for an element showing ``obj.<field>`` (its name or title by default)
    in the other language, else nothing."""
    language = _text_language(obj, field)
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag
def lang_note(obj, field=None):
    """Nothing: ``tr`` now carries the note itself. Kept so that a template still calling it
    after ``tr`` (as all did) shows the note once."""
    return ""


@register.simple_tag
def language_note(language):
    """The note of a text in ``language`` (None: the page's own, no note)."""
    if not language:
        return ""
    return format_html(
        ' <span class="lang-note">({})</span>', LANGUAGE_NOTES.get(language, language)
    )


SHORT_NOTES = {
    # Translators: the short form of "in English only", beside an option of a filter.
    "en": gettext_lazy("Eng."),
    # Translators: the short form of "in Russian only", beside an option of a filter.
    "ru": gettext_lazy("Rus."),
}


@register.simple_tag
def in_lang(text, language):
    """``text`` in an element of its own language where that is not the page's, with a short
    visible note (the full one for screen readers): options of filters and their chips."""
    if not language:
        return text
    return format_html(
        '<span lang="{}">{}</span> <span class="lang-note"><span aria-hidden="true">({})</span>'
        '<span class="visually-hidden">({})</span></span>',
        language,
        text,
        SHORT_NOTES.get(language, language),
        LANGUAGE_NOTES.get(language, language),
    )


@register.filter
def tr(obj, field=None):
    """``obj.<field>`` (``str(obj)`` without a field); where it is shown in the other language
    for want of a translation, in an element of its own language followed by the visible note
    ("in English only"), so that every such text on a page is marked."""
    text = getattr(obj, field) if field else str(obj)
    language = _text_language(obj, field)
    if not language:
        return text
    return format_html('<span lang="{}">{}</span>{}', language, text, language_note(language))


@register.filter
def linked(row, field):
    """The entry a relation row points to (``membership|linked:"cluster"``), so that one
    include lists a project's stakeholders, a cluster's members and a stakeholder's projects
    and clusters, each with its role."""
    return getattr(row, field)
