"""The seed fixtures carry the seed documents faithfully."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from clusters.models import Cluster, ClusterMembership
from news.importer import parse_article
from news.models import Article
from portal.models import (
    Direction,
    KeyFact,
    Park,
    ParkType,
    Project,
    ProjectStakeholder,
    Stakeholder,
)

pytestmark = pytest.mark.django_db
TOMSK = ZoneInfo("Asia/Tomsk")
SEEDS = Path(__file__).resolve().parent / "seeds"

EXPECTED_COUNTS = {
    KeyFact: 10,
    Direction: 5,
    ParkType: 6,
    Cluster: 6,
    Article: 5,
    Stakeholder: 39,
    Project: 4,
    ProjectStakeholder: 14,
    Park: 0,
    ClusterMembership: 0,
}


def counts():
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


def test_loading_twice_creates_no_duplicates():
    call_command("loaddata", "seed", verbosity=0)
    first = counts()
    call_command("loaddata", "seed", verbosity=0)
    assert counts() == first == EXPECTED_COUNTS


@pytest.mark.parametrize(
    "slug,local_time,sample",
    [
        (
            "ministry-of-economic-development-of-russia-has-discussed-the-implementation-of",
            datetime(2017, 12, 12, 11, 19),
            "The meeting was chaired by Arytom Shadrin",
        ),
        (
            "federal-agency-of-scientific-organizations-ino-tomsk-project-has-prompted",
            datetime(2016, 3, 25, 17, 36),
            "3,79 billion rubles of financial support",
        ),
        (
            "the-translational-medicine-development-project-of-the-tomsk-region-named-the",
            datetime(2016, 10, 6, 11, 26),
            "Coordinating Council on the development of translational medicine",
        ),
        (
            "ii-forum-of-university-cities-to-take-place-in-tomsk",
            datetime(2017, 9, 14, 13, 26),
            "Professor Jan Slovák of Masaryk University",
        ),
        (
            "russian-regions-are-studying-the-chinese-experience-in-creating-clusters-and",
            datetime(2016, 7, 4, 12, 15),
            "Andrey Shpilenko, Director of the Association of Clusters",
        ),
    ],
)
def test_articles_keep_dates_and_bodies(seeded, slug, local_time, sample):
    article = Article.objects.get(slug=slug)
    assert article.published_at == local_time.replace(tzinfo=TOMSK)
    assert sample in article.body.replace("\xa0", " ")
    assert article in Article.objects.published()


def test_tomsk_offset_changed_in_2016(seeded):
    march = Article.objects.get(published_at__year=2016, published_at__month=3)
    assert march.published_at.utcoffset() is None or march.published_at.hour == 11  # UTC
    assert march.published_at.astimezone(TOMSK).utcoffset().total_seconds() == 6 * 3600


def test_articles_match_the_seed_documents(seeded):
    """The importer and the fixtures agree on every seed file."""
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 5
    for path in files:
        parsed = parse_article(path.read_text(encoding="utf-8"))
        article = Article.objects.get(slug=parsed.slug)
        assert article.title == parsed.title
        assert article.body == parsed.body
        assert article.paragraphs == parsed.paragraphs
        assert article.published_at == parsed.published_at
        assert article.source == parsed.source
    assert Article.objects.get(source="Minpromtorg").title.startswith("Russian regions")


def test_key_figures_word_for_word(seeded):
    figures = list(KeyFact.objects.values_list("order", "text"))
    assert [order for order, _ in figures] == list(range(1, 11))
    text = dict(figures)
    assert text[1].startswith("Developing of competitive and high-performance innovation center")
    assert (
        text[3]
        == "RUB 250 bln – investment gap. Confirmed extra-budgetary resources amounts to 65%."
    )
    assert text[9] == (
        "160 thousands of highly-efficient workplaces will be created before 2020 as a result "
        "of INO Tomsk project implementation."
    )
    assert KeyFact.objects.get(order=1).figure == "The goal"


def test_directions_clusters_and_park_types(seeded):
    assert list(Direction.objects.values_list("name", flat=True)) == [
        "Advanced industry",
        "Science and education",
        "Technological innovations, new businesses",
        "Smart and handy city",
        "Business environment",
    ]
    assert list(ParkType.objects.values_list("slug", flat=True)) == [
        "industrial",
        "innovation",
        "research-and-educational",
        "historical-and-cultural",
        "medical",
        "sport",
    ]
    assert Cluster.objects.filter(slug="nuclear-technologies").exists()


def test_relations_follow_the_articles(seeded):
    center = Project.objects.get(slug="national-research-medical-center")
    faso = Stakeholder.objects.get(short_name="FASO")
    assert center.roles.get(stakeholder=faso).role == ""  # the seeds give no roles
    assert set(center.stakeholders.values_list("name", flat=True)) >= {
        "Tomsk Cancer Research Institute",
        "Goldberg Pharmacology and Regenerative Medicine Research Institute",
    }
    article = Article.objects.get(published_at__year=2016, published_at__month=3)
    assert list(article.projects.all()) == [center]
    assert faso in article.stakeholders.all()
    assert center.clusters.get().slug == "pharmaceutics-medical-equipment-and-it"
    forum = Article.objects.get(slug="ii-forum-of-university-cities-to-take-place-in-tomsk")
    assert forum.stakeholders.filter(name="Masaryk University", country="Czech Republic").exists()
