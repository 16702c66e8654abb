"""The documents list and the pages listing documents: published ones only, flat queries."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programme.models import Document

from .. import factories
from .helpers import PDF, XLSX, upload

pytestmark = pytest.mark.django_db


def make(title, data=PDF, name="doc.pdf", **kwargs):
    slug = kwargs.pop("slug", title.lower().replace(" ", "-"))
    kwargs.setdefault("language", "en")
    document = Document(title=title, slug=slug, **kwargs)
    document.file = upload(name, data)
    document.full_clean()
    document.save()
    return document


def test_the_list_shows_published_documents_with_format_and_size_and_filters(client):
    cluster = factories.cluster(slug="pharma")
    project = factories.project(slug="medical-centre")
    concept = make("Concept", kind="concept", language="en", date="2017-12-11")
    concept.clusters.add(cluster)
    report = make("Report", data=XLSX, name="r.xlsx", kind="report", language="ru")
    report.projects.add(project)
    make("Secret draft", is_published=False)

    page = client.get("/documents/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Concept" in text and "Report" in text and "Secret draft" not in text
    assert f"(PDF, {len(PDF)}" in text and "XLSX" in text
    assert [d.title for d in page.context["rows"]] == ["Concept", "Report"]

    for query, expected in [
        ("kind=concept", ["Concept"]),
        ("language=ru", ["Report"]),
        ("cluster=pharma", ["Concept"]),
        ("project=medical-centre", ["Report"]),
        ("year=2017", ["Concept"]),
        ("kind=report&kind=concept", ["Concept", "Report"]),
    ]:
        response = client.get(f"/documents/?{query}")
        assert response.status_code == 200, query
        assert [d.title for d in response.context["rows"]] == expected, query

    # Bad input is a 400 with a note, never a 5xx.
    for query in ("kind=bogus", "year=20x7", "project=nope", "language=fr", "page=zz"):
        response = client.get(f"/documents/?{query}")
        assert response.status_code in (400, 404), query
    assert client.get("/ru/documents/").status_code == 200


def test_drafts_are_downloaded_by_staff_only(admin_client):
    client = Client()
    draft = make("Draft", is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.get("/documents/no-such-document/").status_code == 404


def test_cluster_and_project_pages_list_their_documents_with_flat_queries(client):
    cluster = factories.cluster()
    project = factories.project()
    cluster.projects.add(project)

    def counts():
        result = []
        for url in (cluster.get_absolute_url(), project.get_absolute_url()):
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert response.status_code == 200
            result.append(len(context.captured_queries))
        return result, response

    document = make("Linked paper")
    document.clusters.add(cluster)
    document.projects.add(project)
    make("Hidden paper", is_published=False).projects.add(project)
    few, response = counts()
    text = response.content.decode()
    assert "Linked paper" in text and "Hidden paper" not in text
    assert "Documents" in text
    for n in range(8):
        extra = make(f"Paper {n}")
        extra.clusters.add(cluster)
        extra.projects.add(project)
    many, _ = counts()
    assert few == many


@pytest.mark.usefixtures("no_page_cache")
def test_the_list_costs_the_same_queries_for_few_and_many_documents(client):

    cluster = factories.cluster(slug="c")
    project = factories.project(slug="p")

    def add(n):
        for i in range(n):
            document = make(f"Doc {add.count + i}", kind="report", date="2018-05-01", language="ru")
            document.clusters.add(cluster)
            document.projects.add(project)
        add.count += n

    add.count = 0
    urls = ["/documents/", "/documents/?kind=report&language=ru&cluster=c&project=p&year=2018"]

    def counts():
        result = []
        for url in urls:
            for cache in caches.all():
                cache.clear()
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context.captured_queries))
        return result

    add(2)
    few = counts()
    add(25)
    assert counts() == few
    assert max(few) <= 12
