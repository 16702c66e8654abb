"""No silent overwrites: a save from a form opened before someone else's save is refused.

The change form carries a hidden ``edit_token``: a hash of each stored value the form can
change, and of the rows of each inline, as they were when the form was opened (a text kept in
both languages by its columns, as the form edits them: ``title`` is ``title_en``, never the
active language's text, so the Russian and the English admin agree; cms/edit_values.py). A save
whose values were changed by someone else meanwhile is refused with a form error naming the
fields, the values they have now, and who changed them when (from the versions). Their new
values of fields the user had not touched are put into the form, so saving again keeps both
sides' work. A form posted without a token (opened before this existed) is not checked.
"""

import json

from django.contrib.admin.utils import flatten_fieldsets
from django.forms.models import _get_foreign_key
from django.utils import formats, timezone
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from reversion.models import Version

from .edit_values import (
    TokenField,
    digest,
    edit_fields,
    normal,
    put_value,
    row_text,
    shown,
    stored,
)
from .restore import restoring_from

TOKEN = "edit_token"


class EditConflictMixin:
    """Refuse a save from a form opened before someone else's save changed its values."""

    def edit_snapshot(self, request, obj):
        """{name: normalised text} of obj's editable values and of each inline's rows."""
        snapshot = {f.name: normal(f, stored(obj, f)) for f in edit_fields(self.model)}
        for inline, fk in self._inline_relations(request, obj):
            rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")
            fields = [f for f in inline.model._meta.concrete_fields if f != fk]
            snapshot[self._inline_key(fk, inline)] = ";".join(
                "|".join(normal(f, stored(row, f)) for f in fields) for row in rows
            )
        return snapshot

    def _inline_relations(self, request, obj):
        for inline in self.get_inline_instances(request, obj):
            yield inline, _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)

    @staticmethod
    def _inline_key(fk, inline):
        return "inline:" + fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")

    def edit_token(self, obj, snapshot):
        latest = Version.objects.get_for_object(obj).order_by("-pk").first()
        hashes = {name: digest(text) for name, text in snapshot.items()}
        return json.dumps({"v": latest.pk if latest else 0, "h": hashes}, separators=(",", ":"))

    def _wants_token(self, request, obj):
        return obj is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._wants_token(request, obj) or TOKEN in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": [TOKEN], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields"):
            kwargs["fields"] = [name for name in kwargs["fields"] if name != TOKEN]
        elif "fields" not in kwargs:
            fieldsets = self.get_fieldsets(request, obj)
            kwargs["fields"] = [name for name in flatten_fieldsets(fieldsets) if name != TOKEN]
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not self._wants_token(request, obj):
            return form_class
        model_admin = self

        class EditTokenForm(form_class):
            edit_token = TokenField(required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not self.is_bound and self.instance.pk is not None:
                    restore = restoring_from(request)
                    if restore is None:
                        snapshot = model_admin.edit_snapshot(request, self.instance)
                        self.initial[TOKEN] = model_admin.edit_token(self.instance, snapshot)
                    elif restore.current is not None:
                        self.initial[TOKEN] = model_admin.edit_token(
                            restore.current, restore.snapshot
                        )

            def clean(self):
                cleaned_data = super().clean()
                model_admin.check_edit_conflict(request, self)
                return cleaned_data

        return EditTokenForm

    def check_edit_conflict(self, request, form):
        posted = form.cleaned_data.get(TOKEN) or ""
        if not posted or form.instance.pk is None:
            return  # a form from before edit tokens existed
        try:
            base = json.loads(posted)
            since, hashes = int(base["v"]), dict(base["h"])
        except (ValueError, KeyError, TypeError):
            form.add_error(None, _("This form cannot be checked for later changes: reload it."))
            return
        restore = restoring_from(request)
        if restore is not None:
            if restore.current is None:
                return  # recovering a deleted object: nothing to overwrite
            current, snapshot = restore.current, restore.snapshot
        else:
            current = self._current(form.instance.pk)
            if current is None:
                form.add_error(None, _("This entry was deleted after you opened it."))
                return
            snapshot = self.edit_snapshot(request, current)
        changed = [
            name
            for name, text in snapshot.items()
            if name in hashes
            and hashes[name] != digest(text)
            and (name in form.fields or name.startswith("inline:"))
        ]
        fields = {f.name: f for f in edit_fields(self.model)}
        merged, clashes, rows = [], [], []
        for name in changed:
            if name.startswith("inline:"):
                rows.append(name)
                continue
            if name in form.cleaned_data:
                mine = normal(fields[name], form.cleaned_data[name])
                if mine == snapshot[name]:
                    continue  # they made the same change
                if restore is None and digest(mine) == hashes[name]:
                    merged.append(name)  # untouched here: take theirs
                    continue
            clashes.append(name)
        if not (merged or clashes or rows):
            return
        self._refuse(request, form, current, snapshot, since, merged, clashes, rows)

    def _refuse(self, request, form, current, snapshot, since, merged, clashes, rows):
        fields = {f.name: f for f in edit_fields(self.model)}

        def label(name):
            return str(capfirst(form.fields[name].label or fields[name].verbose_name))

        inlines = {
            self._inline_key(fk, inline): (inline, fk)
            for inline, fk in self._inline_relations(request, current)
        }
        names = [label(name) for name in [*merged, *clashes]]
        names += [str(capfirst(inlines[key][0].verbose_name_plural)) for key in rows]
        message = _(
            "Not saved: %(who)s changed this %(entry)s after you opened it, so saving would "
            "undo their work. Changed meanwhile: %(fields)s."
        ) % {
            "who": self._who_changed(current, since),
            "entry": self.model._meta.verbose_name,
            "fields": get_text_list(names, _("and")),
        }
        if merged:
            message += " " + _(
                "Their new values are now in the form where you had changed nothing (%(fields)s)."
            ) % {"fields": get_text_list([label(n) for n in merged], _("and"))}
        if clashes or rows:
            message += " " + _(
                "Where you changed something too, the form keeps your value and shows theirs."
            )
        message += " " + _("Check the form, then save again.")
        form.add_error(None, message)
        data = form.data.copy()
        for name in merged:
            put_value(form, data, name, current)
            form.add_error(
                name,
                _("Changed meanwhile to: %(value)s (now in the form).")
                % {"value": shown(current, fields[name])},
            )
        for name in clashes:
            form.add_error(
                name,
                _("Changed meanwhile to: %(value)s. Saving again keeps what the form says.")
                % {"value": shown(current, fields[name])},
            )
        for key in rows:
            inline, fk = inlines[key]
            now = inline.model._default_manager.filter(**{fk.name: current}).order_by("pk")
            form.add_error(
                None,
                _("%(rows)s now: %(value)s. Check the rows below before saving again.")
                % {
                    "rows": capfirst(inline.verbose_name_plural),
                    "value": "; ".join(row_text(row, fk) for row in now) or _("(none)"),
                },
            )
        # Saving again is checked against what is stored now.
        data[form.add_prefix(TOKEN)] = self.edit_token(current, snapshot)
        form.data = data

    def _who_changed(self, obj, since):
        versions = (
            Version.objects.get_for_object(obj)
            .filter(pk__gt=since)
            .select_related("revision__user")
            .order_by("pk")
        )
        seen = {}
        for version in versions:
            user = version.revision.user
            name = user.get_username() if user else _("someone")
            seen[name] = version.revision.date_created
        if not seen:
            when = getattr(obj, "updated_at", None)
            if when is None:
                return _("someone")
            return _("someone (%(when)s)") % {
                "when": formats.localize(timezone.template_localtime(when))
            }
        return get_text_list(
            [
                f"{name} ({formats.localize(timezone.template_localtime(when))})"
                for name, when in seen.items()
            ],
            _("and"),
        )
