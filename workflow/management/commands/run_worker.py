"""``manage.py run_worker``: the background worker (workflow/worker.py)."""

import signal
import time

from django.core.management.base import BaseCommand

from workflow.worker import request_stop, reset_stop, run_once, stop_requested


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
        # SIGTERM (the service manager) or Ctrl+C: finish the task under way, then exit.
        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        reset_stop()
        try:
            self.loop(once, interval, max_seconds)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def loop(self, once, interval, max_seconds):
        started = time.monotonic()
        while not stop_requested():
            run_once()
            if once:
                return
            if max_seconds is not None and time.monotonic() - started >= max_seconds:
                return
            deadline = time.monotonic() + max(0.1, interval)
            while time.monotonic() < deadline and not stop_requested():
                time.sleep(0.1)
