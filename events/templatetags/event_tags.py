"""Events shown on other pages: the home page's upcoming events, and the events linked to a
cluster, project, stakeholder or article. One query each, whatever the number of events."""

from django import template

from events.models import Event

register = template.Library()

HOME_EVENTS = 3
LINKED_EVENTS = 5


@register.simple_tag
def upcoming_events(limit=HOME_EVENTS):
    """The soonest upcoming published events."""
    return list(Event.objects.published().upcoming().for_cards().order_by("start", "id")[:limit])


@register.simple_tag
def events_linked(obj, relation, limit=LINKED_EVENTS):
    """The published events linked to ``obj`` through ``relation`` (``clusters``,
    ``projects``, ``stakeholders``, ``articles``): upcoming first, then the past; one more
    than shown, so that the page knows whether there are more."""
    if obj is None or obj.pk is None:
        return []
    events = Event.objects.published().for_cards().filter(**{relation: obj})
    return list(events.in_calendar_order()[: limit + 1])
