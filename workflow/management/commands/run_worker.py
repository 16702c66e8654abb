"""``manage.py run_worker``: the background worker (workflow/worker.py)."""

import time

from django.core.management.base import BaseCommand

from workflow.worker import run_once


class Command(BaseCommand):
    help = (
        "Run the background worker: queued tasks (e-mail, link checks, content health) and "
        "the periodic jobs (scheduled publishing, e-mail retries, review reminders)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="One round (everything due now), then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between rounds (default 5)."
        )
        parser.add_argument(
            "--max-seconds", type=float, default=None, help="Stop after about this long."
        )

    def handle(self, *args, once=False, interval=5.0, max_seconds=None, **options):
        started = time.monotonic()
        while True:
            run_once()
            if once:
                return
            if max_seconds is not None and time.monotonic() - started >= max_seconds:
                return
            time.sleep(max(0.1, interval))
