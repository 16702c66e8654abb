"""First-run set-up for a local portal: seed content and an admin account."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "Add the seed content the database lacks with the seed command (never overwriting or "
        "re-creating what staff edited or deleted), and create an admin account with a random "
        "password if there is none. Safe to run on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, url, **options):
        call_command("seed", stdout=self.stdout)
        # Each entry's history starts with the content as seeded, not empty; entries that
        # already have a version are left alone, so this is cheap on later starts.
        call_command(
            "createinitialrevisions", comment="Seed content", verbosity=0, stdout=self.stdout
        )

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
