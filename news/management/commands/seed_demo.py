"""Add clearly synthetic content for load tests and benchmarks.

Every row it makes has a slug starting with ``demo-`` and a name or title starting with
``[Demo]``; the seed content is never touched, and ``--delete`` removes only demo rows.
"""

import random
import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterMembership
from news import facet_counts
from news.demo_text import CITIES, FIRST_YEAR, ORGANISATION_WORDS, DemoText
from news.models import Article
from portal.models import Direction, Park, ParkType, Project, ProjectStakeholder, Stakeholder
from portal.signals import content_changed

PREFIX = "demo-"


def analyze():
    """Refresh PostgreSQL's planner statistics after a bulk load.

    Autovacuum analyses new tables only later; until then the planner guesses row counts for the
    freshly filled tables and picks plans that took searches from milliseconds to 40-55 s.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Add clearly synthetic demo content (slugs demo-*, names [Demo] ...) in batches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=0, help="How many demo news articles to add."
        )
        parser.add_argument(
            "--projects", type=int, default=0, help="How many demo projects to add."
        )
        parser.add_argument(
            "--stakeholders", type=int, default=0, help="How many demo stakeholders to add."
        )
        parser.add_argument(
            "--parks", type=int, default=None, help="How many demo parks to add (default 30)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same content."
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows written per INSERT (default 2000)."
        )
        parser.add_argument(
            "--delete", action="store_true", help="Remove all demo content, then add any asked."
        )

    def handle(self, *args, **options):
        # The kept facet counts are recounted once at the end, not once per row.
        with facet_counts.paused():
            self.add_or_delete(options)
        analyze()

    def add_or_delete(self, options):
        self.rng = random.Random(options["seed"])
        self.text = DemoText(self.rng)
        self.batch_size = max(1, options["batch_size"])
        self.verbosity = options["verbosity"]
        self.started = time.monotonic()
        if options["delete"]:
            self.delete_demo_content()
        counts = [options[name] for name in ("articles", "projects", "stakeholders")]
        if any(n < 0 for n in counts):
            raise CommandError(_("Counts cannot be negative."))
        if not any(counts) and not options["parks"]:
            if not options["delete"]:
                self.stdout.write(
                    _("Nothing to add: give --articles, --projects or --stakeholders.")
                )
            content_changed.send(sender=self.__class__)
            return

        self.directions = list(Direction.objects.values_list("pk", flat=True))
        self.clusters = list(Cluster.objects.values_list("pk", flat=True))
        park_types = list(ParkType.objects.all())
        if not (self.directions and self.clusters and park_types):
            raise CommandError(
                _("Load the seed content first (directions, clusters, park types): %(command)s")
                % {"command": "bin/manage seed"}
            )
        parks = options["parks"] if options["parks"] is not None else 30
        self.create_parks(parks, park_types)
        self.create_stakeholders(options["stakeholders"])
        self.create_projects(options["projects"])
        self.create_articles(options["articles"])
        content_changed.send(sender=self.__class__)
        self.say(_("Done in %(seconds).1f s.") % {"seconds": self.elapsed()}, force=True)

    # Helpers

    def elapsed(self):
        return time.monotonic() - self.started

    def say(self, message, force=False):
        if self.verbosity >= 1 or force:
            self.stdout.write(message)
            self.stdout.flush()

    def progress(self, label, done, total):
        self.say(f"{label}: {done:,}/{total:,} ({self.elapsed():.1f} s)")

    def next_number(self, model):
        """Numbers continue after existing demo rows, so running twice adds more."""
        return model.objects.filter(slug__startswith=PREFIX).count() + 1

    def batches(self, label, total, build):
        """Call ``build(numbers)`` for each batch of numbers, in its own transaction."""
        for start in range(0, total, self.batch_size):
            numbers = range(start, min(start + self.batch_size, total))
            with transaction.atomic():
                build(numbers)
            self.progress(label, numbers.stop, total)

    def delete_demo_content(self):
        # Links go with their rows (cascades); parks last, as projects and articles point at them.
        for model in (Article, Project, Stakeholder, Park):
            deleted, _rows = model.objects.filter(slug__startswith=PREFIX).delete()
            self.say(
                _("Deleted %(model)s: %(count)s rows with links.")
                % {"model": model._meta.verbose_name_plural, "count": deleted}
            )

    # Builders

    def create_parks(self, total, park_types):
        first = self.next_number(Park)
        parks = []
        for n in range(first, first + total):
            park_type = park_types[n % len(park_types)]
            parks.append(
                Park(
                    name=f"[Demo] {self.rng.choice(ORGANISATION_WORDS)} {park_type.name} park {n:04}",
                    slug=f"{PREFIX}park-{n:04}",
                    park_type=park_type,
                    description=self.text.paragraph(),
                    address=f"{self.rng.randint(1, 200)} Demo street, Tomsk",
                    latitude=Decimal(f"{56.40 + self.rng.random() * 0.2:.6f}"),
                    longitude=Decimal(f"{84.85 + self.rng.random() * 0.2:.6f}"),
                    area=Decimal(f"{self.rng.uniform(1, 500):.2f}"),
                )
            )
        with transaction.atomic():
            Park.objects.bulk_create(parks, batch_size=self.batch_size)
            links = [
                Cluster.parks.through(park_id=park.pk, cluster_id=cluster)
                for park in parks
                for cluster in self.text.pick(self.clusters, 1, 2)
            ]
            Cluster.parks.through.objects.bulk_create(links, batch_size=self.batch_size)
        self.parks = list(Park.objects.values_list("pk", flat=True))
        self.progress(_("Parks"), total, total)

    def create_stakeholders(self, total):
        first = self.next_number(Stakeholder)
        roles = list(ClusterMembership.Role)

        def build(numbers):
            rows = []
            for i in numbers:
                n = first + i
                kind = self.text.kind()
                rows.append(
                    Stakeholder(
                        name=f"[Demo] {self.rng.choice(ORGANISATION_WORDS)} {kind.label} {n:05}",
                        short_name=f"Demo {n:05}",
                        slug=f"{PREFIX}stakeholder-{n:05}",
                        kind=kind,
                        description=self.text.paragraph(),
                        city=self.rng.choice(CITIES),
                        country="Russia",
                        is_published=self.rng.random() < 0.97,
                    )
                )
            Stakeholder.objects.bulk_create(rows)
            ClusterMembership.objects.bulk_create(
                ClusterMembership(cluster_id=cluster, stakeholder=row, role=self.rng.choice(roles))
                for row in rows
                for cluster in self.text.pick(self.clusters, 0, 2)
            )

        self.batches(_("Stakeholders"), total, build)
        self.stakeholders = list(Stakeholder.objects.values_list("pk", flat=True))

    def create_projects(self, total):
        first = self.next_number(Project)
        roles = list(ProjectStakeholder.Role)
        stakeholders = self.stakeholders

        def build(numbers):
            rows = []
            for i in numbers:
                n = first + i
                start = self.text.day()
                rows.append(
                    Project(
                        name=f"[Demo] Project {n:05}: {self.text.words(2, 4)}",
                        slug=f"{PREFIX}project-{n:05}",
                        summary=self.text.words(12, 24).capitalize() + ".",
                        description="\n\n".join(self.text.paragraph() for _i in range(3)),
                        status=self.text.status(),
                        direction_id=self.rng.choice(self.directions),
                        start_date=start,
                        end_date=start + timedelta(days=self.rng.randint(180, 2500)),
                        budget=Decimal(self.rng.randint(1, 5000)) * 1_000_000,
                        jobs_created=self.rng.randint(0, 800),
                        is_published=self.rng.random() < 0.97,
                        is_featured=self.rng.random() < 0.001,
                    )
                )
            Project.objects.bulk_create(rows)
            Cluster.projects.through.objects.bulk_create(
                Cluster.projects.through(project_id=row.pk, cluster_id=cluster)
                for row in rows
                for cluster in self.text.pick(self.clusters, 1, 2)
            )
            Project.parks.through.objects.bulk_create(
                Project.parks.through(project_id=row.pk, park_id=park)
                for row in rows
                for park in self.text.pick(self.parks, 0, 1)
            )
            ProjectStakeholder.objects.bulk_create(
                ProjectStakeholder(
                    project_id=row.pk,
                    stakeholder_id=stakeholder,
                    role=roles[0] if k == 0 else self.rng.choice(roles[1:]),
                )
                for row in rows
                for k, stakeholder in enumerate(self.text.pick(stakeholders, 1, 4))
            )

        self.batches(_("Projects"), total, build)

    def create_articles(self, total):
        first = self.next_number(Article)
        now = timezone.now()
        start = datetime(FIRST_YEAR, 1, 1, tzinfo=timezone.get_current_timezone())
        span = (now - start).total_seconds()
        projects = list(Project.objects.values_list("pk", flat=True))
        stakeholders = list(Stakeholder.objects.values_list("pk", flat=True))
        links = {
            Article.clusters.through: ("cluster_id", self.clusters, 1, 2),
            Article.directions.through: ("direction_id", self.directions, 1, 1),
            Article.projects.through: ("project_id", projects, 0, 2),
            Article.stakeholders.through: ("stakeholder_id", stakeholders, 0, 3),
            Article.parks.through: ("park_id", self.parks, 0, 1),
        }

        def build(numbers):
            rows = []
            for i in numbers:
                n = first + i
                chance = self.rng.random()
                status = Article.Status.DRAFT if chance < 0.03 else Article.Status.PUBLISHED
                # A few are scheduled a little ahead, as editors do.
                if chance > 0.998:
                    published_at = now + timedelta(days=self.rng.randint(1, 30))
                else:
                    published_at = start + timedelta(seconds=self.rng.random() * span)
                texts = self.text.article_texts(n)
                rows.append(
                    Article(
                        slug=f"{PREFIX}article-{n:06}",
                        published_at=published_at,
                        status=status,
                        **texts,
                    )
                )
            # The untranslated columns take English, else Russian, as a save does.
            with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
                Article.objects.bulk_create(rows)
            for through, (column, pool, low, high) in links.items():
                through.objects.bulk_create(
                    through(article_id=row.pk, **{column: target})
                    for row in rows
                    for target in self.text.pick(pool, low, high)
                )

        self.batches(_("Articles"), total, build)
