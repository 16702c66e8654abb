"""The read-only API (/api/v1/): what each endpoint shows, the HTML lists' filters, cursor
pages, languages, and what it refuses."""

import base64
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from clusters.models import Cluster
from events.models import Event
from news.models import Article
from portal.models import KeyFact, Project, Stakeholder
from programme.models import RoadmapAction

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1"


def get(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json", url
    return response.json()


def slugs(data):
    rows = data["results"] if isinstance(data, dict) else data
    return [row.get("slug", row.get("number")) for row in rows]


def walk(client, url):
    """Every row of a cursor-paginated list, following "next"; the pages seen."""
    rows, pages = [], 0
    while url:
        data = get(client, url)
        rows += data["results"]
        pages += 1
        url = data["next"]
    return rows, pages


@pytest.fixture
def directory():
    """Two of everything, linked; a draft and a scheduled article; Russian names for some."""
    direction = factories.direction(slug="energy", name="Energy", name_ru="Энергетика")
    park_type = factories.park_type(slug="technopark", name="Technopark")
    tsu = factories.stakeholder(slug="tsu", name="Tomsk State University", name_ru="ТГУ")
    hidden = factories.stakeholder(slug="hidden-org", is_published=False)
    park = factories.park(slug="kirov-park", park_type=park_type)
    project = factories.project(
        slug="hydrogen",
        name="Hydrogen",
        direction=direction,
        status="in-progress",
        stakeholders=[(tsu, "lead"), (hidden, "partner")],
    )
    project.parks.add(park)
    other_project = factories.project(slug="aardvark", name="Aardvark", status="planned")
    cluster = factories.cluster(slug="smart-city", members=[(tsu, "anchor")])
    cluster.projects.add(project)
    cluster.parks.add(park)
    cluster.directions.add(direction)
    factories.cluster(slug="draft-cluster", is_published=False)
    news = factories.article(slug="news-in-cluster", title="Cluster news", title_ru="Новости")
    news.clusters.add(cluster)
    news.projects.add(project)
    news.stakeholders.add(tsu, hidden)
    news.directions.add(direction)
    old = factories.article(
        slug="old-news",
        published_at=datetime(2017, 5, 4, 12, 0, tzinfo=timezone.get_current_timezone()),
    )
    factories.article(slug="a-draft", status=Article.Status.DRAFT)
    factories.article(slug="scheduled", published_at=timezone.now() + timedelta(days=1))
    goal = KeyFact.objects.create(
        order=1,
        figure="RUB 250 bln",
        text="The goal.",
        label="investment",
        value="250.00",
        unit="RUB bln",
        kind="target",
        target_year=2030,
    )
    goal.parts.create(label="universities", value="6.00", unit="")
    return {
        "cluster": cluster,
        "project": project,
        "other_project": other_project,
        "tsu": tsu,
        "park": park,
        "news": news,
        "old": old,
        "direction": direction,
    }


def test_every_endpoint_lists_the_published_rows_and_links_them(client, directory):
    root = get(client, f"{API}/")
    for name in ("article", "project", "stakeholder", "park", "cluster", "direction"):
        assert root[name].startswith("http://testserver/api/v1/")
    assert root["schema"] == "http://testserver/api/v1/schema/"

    articles = get(client, f"{API}/articles/")
    # Newest first; no draft, no scheduled article.
    assert slugs(articles) == ["news-in-cluster", "old-news"]
    first = articles["results"][0]
    assert first["url"] == "http://testserver/api/v1/articles/news-in-cluster/"
    assert first["web_url"] == "http://testserver/news/news-in-cluster/"
    assert first["clusters"] == ["http://testserver/api/v1/clusters/smart-city/"]
    assert first["projects"] == ["http://testserver/api/v1/projects/hydrogen/"]
    # The unpublished stakeholder is not linked.
    assert first["stakeholders"] == ["http://testserver/api/v1/stakeholders/tsu/"]
    assert first["directions"] == ["http://testserver/api/v1/directions/energy/"]
    assert "body" not in first  # the detail has it
    assert "title_ru" not in first  # only with ?translations=1

    assert slugs(get(client, f"{API}/projects/")) == ["aardvark", "hydrogen"]  # by name
    project = get(client, f"{API}/projects/hydrogen/")
    assert project["direction"] == "http://testserver/api/v1/directions/energy/"
    assert project["stakeholders"] == [
        {"stakeholder": "http://testserver/api/v1/stakeholders/tsu/", "role": "lead"}
    ]
    assert project["status"] == "in-progress"
    assert project["status_label"] == "In progress"
    assert project["parks"] == ["http://testserver/api/v1/parks/kirov-park/"]
    assert project["clusters"] == ["http://testserver/api/v1/clusters/smart-city/"]

    assert slugs(get(client, f"{API}/stakeholders/")) == ["tsu"]
    tsu = get(client, f"{API}/stakeholders/tsu/")
    assert tsu["projects"] == [
        {"project": "http://testserver/api/v1/projects/hydrogen/", "role": "lead"}
    ]
    assert tsu["clusters"] == ["http://testserver/api/v1/clusters/smart-city/"]

    park = get(client, f"{API}/parks/kirov-park/")
    assert park["type"] == "http://testserver/api/v1/park-types/technopark/"
    assert park["projects"] == ["http://testserver/api/v1/projects/hydrogen/"]

    assert slugs(get(client, f"{API}/clusters/")) == ["smart-city"]
    cluster = get(client, f"{API}/clusters/smart-city/")
    assert cluster["members"] == [
        {"stakeholder": "http://testserver/api/v1/stakeholders/tsu/", "role": "anchor"}
    ]
    assert cluster["directions"] == ["http://testserver/api/v1/directions/energy/"]

    assert slugs(get(client, f"{API}/directions/")) == ["energy"]
    assert slugs(get(client, f"{API}/park-types/")) == ["technopark"]
    figures = get(client, f"{API}/key-figures/")
    assert len(figures) == 1
    figure = figures[0]
    assert figure["url"] == "http://testserver/api/v1/key-figures/1/"
    assert figure["web_url"] == "http://testserver/about/#figure-1"
    assert (figure["number"], figure["figure"], figure["text"]) == (1, "RUB 250 bln", "The goal.")
    assert (figure["value"], figure["unit"], figure["kind"], figure["target_year"]) == (
        "250.00",
        "RUB bln",
        "target",
        2030,
    )
    assert figure["parts"] == [
        {"label": "universities", "value": "6.00", "value_is_minimum": False, "unit": None}
    ]
    assert get(client, f"{API}/key-figures/1/")["figure"] == "RUB 250 bln"

    # Every link given leads to an object the API shows.
    for url in [*first["clusters"], *first["projects"], *first["stakeholders"], park["type"]]:
        get(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/articles/a-draft/",
        "/articles/scheduled/",
        "/stakeholders/hidden-org/",
        "/clusters/draft-cluster/",
        "/articles/no-such-article/",
        "/projects/not a slug/",
        "/key-figures/two/",
        "/key-figures/99/",
        "/no-such-endpoint/",
    ],
)
def test_drafts_scheduled_and_unknown_objects_are_404_json(client, directory, url):
    data = get(client, API + url, status=404)
    assert data["detail"]


