"""Add clearly synthetic content for load tests and benchmarks.

Every row it makes has a slug starting with ``demo-`` and a name or title starting with
``[Demo]``; the seed content is never touched, and ``--delete`` removes only demo rows. Rows
are written in batches, each committed: a run that fails or is stopped keeps the batches
written before (``--delete`` removes them), and builds its indexes and recounts either way.
"""

import random
import signal
import time
from contextlib import nullcontext
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterMembership
from clusters.project_counts import PROJECTS
from news.bulk_load import add_in_batches, analyze, indexes_built_after
from news.demo_rows import PREFIX, delete_demo_rows, next_number
from news.demo_text import CITIES, FIRST_YEAR, ORGANISATION_WORDS, DemoText
from news.facet_counts import ARTICLES
from news.models import Article
from portal.kept_counts import paused
from portal.models import Direction, Park, ParkType, Project, ProjectStakeholder, Stakeholder
from portal.signals import content_changed


def _stop(signum, frame):
    # A stop (SIGTERM) unwinds as an error does, so the indexes and counts are restored.
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Add clearly synthetic demo content (slugs demo-*, names [Demo] ...) in batches."

    def add_arguments(self, parser):
        counts = {
            "--articles": "How many demo news articles to add.",
            "--projects": "How many demo projects to add.",
            "--stakeholders": "How many demo stakeholders to add.",
        }
        for option, text in counts.items():
            parser.add_argument(option, type=int, default=0, help=text)
        parks = "How many demo parks to add (default 30)."
        parser.add_argument("--parks", type=int, default=None, help=parks)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: with the same batch size, the "
            "same seed gives the same content."
        )  # fmt: skip
        batch = "Rows written per INSERT (default 2000)."
        parser.add_argument("--batch-size", type=int, default=2000, help=batch)
        parser.add_argument(
            "--delete", action="store_true", help="Remove all demo content, then add any asked."
        )

    def handle(self, *args, **options):
        counts = [options[name] for name in ("articles", "projects", "stakeholders")]
        if any(n < 0 for n in counts):
            raise CommandError(_("Counts cannot be negative."))
        self.seed = options["seed"]
        self.rng = random.Random(self.seed)
        self.text = DemoText(self.rng)
        self.batch_size = max(1, options["batch_size"])
        self.verbosity = options["verbosity"]
        self.started = time.monotonic()
        stopped_before = signal.signal(signal.SIGTERM, _stop)
        try:
            # The kept facet counts are recounted once at the end, not once per row.
            with paused(ARTICLES, PROJECTS) as pause:
                added = self.add_or_delete(options, counts, pause)
        finally:
            signal.signal(signal.SIGTERM, stopped_before)
            # What a failed run committed is on the site too.
            content_changed.send(sender=self.__class__)
        analyze()
        if added:  # after the recount and the statistics, minutes at a million articles
            self.say(_("Done in %(seconds).1f s.") % {"seconds": self.elapsed()}, force=True)

    def add_or_delete(self, options, counts, pause):
        # Each batch's transaction pauses the kept counts' triggers for itself.
        self.pause = pause
        if options["delete"]:
            for model, deleted in delete_demo_rows(pause):
                self.say(
                    _("Deleted %(model)s: %(count)s rows with links.")
                    % {"model": model._meta.verbose_name_plural, "count": deleted}
                )
        if not any(counts) and not options["parks"]:
            if not options["delete"]:
                self.stdout.write(
                    _("Nothing to add: give --articles, --projects or --stakeholders.")
                )
            return False

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
        # A load that at least doubles the articles builds their indexes once afterwards; a
        # smaller one adds to them row by row (and takes no lock on a site being read).
        large = options["articles"] and options["articles"] >= Article.objects.count()
        with indexes_built_after(Article) if large else nullcontext():
            self.create_articles(options["articles"])
        return True

    # Helpers

    def elapsed(self):
        return time.monotonic() - self.started

    def say(self, message, force=False):
        if self.verbosity >= 1 or force:
            self.stdout.write(message)
            self.stdout.flush()

    def progress(self, label, done, total):
        self.say(f"{label}: {done:,}/{total:,} ({self.elapsed():.1f} s)")

    def batches(self, label, total, draft, model, first):
        """Add ``total`` rows of ``model`` drafted by ``draft`` (see bulk_load.add_in_batches)."""

        def seeded_draft(numbers):
            # Drafts are drawn in forked processes, in any order: a seed of each batch's own
            # (kind and first number) draws the same rows wherever it runs, keeps the kinds'
            # draws apart and a second run (more rows) from repeating the first one's.
            self.rng.seed(f"{self.seed}:{model._meta.model_name}:{first + numbers.start}")
            return draft(numbers)

        for done in add_in_batches(model, total, self.batch_size, seeded_draft, self.pause):
            self.progress(label, done, total)

    # Builders

    def create_parks(self, total, park_types):
        first = next_number(Park)
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
        first = next_number(Stakeholder)
        roles = list(ClusterMembership.Role)

        def draft(numbers):
            rows, links = [], []
            for index, i in enumerate(numbers):
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
                links += [
                    (
                        ClusterMembership,
                        index,
                        {"cluster_id": cluster, "role": self.rng.choice(roles)},
                    )
                    for cluster in self.text.pick(self.clusters, 0, 2)
                ]
            return rows, links

        self.batches(_("Stakeholders"), total, draft, Stakeholder, first)
        self.stakeholders = list(Stakeholder.objects.values_list("pk", flat=True))

    def create_projects(self, total):
        first = next_number(Project)
        roles = list(ProjectStakeholder.Role)
        stakeholders = self.stakeholders

        def draft(numbers):
            rows, links = [], []
            for index, i in enumerate(numbers):
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
                links += [
                    (Cluster.projects.through, index, {"cluster_id": cluster})
                    for cluster in self.text.pick(self.clusters, 1, 2)
                ]
                links += [
                    (Project.parks.through, index, {"park_id": park})
                    for park in self.text.pick(self.parks, 0, 1)
                ]
                links += [
                    (
                        ProjectStakeholder,
                        index,
                        {
                            "stakeholder_id": stakeholder,
                            "role": roles[0] if k == 0 else self.rng.choice(roles[1:]),
                        },
                    )
                    for k, stakeholder in enumerate(self.text.pick(stakeholders, 1, 4))
                ]
            return rows, links

        self.batches(_("Projects"), total, draft, Project, first)

    def create_articles(self, total):
        first = next_number(Article)
        now = timezone.now()
        start = datetime(FIRST_YEAR, 1, 1, tzinfo=timezone.get_current_timezone())
        span = (now - start).total_seconds()
        projects = list(Project.objects.values_list("pk", flat=True))
        stakeholders = list(Stakeholder.objects.values_list("pk", flat=True))
        link_pools = {
            Article.clusters.through: ("cluster_id", self.clusters, 1, 2),
            Article.directions.through: ("direction_id", self.directions, 1, 1),
            Article.projects.through: ("project_id", projects, 0, 2),
            Article.stakeholders.through: ("stakeholder_id", stakeholders, 0, 3),
            Article.parks.through: ("park_id", self.parks, 0, 1),
        }

        def draft(numbers):
            rows, links = [], []
            for index, i in enumerate(numbers):
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
                links += [
                    (through, index, {column: target})
                    for through, (column, pool, low, high) in link_pools.items()
                    for target in self.text.pick(pool, low, high)
                ]
            return rows, links

        self.batches(_("Articles"), total, draft, Article, first)
