"""The three template levels: base, section base, page; one include for links with roles."""

import re
from pathlib import Path

from django.conf import settings

from . import factories

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _role_items(content, section_id):
    """(link text, role) for each entry of a links-with-roles section."""
    section = re.search(rf'aria-labelledby="{section_id}">(.*?)</section>', content, re.S).group(1)
    items = re.findall(
        r'<li>\s*<a href="[^"]+">([^<]+)</a>\s*(?:<span class="role">([^<]+)</span>)?', section
    )
    return items


def test_links_with_roles_on_project_stakeholder_and_cluster_pages(db, client):
    lead = factories.stakeholder(name="Lead Org", is_published=True)
    unnamed = factories.stakeholder(name="Unnamed Part", is_published=True)
    project = factories.project(
        stakeholders=[(lead, "lead"), (unnamed, "")], name="Role Project", is_published=True
    )
    cluster = factories.cluster(
        members=[(lead, "coordinator")], name="Role Cluster", is_published=True
    )

    page = client.get(project.get_absolute_url()).content.decode()
    assert sorted(_role_items(page, "rel-stakeholders")) == [
        ("Lead Org", "Lead"),
        ("Unnamed Part", ""),
    ]

    page = client.get(lead.get_absolute_url()).content.decode()
    assert _role_items(page, "rel-projects") == [("Role Project", "Lead")]
    assert _role_items(page, "rel-clusters") == [("Role Cluster", "Coordinator")]

    page = client.get(cluster.get_absolute_url()).content.decode()
    assert _role_items(page, "rel-members") == [("Lead Org", "Coordinator")]


def test_links_with_roles_are_written_once():
    """The role markup lives in one include, not in each detail page."""
    holders = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if 'class="role"' in path.read_text()
    ]
    assert holders == ["includes/role_links.html"]


def test_detail_pages_take_breadcrumbs_from_their_section_base(db, client):
    project = factories.project(is_published=True, name="Crumb Project")
    response = client.get(project.get_absolute_url())
    names = [t.name for t in response.templates]
    assert names[:3] == ["portal/project_detail.html", "portal/base.html", "base.html"]
    content = response.content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs wrap"[^>]*>(.*?)</nav>', content, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/", "/projects/"]
    assert '<span aria-current="page">Crumb Project</span>' in crumbs
    # A list page of the same section has none.
    assert "breadcrumbs wrap" not in client.get("/projects/").content.decode()


def test_section_pages_extend_their_section_base(db, client):
    for url, section_base in [
        ("/news/", "news/base.html"),
        ("/events/", "news/base.html"),
        ("/stakeholders/", "portal/base.html"),
        ("/documents/", "programme/base.html"),
        ("/open-data/", "public/data_base.html"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert section_base in [t.name for t in response.templates], url
