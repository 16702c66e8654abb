"""Admin sentences that name a model, grammatical in Russian.

Django builds them from the model's name as it is: "Добавить %(name)s" gives "Добавить
статья", "%(name)s «%(obj)s» был успешно добавлен" gives "статья … был успешно добавлен".
Here every registered model has the forms Russian needs (``NOUNS``, cms/nouns.py, declared by
each app on its AppConfig): the accusative and genitive, singular and plural, as translations
of its English name in the contexts "accusative", "genitive", "accusative plural" and
"genitive plural"; a count phrase ("3 статьи", "5 статей") per model; and the grammatical
gender with animacy, which chooses the context of the sentences whose words agree with the
name (``SENTENCES``: "добавлена", "добавлено", "выбранных участников"). In English every
context returns Django's own wording.

``GrammarAdminMixin`` puts them into the titles of the list, add, change, view and delete
pages, the add button and breadcrumbs (cms/templates/admin/), the success and error messages, the
bulk deletion and its confirmation. ``EditorAdminSite.register`` mixes it into every
ModelAdmin of the site; tests/admin_grammar/ checks every registered model against a
table of the expected Russian sentences.
"""

from functools import cache

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .nouns import NOUNS

# The sentences, each translated once per gender context (locale/ru: добавлен, добавлена …).
ADDED = "The {name} “{obj}” was added successfully."
CHANGED = "The {name} “{obj}” was changed successfully."
DELETED = "The {name} “{obj}” was deleted successfully."
MISSING = "The {name} with ID “{key}” doesn’t exist. Perhaps it was deleted?"
ADD_ANOTHER = "You may add another {name} below."
DELETE_SELECTED = "Delete selected {name}"
SENTENCES = (ADDED, CHANGED, DELETED, MISSING, ADD_ANOTHER, DELETE_SELECTED)


def noun_of(opts):
    return NOUNS.get(opts.label_lower)


def sentence(noun, text, **values):
    """``text`` in ``noun``'s gender context, with its first letter capital (Russian puts the
    name first: "Статья «…» успешно добавлена")."""
    return mark_safe(capfirst(format_html(pgettext(noun.gender, text), **values)))  # noqa: S308


class GrammarAdminMixin:
    """Titles, buttons and messages with the model's name in the case Russian needs."""

    def _noun(self):
        return noun_of(self.opts)

    def changelist_view(self, request, extra_context=None):
        noun = self._noun()
        if noun is not None:
            title = _("Select %s to change") if self.has_change_permission(request) else None
            title = title or _("Select %s to view")
            extra_context = {
                "title": title % noun.accusative(),
                "add_label": _("Add %(name)s") % {"name": noun.accusative()},
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        noun = self._noun()
        if noun is not None:  # cms/templates/admin/pagination.html: "5 статей"
            changelist.count_label = noun.count(changelist.result_count)
        return changelist

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        noun = self._noun()
        if noun is not None:
            if add:
                title = _("Add %s")
            elif self.has_change_permission(request, obj):
                title = _("Change %s")
            else:
                title = _("View %s")
            # Only Django's own title; a version's page keeps its own ("Revert …").
            if context.get("title") == title % self.opts.verbose_name:
                context["title"] = title % noun.accusative()
            context["add_label"] = _("Add %(name)s") % {"name": noun.accusative()}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_delete_form(self, request, context):
        noun = self._noun()
        if noun is not None:
            if context.get("perms_lacking") or context.get("protected"):
                context["title"] = _("Cannot delete %(name)s") % {"name": noun.accusative()}
            else:
                context["title"] = pgettext("admin grammar", "Delete %s") % noun.accusative()
            context["object_name"] = noun.accusative()
            context["object_name_genitive"] = noun.genitive()
        return super().render_delete_form(request, context)

    # Messages: Django's response_* send one success message each; it is replaced by the
    # grammatical one (message_user below), the redirects stay Django's.

    def response_add(self, request, obj, post_url_continue=None):
        request._admin_grammar = ("added", obj)
        try:
            return super().response_add(request, obj, post_url_continue)
        finally:
            del request._admin_grammar

    def response_change(self, request, obj):
        request._admin_grammar = ("changed", obj)
        try:
            return super().response_change(request, obj)
        finally:
            del request._admin_grammar

    def response_delete(self, request, obj_display, obj_id):
        request._admin_grammar = ("deleted", obj_display)
        try:
            return super().response_delete(request, obj_display, obj_id)
        finally:
            del request._admin_grammar

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        event = getattr(request, "_admin_grammar", None)
        noun = self._noun()
        if event is not None and noun is not None and level == messages.SUCCESS:
            request._admin_grammar = None  # one message per response
            message = self._grammatical_message(request, noun, *event)
        return super().message_user(request, message, level, *args, **kwargs)

    def _grammatical_message(self, request, noun, kind, obj):
        name = self.opts.verbose_name
        if kind == "deleted":
            return sentence(noun, DELETED, name=name, obj=obj)
        if kind == "bulk-deleted":
            return pgettext("admin grammar", "Deleted: %(items)s.") % {"items": noun.count(obj)}
        if kind == "added" and self.has_change_permission(request, obj):
            url = reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(quote(obj.pk),),
            )
            shown = format_html('<a href="{}">{}</a>', url, obj)
        elif kind == "added":
            shown = str(obj)
        else:
            shown = format_html('<a href="{}">{}</a>', request.path, obj)
        message = sentence(noun, ADDED if kind == "added" else CHANGED, name=name, obj=shown)
        if "_addanother" in request.POST:
            more = sentence(noun, ADD_ANOTHER, name=noun.accusative())
        elif "_continue" in request.POST or "_saveasnew" in request.POST:
            more = pgettext("admin grammar", "You may edit it again below.")
        else:
            return message
        return format_html("{} {}", message, more)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        noun = noun_of(opts)
        if noun is None:
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        message = sentence(noun, MISSING, name=opts.verbose_name, key=unquote(object_id))
        self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))

    def get_actions(self, request):
        actions = super().get_actions(request)
        noun = self._noun()
        if noun is not None and "delete_selected" in actions:
            function, name, _description = actions["delete_selected"]
            # get_action_choices() formats the description with %: keep it free of them.
            label = sentence(noun, DELETE_SELECTED, name=noun.accusative_plural())
            actions["delete_selected"] = (
                _grammatical_bulk_delete(function),
                name,
                label.replace("%", "%%"),
            )
        return actions


@cache
def _grammatical_bulk_delete(function):
    """Django's delete_selected, with the model's name in the case of its sentences."""

    def delete_selected(modeladmin, request, queryset):
        noun = modeladmin._noun()
        count = queryset.count() if request.POST.get("post") else 0
        request._admin_grammar = ("bulk-deleted", count)
        try:
            response = function(modeladmin, request, queryset)
        finally:
            request._admin_grammar = None
        if isinstance(response, TemplateResponse) and response.context_data:
            data = response.context_data
            # "Удалить статьи?" but "Удаление статей потребует …".
            lacking = data.get("perms_lacking") or data.get("protected")
            data["objects_name"] = noun.genitive_plural() if lacking else noun.accusative_plural()
        return response

    delete_selected.allowed_permissions = getattr(function, "allowed_permissions", ())
    delete_selected.short_description = getattr(function, "short_description", "")
    return delete_selected


@cache
def grammatical(admin_class):
    """``admin_class`` with ``GrammarAdminMixin`` (once, whatever the registrations)."""
    if issubclass(admin_class, GrammarAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (GrammarAdminMixin, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )
