"""What each endpoint lists, what it hides (drafts, scheduled, unknown), its filters and
its refusals of bad parameters."""

import base64

import pytest

from .helpers import API, get, slugs

pytestmark = pytest.mark.django_db


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
