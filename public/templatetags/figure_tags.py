"""The stated figures' numbers, written as the key facts show them."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def part_value(value, unit="", minimum=False):
    """One part of a figure: "over 65 %", its words joined by no-break spaces so that a number
    never stands apart from its unit."""
    words = [gettext("over")] if minimum else []
    words.append(floatformat(value, "-2g"))
    if unit:
        words.append(unit)
    return mark_safe("&nbsp;".join(conditional_escape(word) for word in words))  # noqa: S308
