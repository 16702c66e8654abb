"""Search over published content; the same tests pass on SQLite and PostgreSQL."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from news.models import Article
from news.search import article_search_vector

from . import factories

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def group(response, label):
    return next(g for g in response.context["groups"] if g["label"] == label)


def test_search_groups_results_by_type(seeded, client):
    response = client.get("/search/", {"q": "medical"})
    assert response.status_code == 200
    news = [a.slug for a in group(response, "News")["results"]]
    assert "federal-agency-of-scientific-organizations-ino-tomsk-project-has-prompted" in news
    projects = [p.name for p in group(response, "Projects")["results"]]
    assert "National Research Medical Center" in projects
    assert [c.name for c in group(response, "Clusters")["results"]] == [
        "Pharmaceutical cluster and cluster of medical equipment and IT"
    ]
    content = response.content.decode()
    assert content.count("<h2") >= 3


def test_no_break_spaces_count_as_spaces(seeded, client):
    # The title is stored as "Ministry of\xa0Economic Development of\xa0Russia ...".
    response = client.get("/search/", {"q": "Ministry of Economic Development of Russia"})
    slugs = [a.slug for a in group(response, "News")["results"]]
    assert any(slug.startswith("ministry-of-economic-development") for slug in slugs)
    listed = client.get("/news/", {"q": "technology parks"})
    assert listed.context["paginator"].count >= 1


def test_search_sees_only_published(seeded, client):
    factories.article(title="Secret plan draft", status=Article.Status.DRAFT)
    factories.project(name="Secret hidden project", is_published=False)
    response = client.get("/search/", {"q": "secret"})
    assert response.context["total"] == 0
    assert "Nothing found" in response.content.decode()


def test_title_matches_rank_above_body_matches(db, client):
    body_only = factories.article(title="Weekly digest", body="Mentions photonics once.")
    titled = factories.article(title="Photonics centre opens", body="A new centre.")
    response = client.get("/news/", {"q": "photonics"})
    found = list(response.context["object_list"])
    assert set(found) == {body_only, titled}
    if connection.vendor == "postgresql":
        assert found[0] == titled


def test_empty_and_operator_only_queries(seeded, client):
    assert client.get("/search/").status_code == 200
    for q in ["-", '"', "OR", "!!!", "a & b | c"]:
        assert client.get("/search/", {"q": q}).status_code == 200, q


@on_postgres
def test_websearch_syntax_and_highlighted_snippets(seeded, client):
    response = client.get("/search/", {"q": '"translational medicine" -Skolkovo'})
    results = group(response, "News")["results"]
    assert [a.slug for a in results] == [
        "the-translational-medicine-development-project-of-the-tomsk-region-named-the"
    ]
    assert "<mark>translational</mark>" in response.content.decode().lower()


@on_postgres
def test_misspelling_falls_back_to_similar_titles(seeded, client):
    response = client.get("/search/", {"q": "Univrsity Cties"})
    assert response.context["similar_titles_only"]
    slugs = [a.slug for a in group(response, "News")["results"]]
    assert "ii-forum-of-university-cities-to-take-place-in-tomsk" in slugs


@on_postgres
@pytest.mark.parametrize(
    "build,index",
    [
        (
            lambda: Article.objects.annotate(v=article_search_vector()).filter(
                v=SearchQuery("medical", search_type="websearch", config="english")
            ),
            "news_article_search_vector",
        ),
        (
            lambda: Article.objects.filter(title__trigram_word_similar="Tomks"),
            "news_article_title_trgm",
        ),
    ],
)
def test_search_can_use_its_indexes(seeded, build, index):
    # The seeded table is tiny, so plain scans are switched off to see which index fits.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = build().explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert index in plan
