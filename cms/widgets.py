"""Publication fields as an editor sees them: the value as text, no choice they may not use.

``lock(form, names)`` swaps the widgets of those fields (a status, a published tick, the time
of a published article) for ones that show the value and post it back unchanged; the form
still checks the posted value (cms/publishing.py), so nothing changes by editing the page.
"""

from django.forms import (
    CheckboxInput,
    Select,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
    Widget,
)
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class _LockedMixin:
    note = gettext_lazy("Only publishers can change this.")

    def text(self, value):
        raise NotImplementedError

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        hidden = self.format_value(value)
        if isinstance(hidden, list):
            hidden = hidden[0] if hidden else ""
        # <output> is labelable: the field's label points at the value it shows.
        return format_html(
            '<output class="locked-state" id="{}">{}</output>{}<span class="locked-note">{}</span>',
            attrs.get("id", ""),
            self.text(value),
            format_html('<input type="hidden" name="{}" value="{}">', name, hidden)
            if hidden not in (None, "")
            else "",
            self.note,
        )


class LockedSelect(_LockedMixin, Select):
    """A choice shown as its label, posted back unchanged (still a Select for the forms)."""

    def text(self, value):
        return dict(self.choices).get(value, value)


class LockedCheckbox(_LockedMixin, Widget):
    """A published/draft tick shown as words, posted back unchanged.

    Read as a tick box (absent means unticked, never "left out"), but not one for the admin's
    layout, which would put the label after the words.
    """

    value_from_datadict = CheckboxInput.value_from_datadict
    value_omitted_from_data = CheckboxInput.value_omitted_from_data

    def __init__(self, on, off, attrs=None):
        super().__init__(attrs)
        self.on, self.off = on, off

    def format_value(self, value):
        return "on" if value else ""

    def text(self, value):
        return self.on if value else self.off


class LockedSplitDateTime(SplitHiddenDateTimeWidget):
    """A date and time shown as text, posted back unchanged (the time of a published article)."""

    note = _LockedMixin.note

    def id_for_label(self, id_):
        return id_  # the <output>

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if isinstance(value, (list, tuple)):  # as posted, when the form is shown again
            text = " ".join(part for part in value if part)
        elif value:
            text = formats.localize(timezone.template_localtime(value))
        else:
            text = "—"
        return format_html(
            '<output class="locked-state" id="{}">{}</output>{}<span class="locked-note">{}</span>',
            attrs.get("id", ""),
            text,
            super().render(name, value, {}, renderer),
            self.note,
        )


def lock(form, names):
    """Show the form's fields ``names`` as their values; the form still validates them."""
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        if isinstance(field.widget, SplitDateTimeWidget):
            field.widget = LockedSplitDateTime()
        elif isinstance(field.widget, CheckboxInput):
            field.widget = LockedCheckbox(
                _("Published on the site"), _("Draft (not on the site)"), field.widget.attrs
            )
        elif isinstance(field.widget, Select):
            widget = LockedSelect(field.widget.attrs)
            widget.choices = field.widget.choices
            field.widget = widget
        else:
            continue
        field.help_text = ""
