"""The admin is the CMS: every model's pages render and searches work for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from news.models import Article

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in {"portal", "clusters", "news"}
    ),
    key=lambda model: model._meta.label,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_content_model_is_registered():
    labels = {model._meta.label for model in MODELS}
    assert labels == {
        "portal.Direction",
        "portal.KeyFact",
        "portal.Stakeholder",
        "portal.ParkType",
        "portal.Park",
        "portal.Project",
        "clusters.Cluster",
        "news.Article",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render(seeded, admin_client, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "Tomsk"}).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200


def test_search_finds_articles(seeded, admin_client):
    response = admin_client.get(admin_url(Article, "changelist"), {"q": "Shpilenko"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_project_page_has_role_and_cluster_inlines(seeded, admin_client):
    from portal.models import Project

    project = Project.objects.get(slug="national-research-medical-center")
    response = admin_client.get(admin_url(Project, "change", project.pk))
    content = response.content.decode()
    assert "stakeholders and their roles" in content.lower()
    assert 'name="roles-TOTAL_FORMS"' in content
    assert "Cluster_projects" in content or "cluster_projects" in content.lower()


def test_editor_can_add_an_article_with_relations(seeded, admin_client):
    response = admin_client.post(
        admin_url(Article, "add"),
        {
            "title": "New agreement signed",
            "slug": "new-agreement-signed",
            "status": "draft",
            "published_at_0": "2026-11-20",
            "published_at_1": "10:00:00",
            "lead": "",
            "body": "One.\n\nTwo.",
            "source": "",
            "source_url": "",
            "image_alt": "",
            "clusters": ["1"],
            "directions": ["2"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="new-agreement-signed")
    assert list(article.clusters.values_list("pk", flat=True)) == [1]
    assert article.status == "draft"


def test_invalid_admin_save_leaves_row_unchanged(seeded, admin_client):
    from portal.models import Project

    project = Project.objects.get(slug="national-research-medical-center")
    url = admin_url(Project, "change", project.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "name": "Changed name",
            "start_date": "2020-01-02",
            "end_date": "2020-01-01",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "Cluster_projects-TOTAL_FORMS": "0",
            "Cluster_projects-INITIAL_FORMS": "0",
            "parks": [],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    project.refresh_from_db()
    assert project.name == "National Research Medical Center"
