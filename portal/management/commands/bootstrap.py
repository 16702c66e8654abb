"""First-run set-up for a local portal: seed content and an admin account."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

from portal.models import Direction


class Command(BaseCommand):
    help = (
        "Load the seed fixtures if the database has no content yet, and create an admin "
        "account with a random password if there is none. Safe to run on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, url, **options):
        if Direction.objects.exists():
            self.stdout.write("Content found; the seed fixtures were not loaded again.")
        else:
            call_command("loaddata", "seed", verbosity=0)
            self.stdout.write(self.style.SUCCESS("Loaded the seed content."))

        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                f"Admin: log in at {url} with your admin account "
                "(forgotten password: .venv/bin/python manage.py changepassword admin)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nCreated an admin account. Log in at {url}\n"
                f"    username: admin\n"
                f"    password: {password}\n"
                "This password is shown only once; change it in the admin.\n"
            )
        )
