"""Faceted filtering of the list pages: slugs, repeats, combinations, counts, chips, pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.models import Direction, Project

from . import factories
from .pages import listed

pytestmark = pytest.mark.django_db
TOMSK = ZoneInfo("Asia/Tomsk")
PHARMA = "pharmaceutics-medical-equipment-and-it"


def facet(response, name):
    return {o.value: o for f in response.context["facets"] if f.name == name for o in f.options}


def titles(response):
    return [getattr(obj, "title", None) or obj.name for obj in listed(response)]


def test_news_filters_by_cluster_and_year_with_counts(seeded, client):
    response = client.get("/news/", {"cluster": PHARMA})
    assert response.status_code == 200
    assert response.context["paginator"].count == 2
    years = facet(response, "year")
    # Only years with news within the other filters are offered.
    assert years["2016"].count == 2 and "2017" not in years
    clusters = facet(response, "cluster")
    # Counts of the cluster facet ignore the cluster filter itself.
    assert clusters[PHARMA].count == 2 and clusters[PHARMA].selected
    assert clusters["timber"].count == 0
    content = response.content.decode()
    # An option without results is not offered (templates/includes/facets.html).
    assert 'value="timber"' not in content
    assert f'value="{PHARMA}" checked' in content

    both = client.get("/news/", {"cluster": PHARMA, "year": "2016"})
    assert both.context["paginator"].count == 2
    none = client.get("/news/", {"cluster": PHARMA, "year": "2017"})
    assert none.context["paginator"].count == 0
    assert "Nothing matches these filters." in none.content.decode()


def test_repeated_values_mean_either(seeded, client):
    response = client.get("/news/?year=2016&year=2017")
    assert response.context["paginator"].count == 5
    response = client.get("/news/?direction=advanced-industry&direction=smart-and-handy-city")
    assert response.context["paginator"].count == 2
    assert len(set(titles(response))) == 2  # no duplicates from the joins


def test_active_filters_are_shown_and_removable(seeded, client):
    response = client.get("/news/", {"cluster": PHARMA, "year": ["2016", "2017"]})
    chips = response.context["active_filters"]
    assert {chip["label"] for chip in chips} == {
        "Pharmaceutical cluster and cluster of medical equipment and IT",
        "2016",
        "2017",
    }
    removal = next(chip for chip in chips if chip["label"] == "2017")["remove_url"]
    assert "year=2016" in removal and "year=2017" not in removal and "cluster=" in removal
    assert client.get("/news/" + removal).context["paginator"].count == 2


def test_pagination_keeps_filters(db, client):
    cluster = factories.cluster(slug="big")
    for _ in range(30):
        factories.article().clusters.add(cluster)
    factories.article()  # outside the filter
    response = client.get("/news/", {"cluster": "big"})
    assert response.context["paginator"].count == 30
    content = response.content.decode()
    assert 'href="?cluster=big&amp;page=2"' in content
    page3 = client.get("/news/", {"cluster": "big", "page": 3})
    assert page3.status_code == 200 and len(page3.context["rows"]) == 6


def test_projects_filters(seeded, client):
    # The seeds state no project's status: test data gives two, the rest stay "not stated",
    # which the facet never offers as an option.
    factories.project(name="Running project", status="in-progress")
    factories.project(name="Later project", status="planned")
    response = client.get("/projects/", {"status": "in-progress"})
    assert titles(response) == ["Running project"]
    statuses = facet(response, "status")
    assert statuses["planned"].count == 1 and statuses["completed"].count == 0
    assert "" not in statuses
    assert client.get("/projects/", {"status": ""}).context["paginator"].count == 6
    by_stakeholder = client.get(
        "/projects/", {"stakeholder": "federal-agency-for-scientific-organizations"}
    )
    assert set(titles(by_stakeholder)) == {
        "National Research Medical Center",
        "Coordinating Council on the development of translational medicine",
    }
    # Nor a direction: a project of the test data has one.
    Project.objects.filter(slug="national-research-medical-center").update(
        direction=Direction.objects.get(slug="science-and-education")
    )
    by_direction = client.get(
        "/projects/", {"direction": "science-and-education", "cluster": PHARMA}
    )
    assert titles(by_direction) == ["National Research Medical Center"]
    park = factories.park(slug="tech-park")
    project = factories.project(name="Park project")
    project.parks.add(park)
    assert titles(client.get("/projects/", {"park": "tech-park"})) == ["Park project"]
    assert titles(client.get("/projects/", {"q": "translational"})) == [
        "Coordinating Council on the development of translational medicine",
        "Translational medicine development project of the Tomsk Region",
    ]


def test_stakeholder_and_park_filters(seeded, client):
    response = client.get("/stakeholders/", {"kind": "research-institute"})
    assert response.context["paginator"].count == 6
    kinds = facet(response, "kind")
    assert kinds["federal-ministry"].count == 4
    assert client.get("/stakeholders/", {"q": "FASO"}).context["paginator"].count == 1
    member = factories.stakeholder(name="Member Org")
    factories.cluster(slug="with-member", members=[(member, "member")])
    assert titles(client.get("/stakeholders/", {"cluster": "with-member"})) == ["Member Org"]

    industrial = factories.park(name="Industrial One", park_type_id=1)
    factories.park(name="Sport One", park_type_id=6)
    response = client.get("/parks/", {"type": "industrial"})
    assert titles(response) == ["Industrial One"]
    assert facet(response, "type")["sport"].count == 1
    cluster = factories.cluster(slug="parks-cluster")
    cluster.parks.add(industrial)
    assert titles(client.get("/parks/", {"cluster": "parks-cluster"})) == ["Industrial One"]


def test_news_q_searches_within_the_list(seeded, client):
    response = client.get("/news/", {"q": "Shpilenko"})
    assert response.context["paginator"].count == 1
    response = client.get("/news/", {"q": "Ministry of Economic Development", "year": "2017"})
    assert response.context["paginator"].count == 1


def test_large_facets_show_top_options_and_the_selected_one(db, client):
    for n in range(25):
        person = factories.stakeholder(name=f"Org {n:02}", slug=f"org-{n:02}")
        article = factories.article()
        article.stakeholders.add(person)
    response = client.get("/news/", {"stakeholder": "org-24"})
    options = facet(response, "stakeholder")
    assert "org-24" in options and options["org-24"].selected
    assert len(options) == 20
    assert "Showing the most frequent options." in response.content.decode()


def test_a_large_facet_picks_published_options_before_the_top_ones(db, client):
    """Drafts linked to many articles must not crowd the published options out."""
    for n in range(45):
        hidden = factories.stakeholder(name=f"Hidden {n:02}", is_published=False)
        for _ in range(3):
            factories.article().stakeholders.add(hidden)
    shown = [factories.stakeholder(name=f"Shown {n}") for n in range(5)]
    for person in shown:
        factories.article().stakeholders.add(person)
    for url in ("/news/", "/projects/"):
        options = facet(client.get(url), "stakeholder")
        assert all(not value.startswith("hidden") for value in options), url
    options = facet(client.get("/news/"), "stakeholder")
    assert set(options) == {person.slug for person in shown}


def test_year_uses_tomsk_time(db, client):
    factories.article(published_at=datetime(2017, 1, 1, 3, 0, tzinfo=TOMSK), slug="new-year")
    response = client.get("/news/", {"year": "2017"})
    assert [a.slug for a in listed(response)] == ["new-year"]
