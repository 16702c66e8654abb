"""Pages staff write: their public page in both languages, drafts for staff only, Markdown
sanitised, links in the header and footer (with the programme's owner once staff name one)
from one kept query, and the sitemap."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.roles import EDITORS
from programme.models import Page

from . import factories

pytestmark = pytest.mark.django_db


page = factories.page


def header(response):
    text = response.content.decode()
    return text[text.index("<header") : text.index("</header>")]


def footer(response):
    text = response.content.decode()
    return text[text.index("<footer") : text.index("</footer>")]


def test_a_page_in_both_languages_with_its_markdown_sanitised(client):
    page(
        "privacy",
        title="Privacy",
        title_ru="Конфиденциальность",
        body="## Data we keep\n\nNone. <script>alert(1)</script> [x](javascript:alert(1))",
    )
    response = client.get("/pages/privacy/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h2>Data we keep</h2>" in text
    assert "<script>alert" not in text and 'href="javascript:' not in text
    russian = client.get("/ru/pages/privacy/")
    assert russian.status_code == 200
    assert "Конфиденциальность" in russian.content.decode()
    # The body has no Russian text: shown in English, marked so.
    assert 'lang="en"' in russian.content.decode()
    assert client.get("/pages/no-such-page/").status_code == 404


def test_drafts_are_for_staff_only(admin_client):
    page("terms", is_published=False, body="Draft terms")
    anonymous = Client()
    assert anonymous.get("/pages/terms/").status_code == 404
    assert "Terms" not in footer(anonymous.get("/"))
    preview = admin_client.get("/pages/terms/")
    assert preview.status_code == 200
    assert "Not published." in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]


def test_header_and_footer_links_and_the_owner(client):
    response = client.get("/")
    # No owner stated anywhere: the footer names none.
    assert "Programme owner" not in footer(response)
    page("contacts", placement="menu", title="Contacts")
    page("accessibility", title="Accessibility statement", order=2)
    page("privacy", title="Privacy", order=1)
    page("internal", placement="none", title="Internal note")
    page("office", placement="owner", title="The programme office")
    response = client.get("/news/")
    assert '<a href="/pages/contacts/">Contacts</a>' in header(response)
    bottom = footer(response)
    assert bottom.index("Privacy") < bottom.index("Accessibility statement")
    # The footer links the contact form's page (/contact/), not the menu page.
    assert "/pages/contacts/" not in bottom and "Internal note" not in bottom
    assert 'Programme owner: <a href="/pages/office/">The programme office</a>' in bottom
    # Nothing in them is published: left out (tests/test_hidden_sections.py).
    assert 'href="/roadmap/"' not in bottom and 'href="/documents/"' not in bottom
    current = client.get("/pages/contacts/")
    assert 'href="/pages/contacts/" aria-current="page"' in header(current)
    russian = client.get("/ru/")
    assert 'href="/ru/pages/contacts/"' in header(russian)


def test_only_one_page_names_the_owner():
    from django.core.exceptions import ValidationError

    page("office", placement="owner")
    with pytest.raises(ValidationError):
        Page(slug="other", title="Other", placement="owner").full_clean()


def queries(client, url):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.usefixtures("no_page_cache")
def test_the_links_cost_one_kept_query_however_many_pages(client):
    page("one", placement="menu")
    page("two")
    few = queries(client, "/about/")
    for n in range(12):
        page(f"menu-{n}", placement="menu")
        page(f"footer-{n}")
    assert queries(client, "/about/") == few
    # Kept for the content version: a second render reads no page link.
    with CaptureQueriesContext(connection) as context:
        client.get("/about/")
    assert not [q for q in context.captured_queries if "programme_page" in q["sql"]]
    # A change shows at once.
    page("new-one", placement="menu", title="Brand new")
    assert "Brand new" in header(client.get("/about/"))


def test_pages_and_lists_are_in_the_sitemap(client):
    page("contacts")
    page("draft", is_published=False)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-site-pages.xml" in index
    section = client.get("/sitemap-site-pages.xml").content.decode()
    assert "/pages/contacts/" in section and "/ru/pages/contacts/" in section
    assert "/pages/draft/" not in section
    pages = client.get("/sitemap-pages.xml").content.decode()
    # Lists with nothing published are left out until something is.
    assert "/roadmap/" not in pages and "/documents/" not in pages
    factories.roadmap_action()
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "/roadmap/" in pages and "/documents/" not in pages


def test_an_editor_adds_a_draft_only(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    url = reverse("admin:programme_page_add")
    data = {
        "title": "Contacts",
        "title_ru": "",
        "slug": "contacts",
        "body": "Write to us.",
        "body_ru": "",
        "order": "0",
        "placement": "footer",
        "is_published": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # refused: only publishers publish
    assert "is_published" in response.context["adminform"].form.errors
    del data["is_published"]
    assert client.post(url, data).status_code == 302
    assert Page.objects.get().is_published is False
