"""The workflow in the admin: the review step in every publishable model's admin, each
user's notifications and e-mail settings. (The content-health page and the preview-link
buttons have their own URLs, workflow/admin_urls.py.)

The content apps' admin modules are imported before this one (INSTALLED_APPS order), so
their registered classes get ``WorkflowAdminMixin`` in front here; no content admin names
the workflow.
"""

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from . import admin_views, mail
from .adapters import publishable_models
from .admin_mixin import WorkflowAdminMixin
from .models import Notification, UserPreference
from .templatetags.workflow import end_dashboards


def add_workflow(site):
    """Put ``WorkflowAdminMixin`` in front of each publishable model's registered admin."""
    for model in publishable_models():
        model_admin = site._registry.get(model)
        if model_admin is None or isinstance(model_admin, WorkflowAdminMixin):
            continue
        base = type(model_admin)
        site.unregister(model)
        site.register(
            model,
            type(
                base.__name__,
                (WorkflowAdminMixin, base),
                {"__module__": base.__module__, "__doc__": base.__doc__},
            ),
        )


add_workflow(admin.site)

# django-tasks-db's list of task results is for developers: operators read the queue on
# /healthz and /metrics, staff the e-mails that failed under Notifications.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class StaffAdmin(admin.ModelAdmin):
    """Open to all staff, each seeing their own rows (``own_rows``); users given the model's
    permissions (superusers) see and manage all of them. Nothing is added by hand."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def sees_all(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if self.sees_all(request) else self.own_rows(request, rows)

    def own_rows(self, request, rows):
        return rows.none()


@admin.register(Notification)
class NotificationAdmin(StaffAdmin):
    """Each user's notifications; the e-mails that failed, for staff who may see them all."""

    list_display = ["created_at", "kind", "recipient", "is_read", "mail_state", "mail_attempts"]
    list_filter = ["is_read", "kind", "mail_state"]
    fields = ["recipient", "kind", "actor_name", "comment", "link", "is_read"]
    fields += ["mail_state", "mail_attempts", "mail_next_at", "mailed_at", "mail_error"]
    readonly_fields = [name for name in fields if name != "is_read"]
    actions = ["mark_read", "send_again"]

    def own_rows(self, request, rows):
        return rows.filter(recipient=request.user)

    def get_urls(self):
        return [
            path(
                "read-all/",
                self.admin_site.admin_view(admin_views.read_all),
                name="workflow_notification_read_all",
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("workflow.change_notification"):
            actions.pop("send_again", None)
        return actions

    @admin.action(description=_("Mark as read"))
    def mark_read(self, request, queryset):
        count = queryset.filter(recipient=request.user).update(is_read=True)
        end_dashboards()
        self.message_user(
            request,
            ngettext(
                "%(count)d notification marked read.", "%(count)d notifications marked read.", count
            )
            % {"count": count},
        )

    @admin.action(description=_("Send the e-mail again"))
    def send_again(self, request, queryset):
        count = mail.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(UserPreference)
class UserPreferenceAdmin(StaffAdmin):
    """Each user's e-mail settings, changed by that user ("mine/" opens their own)."""

    list_display = ["user", "language", "email_enabled"]
    fields = ["language", "email_enabled"]

    def own_rows(self, request, rows):
        return rows.filter(user=request.user)

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True  # given the permission (superusers)
        return self.has_module_permission(request) and (
            obj is None or obj.user_id == request.user.pk
        )

    def get_urls(self):
        return [
            path(
                "mine/",
                self.admin_site.admin_view(admin_views.my_preference),
                name="workflow_userpreference_mine",
            ),
            *super().get_urls(),
        ]
