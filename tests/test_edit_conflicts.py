"""No silent overwrites: a save from a form opened before someone else's save is refused.

Two members of staff open the same change form; the first saves; the second's save, made from
the form as it was, must not undo the first's work (cms/edit_conflicts.py).
"""

import pytest
from django.urls import reverse

from clusters.models import Cluster
from cms.roles import EDITORS, PUBLISHERS
from news.models import Article
from portal.models import Direction, KeyFact, Project, ProjectStakeholder

from . import factories
from .admin_forms import change_url, errors, form_data, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def paula(django_user_model):
    return staff(django_user_model, "paula", PUBLISHERS)


@pytest.fixture
def eddie(django_user_model):
    return staff(django_user_model, "eddie", EDITORS)


# Row 7: the second save from a stale form ---------------------------------------------------


def test_stale_save_is_refused_and_keeps_the_first_title(paula, eddie):
    article = factories.article(title="Original title", lead="Old lead")
    first = form_data(paula.get(change_url(article)), title="First title")
    second = form_data(eddie.get(change_url(article)), lead="A better lead")

    assert paula.post(change_url(article), first).status_code == 302
    response = eddie.post(change_url(article), second)

    assert response.status_code == 200
    general, by_field = errors(response)
    message = " ".join(general)
    assert "Not saved: paula (" in message  # who, and when, from the versions
    assert "Changed meanwhile: Title." in message
    assert by_field["title"] == ["Changed meanwhile to: First title (now in the form)."]
    article.refresh_from_db()
    assert (article.title, article.lead) == ("First title", "Old lead")

    # The form now has their title and still my lead: saving again keeps both.
    again = form_data(response)
    assert (again["title"], again["lead"]) == ("First title", "A better lead")
    assert eddie.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.lead) == ("First title", "A better lead")


