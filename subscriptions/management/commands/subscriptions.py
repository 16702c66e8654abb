"""Queue the subscriptions' periodic work, for cron: `manage.py subscriptions daily` every
day, `... weekly` every week, `... expire` every hour (each runs as a background task)."""

from django.core.management.base import BaseCommand

from subscriptions import tasks


class Command(BaseCommand):
    help = "Queue the daily or weekly digests, or the expiry of unconfirmed sign-ups."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["daily", "weekly", "expire"])

    def handle(self, what, **options):
        if what == "expire":
            result = tasks.expire_unconfirmed.enqueue()
        else:
            result = tasks.send_digests.enqueue(what)
        self.stdout.write(f"Queued: {what} ({result.id})")
