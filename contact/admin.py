"""Contact messages in the admin: read, never written; staff set the status (new, answered,
spam) one by one or for several at once, and send the e-mail to staff again where it failed.

Who sees them (docs/editing.md, "Contact messages"): they hold visitors' names and e-mail
addresses, personal data, so the editorial roles do not; superusers and the members of the
group "Contact desk" (contact migration 0002) may view them and change their status, and only
superusers may delete one (a sender asking to be forgotten).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ContactMessage
from .tasks import send_again


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "topic", "name", "email", "status", "mail_state"]
    list_display_links = ["received_at", "topic"]
    list_filter = ["status", "mail_state", "language", "received_at"]
    search_fields = ["name", "email", "topic", "message"]
    date_hierarchy = "received_at"
    actions = ["mark_answered", "mark_spam", "mark_new", "send_mail_again"]
    # Everything but the status is as the visitor sent it. Read-only text fields are shown as
    # plain text: escaped, line breaks kept, never rendered as HTML.
    readonly_fields = [
        "received_at",
        "name",
        "email",
        "topic",
        "message",
        "language",
        "consent_text",
        "consent_version",
        "consented_at",
        "client_hash",
        "mail_state",
        "mailed_at",
    ]
    fieldsets = [
        (None, {"fields": ["status", "received_at", "name", "email", "topic", "message"]}),
        (
            _("Consent"),
            {"fields": ["consent_text", "consent_version", "consented_at"]},
        ),
        (
            _("Delivery"),
            {"fields": ["language", "mail_state", "mailed_at", "client_hash"]},
        ),
    ]

    def has_add_permission(self, request):
        return False  # messages come from the form only

    def _set_status(self, request, queryset, status):
        changed = queryset.exclude(status=status).update(status=status)
        label = ContactMessage.Status(status).label
        self.message_user(
            request,
            ngettext(
                "%(count)d message marked “%(status)s”.",
                "%(count)d messages marked “%(status)s”.",
                changed,
            )
            % {"count": changed, "status": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as answered"), permissions=["change"])
    def mark_answered(self, request, queryset):
        self._set_status(request, queryset, ContactMessage.Status.ANSWERED)

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, ContactMessage.Status.SPAM)

    @admin.action(description=_("Mark as new"), permissions=["change"])
    def mark_new(self, request, queryset):
        self._set_status(request, queryset, ContactMessage.Status.NEW)

    @admin.action(description=_("Send the e-mail to staff again"), permissions=["change"])
    def send_mail_again(self, request, queryset):
        count = send_again(queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
