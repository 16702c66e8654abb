"""The workflow in the admin: the review step in every publishable model's admin, and the
workflow's own pages (notifications, e-mail settings, preview links, content health).

The content apps' admin modules are imported before this one (INSTALLED_APPS order), so
their registered classes get ``WorkflowAdminMixin`` in front here; no content admin names
the workflow.
"""

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_views, mail
from .adapters import publishable_models
from .admin_mixin import WorkflowAdminMixin
from .models import HealthReport, LinkCheck, Notification, PreviewLink, Review, UserPreference


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


class StaffAdmin(admin.ModelAdmin):
    """Open to all staff, each seeing their own rows (``own_rows``); nothing added by hand."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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
    readonly_fields = ["mail_error"]
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
        from .templatetags.workflow import end_dashboards

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


@admin.register(PreviewLink)
class PreviewLinkAdmin(StaffAdmin):
    """The preview links: who made them, when, until when; revoked ones stay listed."""

    list_display = [
        "content_object",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "opened_at",
    ]
    list_filter = ["content_type"]
    actions = ["revoke"]

    def own_rows(self, request, rows):
        return rows.filter(created_by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "create/<int:type_id>/<int:object_id>/",
                view(admin_views.create_preview_link),
                name="workflow_previewlink_create",
            ),
            path(
                "<int:pk>/revoke/",
                view(admin_views.revoke_preview_link),
                name="workflow_previewlink_revoke",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Revoke"))
    def revoke(self, request, queryset):
        count = sum(admin_views.revoke(request, link) for link in queryset)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
        )


@admin.register(Review)
class ReviewAdmin(StaffAdmin):
    """Every review, by state: what waits for whom."""

    list_display = ["__str__", "state", "submitted_by", "scheduled_for", "review_by", "updated_at"]
    list_filter = ["state", "content_type"]

    def sees_all(self, request):
        return True  # states and names only; each entry opens in its own admin


@admin.register(LinkCheck)
class LinkCheckAdmin(StaffAdmin):
    """The link checker's last answer for each outbound address."""

    list_display = ["url", "host", "status_code", "ok", "error", "checked_at"]
    list_filter = ["ok"]
    search_fields = ["url", "host"]

    def sees_all(self, request):
        return True  # addresses of published texts only


@admin.register(HealthReport)
class HealthReportAdmin(StaffAdmin):
    """The content-health page (its list is the report)."""

    def sees_all(self, request):
        return True

    def changelist_view(self, request, extra_context=None):
        return admin_views.health(request, self.admin_site)

    def get_urls(self):
        return [
            path(
                "check-links/",
                self.admin_site.admin_view(admin_views.check_links_now),
                name="workflow_healthreport_check_links",
            ),
            *super().get_urls(),
        ]