def test_a_fresh_form_saves(paula, eddie):
    article = factories.article(title="Original title")
    assert paula.post(change_url(article), form_data(paula.get(change_url(article)))).status_code
    response = eddie.post(
        change_url(article), form_data(eddie.get(change_url(article)), lead="New lead")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead == "New lead"


def test_both_changed_the_same_field(paula, eddie):
    article = factories.article(title="Original title")
    first = form_data(paula.get(change_url(article)), title="Paula's title")
    second = form_data(eddie.get(change_url(article)), title="Eddie's title")
    paula.post(change_url(article), first)

    response = eddie.post(change_url(article), second)
    assert response.status_code == 200
    general, by_field = errors(response)
    assert "the form keeps your value and shows theirs" in " ".join(general)
    assert by_field["title"] == [
        "Changed meanwhile to: Paula's title. Saving again keeps what the form says."
    ]
    assert Article.objects.get(pk=article.pk).title == "Paula's title"
    # Having seen theirs, saving again is a choice, and is allowed.
    again = form_data(response)
    assert again["title"] == "Eddie's title"
    assert eddie.post(change_url(article), again).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Eddie's title"


def test_the_same_change_on_both_sides_is_no_conflict(paula, eddie):
    article = factories.article(title="Tpyo")
    first = form_data(paula.get(change_url(article)), title="Typo")
    second = form_data(eddie.get(change_url(article)), title="Typo", lead="Lead")
    paula.post(change_url(article), first)
    assert eddie.post(change_url(article), second).status_code == 302
    assert Article.objects.filter(title="Typo", lead="Lead").exists()


def test_relations_changed_meanwhile_are_kept(paula, eddie):
    cluster = factories.cluster(name="Nuclear cluster")
    article = factories.article()
    first = form_data(paula.get(change_url(article)), clusters=[str(cluster.pk)])
    second = form_data(eddie.get(change_url(article)), lead="Eddie's lead")
    paula.post(change_url(article), first)

    response = eddie.post(change_url(article), second)
    assert response.status_code == 200
    assert errors(response)[1]["clusters"] == [
        "Changed meanwhile to: Nuclear cluster (now in the form)."
    ]
    assert eddie.post(change_url(article), form_data(response)).status_code == 302
    article.refresh_from_db()
    assert list(article.clusters.all()) == [cluster]
    assert article.lead == "Eddie's lead"


def test_a_change_by_a_bulk_action_counts_too(paula, eddie):
    article = factories.article(status="draft")
    stale = form_data(eddie.get(change_url(article)), lead="Lead")
    paula.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    response = eddie.post(change_url(article), stale)
    assert response.status_code == 200
    # The editor had not touched the status: the form now says published, which they may keep.
    assert errors(response)[1]["status"] == ["Changed meanwhile to: Published (now in the form)."]
    assert eddie.post(change_url(article), form_data(response)).status_code == 302
    article.refresh_from_db()
    assert (article.status, article.lead) == ("published", "Lead")


def test_editing_inline_rows_meanwhile_is_a_conflict(paula, eddie):
    university = factories.stakeholder(name="Tomsk State University")
    institute = factories.stakeholder(name="Institute of Optics")
    project = factories.project(stakeholders=[(university, "lead")])
    stale = form_data(eddie.get(change_url(project)), summary="A summary")
    # Someone else adds a partner to the project meanwhile.
    ProjectStakeholder.objects.create(project=project, stakeholder=institute, role="partner")

    response = eddie.post(change_url(project), stale)
    assert response.status_code == 200
    general = " ".join(errors(response)[0])
    assert "Changed meanwhile: Stakeholders and their roles." in general
    assert (
        "Stakeholders and their roles now: Tomsk State University (Lead); "
        "Institute of Optics (Partner)."
    ) in general
    project.refresh_from_db()
    assert project.summary == ""
    assert project.roles.count() == 2
    # Saving again keeps the row added meanwhile (the form never had it).
    assert eddie.post(change_url(project), form_data(response)).status_code == 302
    assert project.roles.count() == 2
    assert Project.objects.get(pk=project.pk).summary == "A summary"


@pytest.mark.parametrize(
    ("build", "field", "theirs", "mine"),
    [
        (lambda: factories.direction(name="Science"), "name", "Science and education", "summary"),
        (lambda: KeyFact.objects.create(order=1, figure="5", text="Five"), "figure", "6", "text"),
        (lambda: factories.park_type(name="Technopark"), "name", "Technoparks", "order"),
        (lambda: factories.cluster(name="Pharma"), "name", "Pharma and health", "summary"),
        (lambda: factories.stakeholder(name="TPU"), "name", "TPU (Polytechnic)", "city"),
        (lambda: factories.park(name="Park A"), "name", "Park Alpha", "address"),
    ],
)
def test_every_content_model_is_checked(paula, eddie, build, field, theirs, mine):
    obj = build()
    url = change_url(obj)
    first = form_data(paula.get(url), **{field: theirs})
    second = form_data(eddie.get(url), **{mine: "7"})
    assert paula.post(url, first).status_code == 302

    response = eddie.post(url, second)
    assert response.status_code == 200
    assert errors(response)[1][field] == [f"Changed meanwhile to: {theirs} (now in the form)."]
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs
    assert eddie.post(url, form_data(response)).status_code == 302
    obj.refresh_from_db()
    assert (getattr(obj, field), str(getattr(obj, mine))) == (theirs, "7")


def test_who_is_unknown_when_the_change_was_made_outside_the_admin(eddie):
    direction = factories.direction(name="Old name")
    stale = form_data(eddie.get(change_url(direction)), summary="Text")
    Direction.objects.filter(pk=direction.pk).update(name="Renamed by a script")
    response = eddie.post(change_url(direction), stale)
    assert response.status_code == 200
    assert "Not saved: someone changed this direction" in " ".join(errors(response)[0])


def test_a_form_without_a_token_is_not_checked(paula):
    # Forms opened before the check existed post no token; they save as before.
    cluster = factories.cluster(name="Old")
    data = form_data(paula.get(change_url(cluster)), name="New")
    del data["edit_token"]
    Cluster.objects.filter(pk=cluster.pk).update(summary="Changed meanwhile")
    assert paula.post(change_url(cluster), data).status_code == 302
    assert Cluster.objects.get(pk=cluster.pk).name == "New"


def test_a_broken_token_is_refused(paula):
    article = factories.article(title="Kept")
    data = form_data(paula.get(change_url(article)), title="Changed", edit_token="{nonsense")
    response = paula.post(change_url(article), data)
    assert response.status_code == 200
    assert errors(response)[0] == ["This form cannot be checked for later changes: reload it."]
    assert Article.objects.get(pk=article.pk).title == "Kept"


def test_the_token_is_hidden_and_add_forms_have_none(paula):
    article = factories.article()
    content = paula.get(change_url(article)).content.decode()
    assert 'type="hidden" name="edit_token"' in content
    assert "edit_token" not in paula.get(reverse("admin:news_article_add")).content.decode()
