# ruff: noqa: F811 - the SMTP fixtures are imported, then named as parameters
"""Events enter the calendar digest by the time they were first published
(``Event.first_published_at``), as articles enter by theirs: a draft started long ago is new
when it is published, once; unpublished and published again, it is not new again."""

from datetime import timedelta

import pytest
import reversion
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Version

from events.models import Event
from subscriptions import digest
from subscriptions.models import Subscription
from workflow.adapters import adapter_for

from . import factories
from .smtp import smtp, smtp_server  # noqa: F401 - fixtures


def subscriber(last_sent_at, language="en"):
    return Subscription.objects.create(
        email=f"{language}@example.org",
        consent_text="x",
        consent_version="1",
        consented_at=last_sent_at,
        confirmed_at=last_sent_at - timedelta(days=1),
        last_sent_at=last_sent_at,
        frequency="daily",
        topic=Subscription.Topic.EVENTS,
        language=language,
    )


def created_ago(event, days):
    """Back-date the row's creation, as a draft started ``days`` ago."""
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days))


def texts(smtp, address):
    return [message.get_body(("plain",)).get_content() for message in smtp.to(address)]


@pytest.mark.django_db
def test_a_draft_published_after_the_last_digest_is_in_the_next_one_once(smtp):
    now = timezone.now()
    subscriber(now - timedelta(days=1))
    subscriber(now - timedelta(days=1), language="ru")
    draft = factories.event(
        title="Old draft", title_ru="Давний черновик", status=Event.Status.DRAFT
    )
    created_ago(draft, 10)  # started long before the last digest
    assert draft.first_published_at is None
    assert digest.send_digests("daily", now=now) == 0  # a draft is no news

    # Published now, the way the admin and the workflow do it: the status field alone.
    draft.status = Event.Status.PUBLISHED
    draft.save(update_fields=["status"])
    draft.refresh_from_db()
    assert now <= draft.first_published_at <= timezone.now()

    later = timezone.now() + timedelta(minutes=1)
    assert digest.send_digests("daily", now=later) == 2
    assert ["Old draft" in text for text in texts(smtp, "en@example.org")] == [True]
    assert ["Давний черновик" in text for text in texts(smtp, "ru@example.org")] == [True]

    # The next digest has nothing new: nothing is sent.
    smtp.clear()
    assert digest.send_digests("daily", now=later + timedelta(days=1)) == 0
    assert not smtp.messages


@pytest.mark.django_db
def test_unpublished_and_published_again_it_is_not_new_again(smtp):
    now = timezone.now()
    event = factories.event(title="Forum")
    first = event.first_published_at
    subscriber(now + timedelta(minutes=1))  # its last digest came after the publication
    shape = adapter_for(Event)
    event.save(update_fields=shape.unpublish(event))
    event.save(update_fields=shape.publish(event))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.first_published_at == first
    assert digest.send_digests("daily", now=now + timedelta(days=1, minutes=2)) == 0
    assert not smtp.messages


@pytest.mark.django_db
@pytest.mark.parametrize("restored_then", ["kept as a draft", "published again"])
def test_restoring_a_version_from_before_the_publication_keeps_its_time(restored_then):
    """A restore writes the old version back raw, then the admin form saves it: neither
    may clear or renew the first publication, or the digests would announce it again."""
    with reversion.create_revision():
        event = factories.event(title="Forum", status=Event.Status.DRAFT)
    with reversion.create_revision():
        event.status = Event.Status.PUBLISHED
        event.save()
    first = Event.objects.get(pk=event.pk).first_published_at
    assert first is not None

    Version.objects.get_for_object(event).last().revert()  # the draft version, raw
    restored = Event.objects.get(pk=event.pk)
    assert restored.first_published_at == first
    if restored_then == "published again":
        restored.status = Event.Status.PUBLISHED
    restored.first_published_at = None  # as the restored version's copy carries it
    restored.save()
    assert Event.objects.get(pk=event.pk).first_published_at == first


@pytest.mark.django_db
def test_an_event_created_and_published_later_is_sent_by_its_publication():
    """Created as a draft after one digest and published after the next: in the third."""
    start = timezone.now() - timedelta(days=3)
    event = factories.event(title="Call", status=Event.Status.DRAFT)
    Event.objects.filter(pk=event.pk).update(created_at=start + timedelta(hours=1))
    day = timedelta(days=1)
    assert digest.new_items("events", None, None, start, start + day) == []
    event.status = Event.Status.PUBLISHED
    event.save()
    now = timezone.now()
    assert digest.new_items("events", None, None, start + day, now) == [
        ("Call", event.get_absolute_url(), event.local_start)
    ]
    assert digest.new_items("events", None, None, now, now + day) == []


@pytest.mark.django_db
def test_the_form_records_the_time_before_it_checks_the_constraint():
    event = factories.event(status=Event.Status.DRAFT)
    event.status = Event.Status.PUBLISHED
    event.full_clean()  # the constraint would refuse a published event without the time
    assert event.first_published_at is not None


@pytest.mark.django_db
def test_the_database_refuses_a_published_event_without_the_time():
    event = factories.event(status=Event.Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_published_events_by_their_creation():
    old_apps = migrate([("events", "0003_places")])
    OldEvent = old_apps.get_model("events", "Event")
    start = timezone.now() + timedelta(days=30)
    common = {"start": start, "end": start, "time_zone": "Asia/Tomsk", "all_day": False}
    published = OldEvent.objects.create(title="P", slug="p", status="published", **common)
    draft = OldEvent.objects.create(title="D", slug="d", status="draft", **common)
    created = timezone.now() - timedelta(days=40)
    OldEvent.objects.filter(pk=published.pk).update(created_at=created)

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    assert Event.objects.get(pk=published.pk).first_published_at == created
    assert Event.objects.get(pk=draft.pk).first_published_at is None
