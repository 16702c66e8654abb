"""Journeys through the roadmap, the documents and the pages staff write: a visitor finds the
roadmap's honest empty state, filters the documents and opens a footer page; an editor uploads
a document, and an HTML page renamed .pdf is refused. axe checks these pages with content."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import ASSETS, CLUSTER, DESKTOP, PASSWORD, PHONE
from .test_accessibility import RUN_AXE, WCAG_21_A_AA

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert('pwned')</script></body></html>"


@pytest.fixture
def programme(site):
    """A footer page, a menu page, the owner, and a published report of the seed cluster."""
    from clusters.models import Cluster
    from programme.models import Document, Page

    Page.objects.create(
        title="Accessibility statement",
        slug="accessibility",
        placement="footer",
        body="## Our aim\n\nEvery page meets **WCAG 2.1 AA**. Write to us if one does not.",
    )
    Page.objects.create(title="Contacts", slug="contacts", placement="menu", body="Write to us.")
    Page.objects.create(title="Test programme office", slug="office", placement="owner")
    for title, kind in [("Annual report 2018", "report"), ("Concept of INO Tomsk", "concept")]:
        document = Document(
            title=title, slug=title.lower().replace(" ", "-"), kind=kind, language="en"
        )
        document.file = SimpleUploadedFile("file.pdf", PDF)
        document.full_clean()
        document.save()
        document.clusters.add(Cluster.objects.get(slug=CLUSTER))
    return site


def test_a_visitor_reads_the_roadmap_documents_and_a_footer_page(programme, open_tab):
    tab = open_tab()
    page = tab.page
    tab.goto("/")
    footer = page.locator("footer")
    assert "Programme owner: Test programme office" in footer.inner_text()

    # No action published: the roadmap is not linked, but its address answers.
    assert footer.get_by_role("link", name="Roadmap").count() == 0
    tab.goto("/roadmap/")
    assert page.get_by_role("heading", level=1).inner_text() == "Roadmap"
    empty = page.locator(".empty-state").inner_text()
    assert "65 actions included in roadmap" in empty
    assert "not been published here yet" in empty

    page.locator("footer").get_by_role("link", name="Documents").click()
    page.wait_for_url(tab.url("/documents/"))
    page.locator(".facets").get_by_text("Report", exact=False).first.click()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/documents/\?.*kind=report"))
    rows = page.locator(".document-list li")
    assert rows.count() == 1
    assert "Annual report 2018" in rows.first.inner_text()
    assert "(PDF, " in rows.first.inner_text()
    link = rows.first.get_by_role("link", name="Annual report 2018")
    response = page.request.get(tab.url(link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"

    # The cluster page lists its documents too.
    tab.goto(f"/clusters/{CLUSTER}/")
    assert "Concept of INO Tomsk" in page.locator("#rel-documents").locator("..").inner_text()

    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    page.wait_for_url(tab.url("/pages/accessibility/"))
    assert page.get_by_role("heading", level=2, name="Our aim").is_visible()
    page.locator("header").get_by_role("link", name="Contacts").click()
    page.wait_for_url(tab.url("/pages/contacts/"))
    assert tab.problems == []


def test_an_editor_uploads_a_document_and_a_renamed_html_page_is_refused(
    programme, open_tab, tmp_path
):
    from programme.models import Document

    before = Document.objects.count()
    fake = tmp_path / "report.pdf"
    fake.write_bytes(HTML)
    real = tmp_path / "roadmap.pdf"
    real.write_bytes(PDF)
    editor = open_tab()
    page = editor.page
    editor.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.locator('input[name="username"]').fill(programme.staff.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_url(editor.url("/admin/"))

    editor.goto("/admin/programme/document/add/")
    page.locator('input[name="title"]').fill("Roadmap of INO Tomsk")
    page.locator('input[name="title"]').press("Tab")
    assert page.locator('input[name="slug"]').input_value() == "roadmap-of-ino-tomsk"
    page.locator('select[name="kind"]').select_option("roadmap")
    page.locator('select[name="language"]').select_option("ru")
    page.locator('input[name="file"]').set_input_files(fake)
    page.get_by_role("button", name="Save", exact=True).first.click()
    error = page.locator(".errorlist").first
    error.wait_for()
    assert (
        "not a PDF, DOCX, XLSX, ODT or ODS document" in page.locator("#document_form").inner_text()
    )
    assert Document.objects.count() == before

    page.locator('input[name="file"]').set_input_files(real)
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.get_by_text("was added successfully").wait_for()
    document = Document.objects.get(slug="roadmap-of-ino-tomsk")
    assert (document.file_format, document.file_size) == ("pdf", len(PDF))
    assert "roadmap" not in document.file.name.rsplit("/", 1)[-1]  # a random stored name

    visitor = open_tab()
    visitor.goto("/documents/?kind=roadmap")
    assert visitor.page.get_by_role("link", name="Roadmap of INO Tomsk").is_visible()
    assert editor.problems == [] and visitor.problems == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pages_with_content_pass_axe_and_fit_a_phone(programme, open_tab, viewport):
    from portal.models import Direction, Stakeholder
    from programme.models import RoadmapAction

    # Test actions (the seeds state none), to check the list and its progress table.
    done = RoadmapAction.objects.create(
        number=1,
        title="A test action",
        description="Described in **Markdown**.",
        status="done",
        due_date="2018-12-31",
        progress_note="Finished on time.",
        direction=Direction.objects.first(),
    )
    done.stakeholders.add(Stakeholder.objects.first())
    RoadmapAction.objects.create(number=2, title="Another test action")
    tab = open_tab(viewport, bypass_csp=True)
    tab.page.context.add_init_script(path=str(ASSETS / "axe.min.js"))
    report = []
    for path in (
        "/roadmap/",
        "/ru/roadmap/?status=done",
        "/documents/",
        "/documents/?kind=report&year=1999",
        "/pages/accessibility/",
        "/ru/pages/accessibility/",
        "/ru/documents/",
        "/roadmap/?status=bogus",
    ):
        tab.goto(path, status=400 if "bogus" in path else 200)
        for violation in tab.page.evaluate(RUN_AXE, WCAG_21_A_AA):
            report.append(f"{path}: {violation['id']}: {violation['help']} {violation['nodes']}")
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (path, width)
    assert not report, "\n".join(report)
    assert tab.problems == []
