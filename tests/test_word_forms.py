"""The directory's word search matches word forms in both languages, on SQLite and PostgreSQL
("universities" finds "university", "кластеров" finds "кластер"; public/wordforms.py)."""

import re

import pytest
from django.db import connection
from django.utils import translation

from clusters.models import Cluster
from portal.models import Project, Stakeholder
from public.textsearch import match_words
from public.wordforms import word_pattern, word_start

from . import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "word,start",
    [
        ("universities", "universit"),
        ("University", "Universit"),
        ("city", "cit"),
        ("cities", "cit"),
        ("Clusters", "Cluster"),
        ("кластеров", "кластер"),
        ("Университеты", "Университет"),
        ("ёлки", "ёлк"),  # the Russian stemmer reads ё as е; the start keeps what was typed
        ("IT", "IT"),
        ("the", "the"),
        ("100%", "100%"),
    ],
)
def test_the_start_all_forms_share(word, start):
    assert word_start(word) == start
    assert start in word  # never more than the word: a search finds what the word finds


def test_patterns_take_special_characters_literally():
    assert re.search(word_pattern("a.b"), "a.b") and not re.search(word_pattern("a.b"), "axb")
    assert re.search(word_pattern("(c)"), "Logo (c) 2020")
    assert re.search(word_pattern("100%"), "owned 100% by")


def found(model, q, language="en"):
    with translation.override(language):
        return set(match_words(model.objects.all(), q).values_list("slug", flat=True))


@pytest.fixture
def directory():
    with translation.override("en"):
        factories.stakeholder(name="Tomsk State University", slug="tsu")
        factories.stakeholder(name="Association of Universities", slug="assoc")
        factories.stakeholder(name="Tomsk Regional Administration", slug="admin")
        factories.stakeholder(name="Ministry of Energy", slug="ministry")
        factories.stakeholder(
            name_en="Siberian Timber Company", name_ru="Сибирская лесная компания", slug="timber"
        )
        factories.cluster(name_en="Timber cluster", name_ru="Лесопромышленный кластер", slug="t")
        factories.cluster(name_en="Clusters of IT", name_ru="Кластеры ИТ", slug="it")


def test_english_word_forms(directory):
    assert (
        found(Stakeholder, "universities")
        == found(Stakeholder, "university")
        == {
            "tsu",
            "assoc",
        }
    )
    assert found(Stakeholder, "UNIVERSITY tomsk") == {"tsu"}
    # The start of a word, not any part of one.
    assert found(Stakeholder, "ministries") == {"ministry"}
    assert "admin" not in found(Stakeholder, "ministry")
    assert found(Cluster, "cluster") == {"t", "it"}


def test_russian_word_forms(directory):
    assert found(Cluster, "кластеров", "ru") == {"t", "it"}
    assert found(Cluster, "Кластер", "ru") == {"t", "it"}  # either case, on SQLite too
    assert found(Stakeholder, "лесной", "ru") == {"timber"}
    assert found(Stakeholder, "компаниями", "ru") == {"timber"}
    # The English page searches the English names.
    assert found(Cluster, "кластеров", "en") == set()


@pytest.mark.parametrize(
    "prefix,many,one", [("", "universities", "university"), ("/ru", "университетов", "университет")]
)
def test_the_directory_and_the_site_search_find_word_forms(client, prefix, many, one):
    with translation.override("en"):
        factories.stakeholder(
            name_en="Tomsk State University", name_ru="Томский государственный университет"
        )
        factories.project(name_en="Universities campus", name_ru="Кампус университетов")

    def count(q):
        response = client.get(f"{prefix}/stakeholders/", {"q": q})
        assert response.status_code == 200
        return response.context["paginator"].count

    assert count(many) == count(one) == 1
    response = client.get(f"{prefix}/search/", {"q": one})
    groups = {str(group["label"]): len(group["results"]) for group in response.context["groups"]}
    assert sorted(groups.values(), reverse=True)[:2] == [1, 1]  # the project and stakeholder
    projects = client.get(f"{prefix}/projects/", {"q": one}).context["paginator"].count
    assert projects == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own stemmer")
def test_postgresql_stems_with_its_text_search_dictionaries(directory):
    query = str(match_words(Stakeholder.objects.all(), "universities").query)
    assert "ts_lexize('english_stem'" in query
    with translation.override("ru"):
        query = str(match_words(Project.objects.all(), "кластеров").query)
    assert "ts_lexize('russian_stem'" in query
