"""A cluster or direction with no project says what it is (its own description, else the
programme's wording that names them all) and what is linked to it (news, stakeholders), not a
bare "nothing here" (public/linked.py)."""

import pytest
from django.utils import translation
from django.utils.html import escape

from clusters.models import Cluster
from portal.models import KeyFact

from . import factories

pytestmark = pytest.mark.django_db

CLUSTERS_WORDING = "INO Tomsk project is based on 6 innovation territorial clusters"


def wording(order, prefix):
    """A key figure's wording as a page in the language of ``prefix`` shows it."""
    with translation.override("ru" if prefix else "en"):
        return escape(KeyFact.objects.get(order=order).text)


FORUM = "/news/ii-forum-of-university-cities-to-take-place-in-tomsk/"


@pytest.mark.parametrize(
    "prefix,says",
    [
        (
            "",
            [
                "The programme names it among the clusters INO Tomsk is based on:",
                "No project of this cluster is listed in the directory yet.",
                "Nothing else in the directory is linked to it yet",
            ],
        ),
        (
            "/ru",
            [
                "Программа называет его среди кластеров, на которых основан проект ИНО Томск:",
                "Проекты этого кластера в каталоге пока не указаны.",
                "Больше ничего в каталоге с ним пока не связано",
            ],
        ),
    ],
)
def test_an_empty_cluster_says_what_it_is(seeded, client, prefix, says):
    html = client.get(f"{prefix}/clusters/timber/").content.decode()
    for text in says:
        assert text in html
    assert wording(8, prefix) in html
    assert f'href="{prefix}/about/#figure-8"' in html
    # No section that only says it is empty.
    for bare in ("No members listed yet.", "No news yet.", "Участники пока не указаны."):
        assert bare not in html
    assert 'id="rel-members"' not in html and 'id="news-heading"' not in html


def test_a_cluster_with_projects_lists_the_stakeholders_they_name(seeded, client):
    html = client.get("/clusters/pharmaceutics-medical-equipment-and-it/").content.decode()
    assert "Stakeholders taking part in its projects or named in its news:" in html
    assert 'href="/stakeholders/federal-agency-for-scientific-organizations/"' in html
    assert 'id="news-heading"' in html
    assert "No project of this cluster" not in html and "Nothing else" not in html
    assert CLUSTERS_WORDING in html  # the seeds describe no cluster


def test_a_cluster_description_comes_first(client):
    cluster = factories.cluster(name="Ice cluster", description="Ice and **snow**.")
    member = factories.stakeholder(name="Snow institute")
    cluster.memberships.create(stakeholder=member, role="member")
    KeyFact.objects.create(order=8, figure="6", text="Based on 6 clusters.", live_count="clusters")
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert "<strong>snow</strong>" in html and "Based on 6 clusters." not in html
    assert 'id="rel-members"' in html and "Snow institute" in html
    assert "Stakeholders taking part" not in html


def test_members_and_news_count_as_linked(client):
    cluster = factories.cluster(name="Ice cluster")
    person = factories.stakeholder(name="Frost lab")
    factories.article(title="Frost news").clusters.add(cluster)
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert "No project of this cluster is listed in the directory yet." in html
    assert "Nothing else" not in html and "Frost news" in html
    # Named in its news (not a member): listed as such.
    article = factories.article(title="Lab news")
    article.clusters.add(cluster)
    article.stakeholders.add(person)
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert "Frost lab" in html and "Stakeholders taking part" in html
    # Unpublished ones are not.
    person.is_published = False
    person.save()
    assert "Frost lab" not in client.get(cluster.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "prefix,linked,all_news",
    [("", "Linked to it", "All news about this"), ("/ru", "Что с ним связано", "Все новости")],
)
def test_an_empty_direction_says_what_it_is_and_what_is_linked(
    seeded, client, prefix, linked, all_news
):
    response = client.get(f"{prefix}/projects/", {"direction": "science-and-education"})
    assert response.status_code == 200
    html = response.content.decode()
    assert wording(2, prefix) in html and f'href="{prefix}/about/#figure-2"' in html
    assert linked in html and all_news in html
    assert f'href="{prefix}/news/?direction=science-and-education"' in html
    assert f'href="{prefix}{FORUM}"' in html
    # The stakeholders its news names.
    assert f'href="{prefix}/stakeholders/heidelberg-university/"' in html


def test_an_empty_cluster_filter_links_its_page(seeded, client):
    html = client.get("/projects/", {"cluster": "timber"}).content.decode()
    assert CLUSTERS_WORDING in html and 'href="/clusters/timber/"' in html
    assert "Nothing else in the directory is linked to it yet." in html


def test_a_summary_replaces_the_wording(client):
    direction = factories.direction(name="Ice", slug="ice", summary="Cold technologies.")
    factories.cluster(name="Frozen cluster").directions.add(direction)
    html = client.get("/projects/", {"direction": "ice"}).content.decode()
    assert "Cold technologies." in html and "names it among" not in html
    assert "Clusters in this direction:" in html and "Frozen cluster" in html


def test_only_a_single_cluster_or_direction_filter_explains_itself(seeded, client):
    both = client.get(
        "/projects/", {"direction": "science-and-education", "cluster": "timber"}
    ).content.decode()
    assert "Nothing matches these filters." in both and "Linked to it" not in both
    searched = client.get("/projects/", {"q": "zzzz"}).content.decode()
    assert "Linked to it" not in searched
    # An unknown value is refused as before, with no explanation of it.
    assert client.get("/projects/", {"cluster": "no-such"}).status_code == 400
    hidden = Cluster.objects.get(slug="timber")
    hidden.is_published = False
    hidden.save()
    assert client.get("/projects/", {"cluster": "timber"}).status_code == 400
