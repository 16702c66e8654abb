"""The events section: the list (upcoming first, then the past), an event's page, and the
calendar files (iCalendar, RFC 5545): one per event and a feed of the upcoming events.

The event filters are ``public.listing.lists.EventFilterSet``, for the list, the calendar feed
and the API.
"""

import html
from datetime import UTC, timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from cms.richtext import plain_html
from events.models import Event
from news.models import Article
from portal.publishing import published_related

from .base import PublishedDetailView, reject_nul_bytes
from .caching import current_version
from .links import query_without
from .listing import Listing, parse_query, refusals
from .listing.lists import EventFilterSet
from .listing.views import ListingView

# The calendar feed lists at most this many upcoming events (the soonest).
FEED_LIMIT = 500
PRODUCT_ID = "-//INO Tomsk//Events//EN"


def calendar_listing(request):
    """The listing of the events the request's filters select; a value the list would drop
    is refused (400): a calendar of every event is not what was subscribed to."""
    reject_nul_bytes(request)
    query = parse_query(EventFilterSet, request.GET)
    if query.refused:
        refusals.refuse(query.refused, _("The calendar was not made: %(errors)s"))
    return Listing(EventFilterSet, query)


class EventListView(ListingView):
    filterset_class = EventFilterSet
    template_name = "events/event_list.html"
    section = "events"
    title = gettext_lazy("Events")
    page_description = gettext_lazy(
        "Forums, meetings and calls of the INO Tomsk programme: upcoming events first, then the "
        "past ones."
    )

    def row_queryset(self):
        return Event.objects.published().for_cards()

    def order_rows(self, rows):
        return rows.in_calendar_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The calendar feed takes the same filters: these events, in a calendar app.
        query = query_without(self.request.GET, self.page_kwarg)
        context["calendar_url"] = reverse("events:calendar") + (f"?{query}" if query else "")
        now = timezone.now()
        rows = context["rows"]
        for row in rows:
            row.is_over = row.end < now
        # A heading wherever the list turns from the upcoming events to the past ones.
        context["upcoming_rows"] = [row for row in rows if not row.is_over]
        context["past_rows"] = [row for row in rows if row.is_over]
        return context


class EventDetailView(PublishedDetailView):
    model = Event
    template_name = "events/event_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                *(published_related(Event, n) for n in ("clusters", "projects", "stakeholders")),
                published_related(Event, "articles", queryset=Article.objects.for_cards()),
            )
        )


# iCalendar ----------------------------------------------------------------------------------


def plain_text(markdown):
    """Markdown as the plain text a calendar shows (icalendar escapes it)."""
    text = html.unescape(plain_html(markdown)).replace("\xa0", " ")
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def calendar_entry(event, request):
    """The VEVENT of an event, its texts in the page's language."""
    entry = CalendarEvent()
    entry.add("uid", f"inotomsk-event-{event.pk}")
    entry.add("dtstamp", event.updated_at.astimezone(UTC))
    entry.add("created", event.created_at.astimezone(UTC))
    entry.add("last-modified", event.updated_at.astimezone(UTC))
    if event.all_day:
        # Whole days; the end of an all-day entry is the day after its last (RFC 5545 3.6.1).
        entry.add("dtstart", event.local_start.date())
        entry.add("dtend", event.local_end.date() + timedelta(days=1))
    else:
        entry.add("dtstart", event.start.astimezone(UTC))
        entry.add("dtend", event.end.astimezone(UTC))
    entry.add("summary", event.title)
    page = request.build_absolute_uri(event.get_absolute_url())
    parts = [plain_text(event.description)] if event.description else []
    if event.url:
        parts.append(_("Registration and details: %(url)s") % {"url": event.url})
    parts.append(page)
    entry.add("description", "\n\n".join(parts))
    if event.place:
        entry.add("location", event.place)
    entry.add("url", page)
    return entry


def calendar(name):
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def calendar_response(cal, filename=None):
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Last-Modified"] = http_date(current_version().started_at.timestamp())
    return response


@require_safe
def event_calendar(request, slug):
    """One published event as an .ics file."""
    reject_nul_bytes(request)
    event = get_object_or_404(Event.objects.published().for_cards(), slug=slug)
    cal = calendar(event.title)
    cal.add_component(calendar_entry(event, request))
    return calendar_response(cal, filename=f"{event.slug}.ics")


@require_safe
def events_calendar(request):
    """The upcoming published events (the list's filters apply, e.g. ``?cluster=<slug>``),
    as a calendar to subscribe to."""
    listing = calendar_listing(request)
    names = listing.query.labels
    name = _("INO Tomsk events")
    if names:
        name = _("INO Tomsk events: %(filters)s") % {"filters": ", ".join(names)}
    cal = calendar(name)
    rows = listing.filtered().upcoming().order_by("start", "id")[:FEED_LIMIT]
    for event in Event.objects.for_cards().filter(pk__in=rows).order_by("start", "id"):
        cal.add_component(calendar_entry(event, request))
    return calendar_response(cal)
