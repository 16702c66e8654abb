"""The content-health report as the page shows it: each finding with its entry's kind, title
(in the page's language) and the admin address to fix it."""

from django.apps import apps
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import LinkCheck

SECTIONS = [
    ("missing_text", _("Texts missing in one language")),
    ("missing_alt", _("Pictures without alt text")),
    ("review_overdue", _("Published entries past their “review by” date")),
    ("scheduled", _("Scheduled for the next 7 days")),
    ("broken_links", _("Broken outbound links")),
]
MISSING_IN = {"en": _("no English text: %(fields)s"), "ru": _("no Russian text: %(fields)s")}


def report_key(version):
    """The key of the report for a content version and the link checker's latest answers."""
    last = LinkCheck.objects.aggregate(last=Max("checked_at"))["last"]
    return f"{version}:{last.timestamp() if last else 0:.0f}"


def _field_label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field renamed since the report
        return name


def _detail(kind, model, row):
    if kind == "missing_text":
        fields = ", ".join(_field_label(model, name) for name in row.get("fields", []))
        text = MISSING_IN.get(row["language"], MISSING_IN["en"])
        return text % {"fields": fields}
    if kind == "missing_alt":
        return _field_label(model, row["field"])
    if kind == "review_overdue":
        date = parse_date(row["date"])
        return _("review by %(date)s") % {
            "date": formats.date_format(date) if date else row["date"]
        }
    if kind == "scheduled":
        at = parse_datetime(row["at"])
        return formats.localize(timezone.template_localtime(at)) if at else row["at"]
    if kind == "broken_links":
        answer = row.get("code") or row.get("error") or "?"
        checked = parse_datetime(row["checked"]) if row.get("checked") else None
        when = formats.localize(timezone.template_localtime(checked)) if checked else ""
        return _("%(url)s — answer: %(answer)s, checked %(when)s") % {
            "url": row["url"],
            "answer": answer,
            "when": when,
        }
    return ""


def report_rows(data):
    """[{"name", "title", "rows": [{"kind", "title", "url", "detail"}]}] for the template."""
    language = (get_language() or "en").split("-")[0]
    sections = []
    for name, title in SECTIONS:
        rows = []
        for row in data.get(name, []):
            try:
                model = apps.get_model(row["model"])
            except (LookupError, ValueError):
                continue
            opts = model._meta
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row["pk"]])
            except NoReverseMatch:
                url = ""
            titles = row.get("title", {})
            rows.append(
                {
                    "kind": capfirst(opts.verbose_name),
                    "title": titles.get(language) or next(iter(titles.values()), ""),
                    "url": url,
                    "detail": _detail(name, model, row),
                }
            )
        sections.append({"name": name, "title": title, "rows": rows})
    return sections
