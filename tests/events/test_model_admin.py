"""The event model's rules, and the admin's roles for events (as for articles)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Version

from cms.roles import EDITORS, PUBLISHERS
from events.models import Event

from .helpers import MOSCOW, TOMSK, event

pytestmark = pytest.mark.django_db


# The model ----------------------------------------------------------------------------------


def test_the_end_may_not_come_before_the_start():
    start = datetime(2027, 3, 1, 10, tzinfo=TOMSK)
    wrong = Event(title="Backwards", slug="backwards", start=start, end=start - timedelta(1))
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "end" in error.value.message_dict
    # The database holds the rule too, for writes that skip validation.
    with pytest.raises(IntegrityError), transaction.atomic():
        wrong.save()
    # A point in time (start == end) is allowed.
    Event(title="Instant", slug="instant", start=start, end=start).full_clean()


def test_time_zone_must_be_a_zone_name():
    start = timezone.now()
    bad = Event(title="T", slug="t", start=start, end=start, time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "time_zone" in error.value.message_dict
    assert Event(title="T", slug="t2", start=start, end=start).time_zone == "Asia/Tomsk"


def test_an_all_day_event_covers_whole_days_of_its_zone():
    # Entered as any time of the days, kept as 00:00 of the first to 23:59:59 of the last.
    obj = event(
        all_day=True,
        time_zone="Europe/Moscow",
        start=datetime(2027, 5, 3, 15, 30, tzinfo=MOSCOW),
        end=datetime(2027, 5, 4, 9, tzinfo=MOSCOW),
    )
    obj.refresh_from_db()
    assert obj.local_start == datetime(2027, 5, 3, 0, 0, tzinfo=MOSCOW)
    assert obj.local_end == datetime(2027, 5, 4, 23, 59, 59, tzinfo=MOSCOW)
    obj.save()  # the same however often it is saved
    obj.refresh_from_db()
    assert obj.local_start == datetime(2027, 5, 3, 0, 0, tzinfo=MOSCOW)


# The admin: the article's rules --------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eve", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("pat", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def event_form(**overrides):
    data = {
        "title": "Cluster day",
        "slug": "cluster-day",
        "status": "draft",
        "start_0": "2027-04-10",
        "start_1": "10:00:00",
        "end_0": "2027-04-10",
        "end_1": "18:00:00",
        "time_zone": "Europe/Moscow",
        "place": "Moscow, Technopark",
        "description": "A **day** of talks.",
        "url": "https://example.org/register",
        "image_alt": "",
    }
    data.update(overrides)
    return data


ADD_URL = "/admin/events/event/add/"


def test_editor_drafts_and_cannot_publish(client, editor):
    client.force_login(editor)
    # Publishing by the form is refused, nothing stored.
    response = client.post(ADD_URL, event_form(status="published"))
    assert response.status_code == 200
    assert "Only publishers can publish" in response.content.decode()
    assert not Event.objects.exists()
    # A draft is stored, with its times read in the event's own zone, and a version.
    response = client.post(ADD_URL, event_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    obj = Event.objects.get()
    assert obj.status == Event.Status.DRAFT
    assert obj.start == datetime(2027, 4, 10, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    assert obj.end == datetime(2027, 4, 10, 15, 0, tzinfo=UTC)
    assert Version.objects.get_for_object(obj).count() == 1
    # The change form shows the times as typed, in the event's zone.
    page = client.get(f"/admin/events/event/{obj.pk}/change/").content.decode()
    assert 'value="10:00:00"' in page and 'value="18:00:00"' in page
    # Nor may an editor publish with the action.
    client.post(
        "/admin/events/event/",
        {"action": "publish_now", "_selected_action": [obj.pk], "index": "0"},
    )
    obj.refresh_from_db()
    assert obj.status == Event.Status.DRAFT
    # The end before the start is a form error.
    response = client.post(ADD_URL, event_form(slug="later", end_1="09:00:00"))
    assert "The end cannot be before the start." in response.content.decode()


def test_publisher_publishes_and_the_list_shows_start_and_state(client, publisher):
    client.force_login(publisher)
    obj = event(status=Event.Status.DRAFT, title="Forum of cities")
    response = client.post(
        "/admin/events/event/",
        {"action": "publish_now", "_selected_action": [obj.pk], "index": "0"},
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Event.Status.PUBLISHED
    listing = client.get("/admin/events/event/?q=cities").content.decode()
    assert "Forum of cities" in listing
    assert obj.local_start.strftime("%Y-%m-%d %H:%M") in listing