def test_drafts_stay_hidden_from_staff_too(admin_client, directory):
    """No preview through the API: a logged-in editor sees what everyone sees."""
    get(admin_client, f"{API}/articles/a-draft/", status=404)
    assert "a-draft" not in slugs(get(admin_client, f"{API}/articles/"))


def test_filters_are_those_of_the_html_lists(client, directory):
    cluster = get(client, f"{API}/articles/?cluster=smart-city")
    assert slugs(cluster) == ["news-in-cluster"]
    assert slugs(get(client, f"{API}/articles/?year=2017")) == ["old-news"]
    assert slugs(get(client, f"{API}/articles/?year=2017&year=2030")) == ["old-news"]
    assert slugs(get(client, f"{API}/articles/?project=hydrogen&direction=energy")) == [
        "news-in-cluster"
    ]
    assert slugs(get(client, f"{API}/articles/?q=Cluster")) == ["news-in-cluster"]
    assert slugs(get(client, f"{API}/projects/?status=planned")) == ["aardvark"]
    assert slugs(get(client, f"{API}/projects/?status=planned&status=in-progress")) == [
        "aardvark",
        "hydrogen",
    ]
    assert slugs(get(client, f"{API}/projects/?stakeholder=tsu&park=kirov-park")) == ["hydrogen"]
    assert slugs(get(client, f"{API}/stakeholders/?kind=university&cluster=smart-city")) == ["tsu"]
    assert slugs(get(client, f"{API}/parks/?type=technopark")) == ["kirov-park"]
    # Empty values are no filter, as on the pages.
    assert len(slugs(get(client, f"{API}/articles/?q=&year="))) == 2
    # The HTML list shows the same rows for the same query.
    page = client.get("/news/?cluster=smart-city")
    assert b"news-in-cluster" in page.content and b"old-news" not in page.content


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("year=abcd", "year"),
        ("year=1066", "year"),
        ("cluster=no-such-cluster", "cluster"),
        ("project=no-such-project", "project"),
        ("stakeholder=hidden-org", "stakeholder"),  # not published: unknown to the public
        ("q=" + "x" * 201, "q"),
        ("lang=de", "lang"),
        ("lang=en&lang=ru", "lang"),
        ("translations=maybe", "translations"),
        ("cursor=not-a-cursor", "cursor"),
        # A well-formed cursor whose position is not a time.
        ("cursor=" + base64.b64encode(b"p=yesterday").decode(), "cursor"),
        ("cursor=" + base64.b64encode(b"p=2020-13-45T00:00:00%2B00:00").decode(), "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=" + "9" * 5000, "page_size"),
        ("format=xml", "format"),
        ("page=2", "page"),
        ("cluster=" + "&cluster=".join(["smart-city"] * 21), "cluster"),
        ("q=a%00b", "q"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, directory, query, parameter):
    data = get(client, f"{API}/articles/?{query}", status=400)
    assert data["detail"] == "Invalid parameters."
    assert list(data["errors"]) == [parameter]
    assert all(isinstance(message, str) and message for message in data["errors"][parameter])


