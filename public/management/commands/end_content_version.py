"""End the content version by hand, after changes that send no signals."""

from django.core.management import BaseCommand

from public.caching import end_content_version


class Command(BaseCommand):
    help = (
        "End the content version, so that every kept page and query result is recomputed. "
        "Needed after changes made with raw SQL or QuerySet.update() outside the admin; "
        "saves through models, the admin and the importers end it by themselves."
    )

    def handle(self, *args, **options):
        end_content_version()
        self.stdout.write(
            self.style.SUCCESS("Ended the content version: pages show the change now.")
        )
