"""The map's filters are the lists' (public/map.py, PlaceFilterSet): repeatable clusters,
directions and kinds, parsed and refused by the listing engine on the page, its GeoJSON and
the API's; checkboxes without script; a query count that does not grow with the rows."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import Cluster
from portal.models import Direction

from . import factories

pytestmark = pytest.mark.django_db
UNKNOWN_CLUSTER = "Select a valid choice. nope is not one of the available choices."


def place(n):
    return {"latitude": Decimal("56.4") + Decimal(n) / 100, "longitude": Decimal("84.9")}


@pytest.fixture
def clusters():
    """Two clusters and a direction, each with a placed park; a park in neither."""
    timber = factories.cluster(name="Timber", slug="timber")
    energy = factories.cluster(name="Energy", slug="energy")
    factories.cluster(name="Water", slug="water")
    medicine = factories.direction(name="Medicine", slug="medicine")
    space = factories.direction(name="Space", slug="space")
    timber.parks.add(factories.park(name="Timber park", **place(1)))
    energy.parks.add(factories.park(name="Energy park", **place(2)))
    factories.park(name="Loose park", **place(3))
    factories.project(name="Clinic", direction=medicine).parks.add(
        factories.park(name="Clinic park", **place(4))
    )
    factories.project(name="Rocket", direction=space).parks.add(
        factories.park(name="Rocket park", **place(5))
    )


def names(response):
    return sorted(feature["properties"]["name"] for feature in response.json()["features"])


def listed(response):
    return sorted(row.name for row in response.context["places"])


def test_several_clusters_match_either_on_the_page_and_the_geojson(client, clusters):
    query = "cluster=timber&cluster=energy&kind=park"
    assert listed(client.get(f"/map/?{query}")) == ["Energy park", "Timber park"]
    assert names(client.get(f"/map/data.geojson?{query}")) == ["Energy park", "Timber park"]
    api = client.get(f"/api/v1/places.geojson?{query}&lang=ru")
    assert names(api) == ["Energy park", "Timber park"]


def test_several_directions_and_kinds(client, clusters):
    url = "/map/data.geojson?direction=medicine&direction=space&kind=park&kind=project"
    assert names(client.get(url)) == ["Clinic", "Clinic park", "Rocket", "Rocket park"]
    one = client.get("/map/data.geojson?direction=space&kind=project")
    assert names(one) == ["Rocket"]


def test_the_filters_are_checkboxes_that_keep_the_choice(client, clusters):
    """Without script the form is the lists' kind: a box per option, the chosen ones ticked."""
    html = client.get("/map/?cluster=timber&cluster=energy&direction=space").content.decode()
    form = html.split('<form class="map-filters"', 1)[1].split("</form>", 1)[0]
    assert "<select" not in form
    for value, checked in [("timber", True), ("energy", True), ("water", False)]:
        box = form.split(f'value="{value}"', 1)
        assert box[0].rsplit("<input", 1)[1].startswith(' type="checkbox" name="cluster"')
        assert ("checked" in box[1].split(">", 1)[0]) is checked
    assert 'name="direction" value="space"' in form
    # The data the map loads keeps both clusters.
    data_url = client.get("/map/?cluster=timber&cluster=energy").context["data_url"]
    assert data_url == "/map/data.geojson?cluster=timber&cluster=energy"


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_an_unknown_value_is_a_400_worded_as_the_lists_word_it(client, clusters, prefix):
    page = client.get(f"{prefix}/map/?cluster=timber&cluster=nope&kind=park")
    assert page.status_code == 400
    html = page.content.decode()
    # As on the lists, a filter with an unknown value is dropped whole and named; the others
    # still apply.
    assert listed(page) == [
        "Clinic park",
        "Energy park",
        "Loose park",
        "Rocket park",
        "Timber park",
    ]
    lists = client.get(f"{prefix}/parks/?cluster=nope").content.decode()
    notice = "Фильтр «Кластер» не применен" if prefix else "The Cluster filter was not applied"
    assert notice in html and notice in lists
    data = client.get(f"{prefix}/map/data.geojson?cluster=timber&cluster=nope&kind=park")
    assert data.status_code == 400
    assert names(data) == listed(page)
    if not prefix:
        assert data.json()["errors"] == {"cluster": [UNKNOWN_CLUSTER]}


