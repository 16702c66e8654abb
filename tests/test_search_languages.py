"""Search in both languages: Russian pages search Russian texts with Russian stems (PostgreSQL)."""

import pytest
from django.db import connection
from django.utils import translation

from news.models import Article

from . import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


@pytest.fixture
def articles():
    with translation.override("en"):
        both = factories.article(
            title_en="Clusters of the Tomsk region grow",
            title_ru="Кластеры Томской области растут",
            body_en="Innovation clusters attract investors.",
            body_ru="Инновационные кластеры привлекают инвесторов.",
        )
        english_only = factories.article(
            title_en="Hydrogen energy laboratory opens", body_en="A hydrogen laboratory."
        )
    return both, english_only


def found(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [str(row.pk) for row in response.context.get("rows", [])] or [
        str(result.pk)
        for group in response.context.get("groups", [])
        for result in group["results"]
    ]


def test_russian_pages_search_russian_words_by_their_stems(client, articles):
    both, english_only = articles
    # "кластер" (singular) finds "Кластеры" / "кластеры" by the Russian stem.
    assert str(both.pk) in found(client, "/ru/search/?q=кластер")
    assert str(both.pk) in found(client, "/ru/news/?q=кластерами")
    page = client.get("/ru/search/?q=кластер").content.decode()
    assert "<mark>" in page and "кластеры" in page.lower()
    # The English page searches the English texts: the Russian word is not in them.
    assert str(both.pk) not in found(client, "/search/?q=кластер")
    assert str(both.pk) in found(client, "/search/?q=cluster")


def test_a_text_missing_in_a_language_is_searched_as_the_page_shows_it(client, articles):
    both, english_only = articles
    # Shown in English on the Russian page, so found there by its English words.
    assert str(english_only.pk) in found(client, "/ru/search/?q=hydrogen")
    assert str(english_only.pk) in found(client, "/ru/news/?q=laboratories")


def test_both_vectors_follow_every_write(articles):
    both, _english_only = articles
    Article.objects.filter(pk=both.pk).update(title_ru="Технопарк открылся")
    vectors = Article.objects.filter(pk=both.pk).values_list("search_vector", "search_vector_ru")
    english, russian = vectors.get()
    # The new Russian title is in the Russian vector, the old one gone; English unchanged.
    assert "'технопарк':1A" in russian and "'кластер':1A" not in russian
    assert "'cluster':1A" in english
