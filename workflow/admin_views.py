"""The workflow's own admin pages and buttons (URLs in workflow/admin.py, all behind the
admin's log-in and CSRF checks)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from public.caching import current_version
from public.sitepages import hidden_sections

from . import machine, notify, preview
from .adapters import adapter_for, publishable_models
from .health_page import report_key, report_rows
from .models import HealthReport, Notification, PreviewLink, UserPreference
from .tasks import check_links, compute_health
from .templatetags.workflow import end_dashboards
from .worker import uses_database_queue


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@require_POST
def read_all(request):
    Notification.objects.filter(recipient=request.user, is_read=False).update(is_read=True)
    end_dashboards()
    return _back(request, reverse("admin:index"))


def my_preference(request):
    """The user's own e-mail settings, made on first visit."""
    preference, _created = UserPreference.objects.get_or_create(
        user=request.user, defaults={"language": request.LANGUAGE_CODE or settings.LANGUAGE_CODE}
    )
    return redirect("admin:workflow_userpreference_change", preference.pk)


def _entry(type_id, object_id):
    content_type = get_object_or_404(ContentType, pk=type_id)
    model = content_type.model_class()
    if model not in publishable_models():
        raise Http404
    return get_object_or_404(model._default_manager, pk=object_id)


def may_link(user, obj):
    """Publishers of its kind, and its author, make preview links of a draft."""
    review = machine.review_of(obj)
    if not machine.may_change(user, type(obj)) and not machine.may_publish(user, type(obj)):
        return False
    return machine.may_publish(user, type(obj)) or notify.author_of(obj, review) == user


@require_POST
def create_preview_link(request, type_id, object_id):
    obj = _entry(type_id, object_id)
    if not may_link(request.user, obj):
        raise PermissionDenied
    change_url = notify.admin_link(obj)
    if adapter_for(type(obj)).is_public(obj) or not preview.can_preview(obj):
        messages.error(request, _("Preview links are for drafts that have a page of their own."))
        return HttpResponseRedirect(change_url)
    try:
        days = int(request.POST.get("_preview_days", preview.DEFAULT_DAYS))
    except ValueError:
        days = 0
    if not 1 <= days <= preview.MAX_DAYS:
        messages.error(
            request,
            _("A preview link lasts from 1 to %(max)d days.") % {"max": preview.MAX_DAYS},
        )
        return HttpResponseRedirect(change_url)
    link, token = preview.make_link(obj, request.user, days)
    address = request.build_absolute_uri(reverse("workflow:preview", args=[token]))
    response = TemplateResponse(
        request,
        "admin/workflow/preview_link_created.html",
        {
            "title": _("Preview link made"),
            "link": link,
            "address": address,
            "entry": obj,
            "change_url": change_url,
            "site_header": _("INO Tomsk: content management"),
        },
    )
    # Shown once: never kept, never sent on as a referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def revoke(request, link):
    """Revoke link if the user may (its maker, a publisher, the entry's author)."""
    if link.revoked_at is not None:
        return False
    obj = link.content_object
    allowed = link.created_by_id == request.user.pk or (
        obj is not None and may_link(request.user, obj)
    )
    if not allowed:
        return False
    link.revoked_at, link.revoked_by = timezone.now(), request.user
    link.save(update_fields=["revoked_at", "revoked_by"])
    return True


@require_POST
def revoke_preview_link(request, pk):
    link = get_object_or_404(PreviewLink, pk=pk)
    if not revoke(request, link) and link.revoked_at is None:
        raise PermissionDenied
    messages.success(request, _("The preview link is revoked: it now answers “not found”."))
    obj = link.content_object
    return _back(request, notify.admin_link(obj) if obj else reverse("admin:index"))


def health(request, site):
    """The content-health page: the report of the current content version, computed by a
    task when missing (the last one is shown meanwhile)."""
    version = report_key(current_version().id)
    report, created = HealthReport.objects.get_or_create(version=version)
    if created:
        try:
            compute_health.enqueue(version)
        except Exception:  # noqa: BLE001 - the page shows the last report instead
            messages.error(request, _("The check could not be started; try again later."))
        report.refresh_from_db()
    shown = report
    if report.computed_at is None:
        shown = HealthReport.objects.exclude(computed_at=None).order_by("-computed_at").first()
    context = {
        **site.each_context(request),
        "title": _("Content health"),
        "report": shown,
        "pending": report.computed_at is None,
        "sections": report_rows(shown.data if shown else {}),
        "hidden_sections": hidden_sections(request.user),
        # Checked inline in immediate mode would hold the request: the worker's job then.
        "can_check_links": uses_database_queue(),
    }
    return TemplateResponse(request, "admin/workflow/health.html", context)


@require_POST
def check_links_now(request):
    if not request.user.is_staff or not uses_database_queue():
        raise PermissionDenied
    check_links.enqueue()
    messages.success(
        request, _("The links are being checked; the page shows the answers when done.")
    )
    return redirect("workflow_admin:health")