@pytest.mark.parametrize(
    "url",
    [
        "/map/data.geojson?kind=secret",
        "/api/v1/places.geojson?direction=nope",
        "/map/?direction=nope",
        "/map/?kind=park&kind=secret",
    ],
)
def test_every_filter_refuses_an_unknown_value(client, clusters, url):
    response = client.get(url)
    assert response.status_code == 400
    if "geojson" in url:
        assert set(response.json()["errors"]) <= {"kind", "direction"}


def test_an_unknown_parameter_is_named_not_refused(client, clusters):
    response = client.get("/map/?tracking=1")
    assert response.status_code == 200
    assert "The parameter “tracking” is not used on this page" in response.content.decode()
    assert client.get("/map/data.geojson?lang=ru&tracking=1").status_code == 200


def queries(client, url):
    """Queries of a render with every cache emptied, as after a content change."""
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_places(n):
    """n placed parks, stakeholders, projects and events in clusters more-1 and more-2 and
    directions dir-1 and dir-2 (made the first time)."""
    for tag in (1, 2):
        cluster = Cluster.objects.filter(slug=f"more-{tag}").first()
        cluster = cluster or factories.cluster(slug=f"more-{tag}")
        direction = Direction.objects.filter(slug=f"dir-{tag}").first()
        direction = direction or factories.direction(slug=f"dir-{tag}")
        for i in range(n):
            park = factories.park(**place(i))
            cluster.parks.add(park)
            holder = factories.stakeholder(**place(i))
            cluster.memberships.create(stakeholder=holder, role="member")
            project = factories.project(direction=direction)
            project.parks.add(park)
            project.stakeholders.add(holder)
            cluster.projects.add(project)
            event = factories.event(**place(i))
            event.clusters.add(cluster)
            event.projects.add(project)


URLS = [
    "/map/data.geojson",
    "/map/data.geojson?cluster=more-1&cluster=more-2&direction=dir-1&direction=dir-2",
    "/map/",
    "/map/?cluster=more-1&cluster=more-2&direction=dir-1&kind=park&kind=event&kind=project",
]
# One query per kind read: parks, stakeholders, projects (and the two prefetches of their
# places), events. Filtered: the start of a content version and the option lists that
# validate the values. The page adds the menu and footer pages (and, unfiltered, the option
# lists of its form); the filtered page reads no stakeholders.
EXPECTED = [6, 2 + 6, 6 + 3, 2 + 5 + 1]


@pytest.mark.usefixtures("no_page_cache")
def test_the_query_count_is_pinned_and_does_not_grow_with_the_rows(client):
    add_places(1)
    few = [queries(client, url) for url in URLS]
    add_places(12)
    many = [queries(client, url) for url in URLS]
    assert few == many == EXPECTED


def test_the_lists_link_the_map_with_all_their_clusters(client, clusters):
    html = client.get("/parks/?cluster=timber&cluster=energy&cluster=nope").content.decode()
    # A refused value drops the whole filter, on the list as on the map.
    assert 'href="/map/data.geojson?kind=park"' in html
    html = client.get("/ru/parks/?cluster=timber&cluster=energy").content.decode()
    link = "/ru/map/data.geojson?kind=park&amp;cluster=timber&amp;cluster=energy"
    assert f'href="{link}"' in html
    assert f'href="{link.replace("data.geojson", "")}"' in html
    data = client.get(link.replace("&amp;", "&"))
    assert data.status_code == 200 and names(data) == ["Energy park", "Timber park"]