def test_detail_and_small_lists_refuse_list_parameters(client, directory):
    data = get(client, f"{API}/articles/old-news/?cursor=abc", status=400)
    assert list(data["errors"]) == ["cursor"]
    data = get(client, f"{API}/directions/?cluster=smart-city", status=400)
    assert list(data["errors"]) == ["cluster"]


def test_cursor_pages_walk_every_row_once_in_a_stable_order(client, directory):
    for n in range(9):
        factories.project(slug=f"p-{n}", name=f"Project {n % 3}")  # names repeat
    expected = sorted(Project.objects.published().values_list("name", "slug"))
    rows, pages = walk(client, f"{API}/projects/?page_size=2")
    assert [row["slug"] for row in rows] == [slug for _name, slug in expected]
    assert pages == 6
    # Back from the last page with "previous".
    data = get(client, f"{API}/projects/?page_size=4")
    second = get(client, data["next"])
    back = get(client, second["previous"])
    assert slugs(back) == slugs(data)
    # The cursor keeps the filters and the page size.
    query = parse_qs(urlsplit(data["next"]).query)
    assert query["page_size"] == ["4"]


def test_article_cursor_follows_publication_times_even_when_equal(client, directory):
    moment = timezone.now() - timedelta(days=3)
    for n in range(5):
        factories.article(slug=f"same-time-{n}", published_at=moment)
    rows, _pages = walk(client, f"{API}/articles/?page_size=2")
    got = [row["slug"] for row in rows]
    expected = list(
        Article.objects.published().order_by("-published_at", "-id").values_list("slug", flat=True)
    )
    assert got == expected
    # A row published meanwhile does not shift the next page (a cursor, not an offset).
    first = get(client, f"{API}/articles/?page_size=2")
    factories.article(slug="breaking")
    assert slugs(get(client, first["next"])) == expected[2:4]


def test_languages_and_translations_side_by_side(client, directory):
    english = get(client, f"{API}/stakeholders/tsu/")
    assert english["name"] == "Tomsk State University"
    russian = client.get(f"{API}/stakeholders/tsu/?lang=ru")
    assert russian["Content-Language"] == "ru"
    data = russian.json()
    assert data["name"] == "ТГУ"
    assert data["web_url"] == "http://testserver/ru/stakeholders/tsu/"
    assert data["kind_label"] == "Университет"
    # A text missing in Russian is given in English, as the pages show it.
    project = get(client, f"{API}/projects/hydrogen/?lang=ru")
    assert project["name"] == "Hydrogen"
    both = get(client, f"{API}/projects/hydrogen/?translations=1")
    assert both["name_en"] == "Hydrogen"
    assert both["name_ru"] is None
    assert both["description_en"] is None  # empty in both
    article = get(client, f"{API}/articles/?lang=ru&translations=true")["results"][0]
    assert (article["title"], article["title_en"], article["title_ru"]) == (
        "Новости",
        "Cluster news",
        "Новости",
    )
    # The filters read the page language too: Russian words find the Russian title.
    assert slugs(get(client, f"{API}/articles/?lang=ru&q=Новости")) == ["news-in-cluster"]


def test_times_are_iso_8601_with_their_offset(client, directory):
    row = get(client, f"{API}/articles/old-news/")
    published = datetime.fromisoformat(row["published_at"])
    assert published.utcoffset() is not None
    assert published == directory["old"].published_at
    assert row["published_at"].endswith("+07:00")  # Tomsk time
    factories.project(slug="dated", start_date="2020-01-31", end_date="2021-06-30")
    assert get(client, f"{API}/projects/dated/")["start_date"] == "2020-01-31"


