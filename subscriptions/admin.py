"""Subscriptions in the admin: counts and settings for staff with the permission; addresses
only for superusers, who alone may export them (as CSV)."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "topic", "language", "frequency", "confirmed_at", "last_sent_at"]
    list_filter = ["topic", "language", "frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["consent_text", "consent_version", "consented_at", "created_at"]
    actions = ["export_addresses"]

    def has_add_permission(self, request):
        return False  # only the address's owner signs up (double opt-in)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.is_superuser else [f for f in fields if f != "email"]

    def get_search_fields(self, request):
        return ["email"] if request.user.is_superuser else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("export_addresses", None)
        return actions

    @admin.action(description=_("Export the addresses (CSV)"))
    def export_addresses(self, request, queryset):
        if not request.user.is_superuser:
            return HttpResponse(status=403)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "email",
                "topic",
                "subject",
                "language",
                "frequency",
                "confirmed_at",
                "consent_version",
                "consented_at",
            ]
        )
        for row in queryset.select_related("cluster", "direction"):
            writer.writerow(
                [
                    row.email,
                    row.topic,
                    row.subject,
                    row.language,
                    row.frequency,
                    row.confirmed_at,
                    row.consent_version,
                    row.consented_at,
                ]
            )
        return response
