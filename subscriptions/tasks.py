"""The subscriptions' background tasks (django-tasks, as the workflow's notifications: run at
once in immediate mode, by `manage.py run_worker` with the database backend)."""

from django_tasks import task

from . import digest, mail
from .models import Subscription


@task()
def send_confirmation(pk):
    """The confirmation e-mail of a new sign-up (gone by then: nothing to send)."""
    subscription = Subscription.objects.filter(pk=pk, confirmed_at__isnull=True).first()
    if subscription is not None:
        mail.send_confirmation(subscription)


@task()
def send_digests(frequency):
    """The due digests of one frequency ("daily" or "weekly")."""
    return digest.send_digests(frequency)


@task()
def expire_unconfirmed():
    """Delete sign-ups never confirmed in time."""
    return digest.expire_unconfirmed()