def test_events_roadmap_and_documents(client, directory):
    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        title="Forum",
        slug="forum",
        start=start,
        end=start + timedelta(hours=3),
        status=Event.Status.PUBLISHED,
        url="https://example.org/register",
    )
    event.clusters.add(directory["cluster"])
    event.articles.add(directory["news"])
    Event.objects.create(
        title="Draft", slug="draft-event", start=start, end=start, status=Event.Status.DRAFT
    )
    events = get(client, f"{API}/events/")
    assert slugs(events) == ["forum"]
    forum = get(client, f"{API}/events/forum/")
    assert forum["registration_url"] == "https://example.org/register"
    assert forum["calendar_url"] == "http://testserver/events/forum/calendar.ics"
    assert forum["articles"] == ["http://testserver/api/v1/articles/news-in-cluster/"]
    assert datetime.fromisoformat(forum["start"]) == event.start
    assert slugs(get(client, f"{API}/events/?cluster=smart-city")) == ["forum"]
    assert slugs(get(client, f"{API}/events/?year=1999")) == []
    get(client, f"{API}/events/draft-event/", status=404)

    action = RoadmapAction.objects.create(
        number=7, title="Build the campus", direction=directory["direction"], status="planned"
    )
    action.stakeholders.add(directory["tsu"])
    RoadmapAction.objects.create(number=8, title="Hidden", is_published=False)
    assert slugs(get(client, f"{API}/roadmap-actions/")) == [7]
    row = get(client, f"{API}/roadmap-actions/7/")
    assert row["stakeholders"] == ["http://testserver/api/v1/stakeholders/tsu/"]
    assert row["direction"] == "http://testserver/api/v1/directions/energy/"
    assert slugs(get(client, f"{API}/roadmap-actions/?status=done")) == []
    get(client, f"{API}/roadmap-actions/8/", status=404)
    get(client, f"{API}/roadmap-actions/?status=bogus", status=400)
    assert get(client, f"{API}/documents/") == []


def test_what_is_not_stated_is_null_and_the_schema_says_so(client, directory):
    """A role, address, text or kind staff left empty is null, never "" (which the schema's
    enums and "uri" format refused: the seed data's unnamed roles and events without a
    registration address)."""
    project, tsu = directory["project"], directory["tsu"]
    project.roles.filter(stakeholder=tsu).update(role="")
    Stakeholder.objects.filter(pk=tsu.pk).update(kind="", website="", city="")
    factories.event(slug="open-day", url="", place="")
    row = get(client, f"{API}/projects/hydrogen/")
    assert row["stakeholders"] == [
        {"stakeholder": "http://testserver/api/v1/stakeholders/tsu/", "role": None}
    ]
    stakeholder = get(client, f"{API}/stakeholders/tsu/")
    assert stakeholder["kind"] is stakeholder["kind_label"] is None
    assert stakeholder["website"] is stakeholder["city"] is None
    assert stakeholder["projects"][0]["role"] is None
    event = get(client, f"{API}/events/open-day/")
    assert event["registration_url"] is event["place"] is None
    assert get(client, f"{API}/projects/hydrogen/?lang=ru")["stakeholders"][0]["role"] is None

    schemas = client.get(f"{API}/schema/?format=json").json()["components"]["schemas"]
    role = schemas["StakeholderRole"]["properties"]["role"]
    assert role["nullable"] is True
    assert schemas["EventList"]["properties"]["registration_url"]["nullable"] is True
    assert schemas["StakeholderList"]["properties"]["kind_label"]["nullable"] is True
    assert "BlankEnum" not in schemas  # no empty string among the choices any more


def test_unpublishing_hides_at_once_even_from_kept_answers(client, settings, directory):
    settings.PAGE_CACHE_SECONDS = 600
    assert "tsu" in slugs(get(client, f"{API}/stakeholders/"))
    Stakeholder.objects.filter(slug="tsu").update(is_published=False)  # no signal
    # A save (signals end the content version) shows at once.
    cluster = Cluster.objects.get(slug="smart-city")
    cluster.save()
    assert "tsu" not in slugs(get(client, f"{API}/stakeholders/"))


def test_schema_is_generated_once_per_language(client):
    from unittest import mock

    from drf_spectacular.generators import SchemaGenerator

    from api.docs import SchemaView

    SchemaView.kept.clear()
    with mock.patch.object(
        SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema
    ) as generate:
        first = client.get(f"{API}/schema/?format=json")
        again = client.get(f"{API}/schema/?format=json")
        yaml = client.get(f"{API}/schema/")
    assert generate.call_count == 1
    assert first.status_code == again.status_code == yaml.status_code == 200
    assert first.json() == again.json()
    assert first.json()["paths"]["/api/v1/articles/"]["get"]["parameters"]
    assert b"openapi: 3.0.3" in yaml.content
    assert first["Content-Disposition"].endswith('.json"')
    assert yaml["Content-Disposition"].endswith('.yaml"')
