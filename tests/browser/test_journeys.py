"""Visitor journeys in a real browser: desktop, phone and keyboard only."""

import re
from xml.etree import ElementTree

import pytest

from .conftest import ARTICLE, CLUSTER, PASSWORD, PHONE, PROJECT, picture

pytestmark = pytest.mark.django_db(transaction=True)

CLUSTER_NAME = "Pharmaceutical cluster and cluster of medical equipment and IT"
ARTICLE_TITLE = "The translational medicine development project of the Tomsk Region named the best"
PROJECT_NAME = "National Research Medical Center"


def plain(text):
    """Text with the seeds' no-break spaces as ordinary ones."""
    return " ".join(text.replace("\xa0", " ").split())


def heading(page):
    return plain(page.get_by_role("heading", level=1).inner_text())


def assert_no_horizontal_scrolling(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def visit_home_to_project(tab, phone=False):
    """Home → news → filter by a cluster → an article → its cluster → a project."""
    page = tab.page
    tab.goto("/")
    assert heading(page) == "The innovation territory of the Tomsk agglomeration"
    if phone:
        assert_no_horizontal_scrolling(page)

    if phone:  # the sections open from the menu's disclosure
        page.locator("summary", has_text="Menu").tap()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="News").click()
    page.wait_for_url(tab.url("/news/"))
    assert heading(page) == "News"
    page.get_by_text("5 results").wait_for()

    if phone:  # the results come first; the filters open from their disclosure
        page.locator("summary", has_text="Filters (0)").tap()
    filters = page.get_by_role("form", name="Filter")
    # Ticking a box applies the filters (static/js/site.js); the button is for pages without script.
    filters.get_by_role("group", name="Cluster").get_by_role(
        "checkbox", name=re.compile(re.escape(CLUSTER_NAME))
    ).click()
    page.wait_for_url(re.compile(rf"/news/\?(.*&)?cluster={CLUSTER}"))
    page.get_by_text("2 results").wait_for()
    chip = page.get_by_role("list", name="Active filters").get_by_role("link")
    assert chip.all_inner_texts() == [f"Remove filter\nCluster: {CLUSTER_NAME} ×"]
    titles = [plain(title) for title in page.locator(".card-title a").all_inner_texts()]
    assert len(titles) == 2 and any(title.startswith(ARTICLE_TITLE) for title in titles)
    if phone:
        assert_no_horizontal_scrolling(page)

    page.get_by_role("link", name=re.compile("^" + re.escape(ARTICLE_TITLE))).click()
    page.wait_for_url(tab.url(f"/news/{ARTICLE}/"))
    assert heading(page).startswith(ARTICLE_TITLE)
    picture = page.locator("img.article-image")
    assert picture.get_attribute("alt").startswith("A test picture")
    assert picture.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    if phone:
        assert_no_horizontal_scrolling(page)

    page.get_by_role("region", name="Clusters").get_by_role("link", name=CLUSTER_NAME).click()
    page.wait_for_url(tab.url(f"/clusters/{CLUSTER}/"))
    assert heading(page) == CLUSTER_NAME
    if phone:
        assert_no_horizontal_scrolling(page)

    page.get_by_role("region", name="Projects").get_by_role("link", name=PROJECT_NAME).click()
    page.wait_for_url(tab.url(f"/projects/{PROJECT}/"))
    assert heading(page) == PROJECT_NAME
    # The way back: the project names its cluster.
    assert page.get_by_role("link", name=CLUSTER_NAME).count() >= 1
    if phone:
        assert_no_horizontal_scrolling(page)


def test_visitor_goes_from_home_to_a_project(site, open_tab):
    tab = open_tab()
    visit_home_to_project(tab)
    assert tab.problems == []


def test_visitor_on_a_phone(site, open_tab):
    tab = open_tab(PHONE)
    page = tab.page
    tab.goto("/")
    assert page.evaluate("window.innerWidth") == 375

    # The menu opens from one control; then every navigation link shows on the screen, big
    # enough to tap, none hidden off the side.
    menu = page.locator("summary", has_text="Menu")
    assert menu.bounding_box()["height"] >= 44
    menu.tap()
    nav_links = page.get_by_role("navigation", name="Main").get_by_role("link")
    # The sections (more join as the portal grows: events, statistics, staff-written pages).
    names = set(nav_links.all_inner_texts())
    assert {"News", "Projects", "Clusters", "Parks", "Stakeholders", "About"} <= names
    for link in nav_links.all():
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, link.inner_text()
        assert box["width"] >= 24 and box["height"] >= 24, link.inner_text()
    search = page.get_by_role("search").get_by_role("searchbox")
    assert (
        search.is_visible() and search.bounding_box()["x"] + search.bounding_box()["width"] <= 375
    )

    nav_links.filter(has_text="Clusters").tap()
    page.wait_for_url(tab.url("/clusters/"))
    assert heading(page) == "Innovation territorial clusters"
    assert_no_horizontal_scrolling(page)

    visit_home_to_project(tab, phone=True)
    assert tab.problems == []


def test_keyboard_visitor_skips_to_the_main_content(site, open_tab):
    tab = open_tab()
    page = tab.page
    tab.goto(f"/news/{ARTICLE}/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    # Hidden until focused, then on screen where a sighted keyboard user sees it.
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0 and box["width"] > 0

    page.keyboard.press("Enter")
    page.wait_for_url(tab.url(f"/news/{ARTICLE}/#main"))
    assert page.evaluate("document.activeElement.id") == "main"

    # The next Tab lands on the first link inside the main content, not in the header.
    page.keyboard.press("Tab")
    inside_main = page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
        " && document.activeElement.tagName"
    )
    assert inside_main in ("A", "BUTTON", "INPUT")
    # A visible focus indicator: the focused element is outlined or otherwise styled.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert tab.problems == []


def test_editor_writes_previews_and_publishes_an_article(site, open_tab, tmp_path):
    title = "Browser test: a new laboratory opens in Tomsk"
    slug = "browser-test-a-new-laboratory-opens-in-tomsk"
    photo = tmp_path / "laboratory.jpg"
    photo.write_bytes(picture(colour=(120, 30, 30)))
    visitor = open_tab()
    editor = open_tab()
    page = editor.page

    # Log in through the admin's own form.
    editor.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(site.staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(editor.url("/admin/"))

    # A draft with a picture and its alt text; the admin's script fills in the slug.
    editor.goto("/admin/news/article/add/")
    page.get_by_label("Title:").fill(title)
    page.get_by_label("Title:").press("Tab")  # the slug follows on change
    assert page.get_by_label("Slug:").input_value() == slug
    assert page.get_by_label("Status:").input_value() == "draft"
    page.get_by_label("Lead:").fill("A laboratory for translational medicine opens.")
    page.get_by_label("Body:").fill(
        "It opens **today**.\n\nResearchers from six institutes work there."
    )
    page.get_by_label("Image:", exact=True).set_input_files(photo)
    page.get_by_label("Image alt text:").fill("A red test picture with an orange circle")
    page.get_by_role("button", name="Save and continue editing").first.click()
    page.get_by_text("was added successfully").wait_for()

    # The preview: staff see the draft at its public address, marked as not published.
    change_url = page.url
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(editor.url(f"/news/{slug}/"))
    assert page.get_by_role("status").inner_text().startswith("Not published.")
    assert page.get_by_role("heading", level=1).inner_text() == title
    image = page.locator("img.article-image")
    assert image.get_attribute("alt") == "A red test picture with an orange circle"
    assert "/media/renditions/" in image.get_attribute("srcset")
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    # ... and nobody else does.
    assert visitor.page.request.get(visitor.url(f"/news/{slug}/")).status == 404
    visitor.goto("/news/")
    assert visitor.page.get_by_role("link", name=title).count() == 0

    # Back in the admin, the article is listed as a draft; publish it with "Publish now".
    page.go_back()
    assert page.url == change_url
    editor.goto("/admin/news/article/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title))
    assert "Draft" in row.inner_text()
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Publish now")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 entry published.").wait_for()

    # The public finds it on /news/, on its page, and in the RSS feed.
    visitor.goto("/news/")
    visitor.page.get_by_role("link", name=title).click()
    visitor.page.wait_for_url(visitor.url(f"/news/{slug}/"))
    assert visitor.page.get_by_role("status").count() == 0  # no preview banner
    assert "It opens today." in plain(visitor.page.locator(".prose").inner_text())
    feed = visitor.page.request.get(visitor.url("/news/feed/rss/"))
    assert feed.status == 200
    items = ElementTree.fromstring(feed.body()).findall("./channel/item")
    assert items[0].findtext("title") == title
    assert items[0].findtext("link").endswith(f"/news/{slug}/")
    assert editor.problems == [] and visitor.problems == []


def test_visitor_switches_language_on_an_article_and_a_filtered_list(site, open_tab):
    tab = open_tab()
    page = tab.page
    for path in (f"/news/{ARTICLE}/", f"/news/?cluster={CLUSTER}"):
        tab.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name="Русский").click()
        page.wait_for_url(tab.url("/ru" + path))
        assert page.locator("html").get_attribute("lang") == "ru"
        # The seed texts are English: marked as such inside the Russian page.
        assert page.locator('main [lang="en"]').count() > 0
        page.get_by_role("link", name="English").click()
        page.wait_for_url(tab.url(path))
        assert page.locator("html").get_attribute("lang") == "en"
    # The choice is remembered: the root leads to the language chosen last.
    tab.goto("/ru/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(tab.url("/"))
    assert tab.problems == []


def test_russian_editor_writes_and_publishes_an_article_in_russian(site, open_tab):
    title = "Томский технопарк открыл новую лабораторию"
    # The address is typed from the Russian title, transliterated (the editor writes none).
    slug = "tomskij-tehnopark-otkryl-novuyu-laboratoriyu"
    editor = open_tab(locale="ru-RU", extra_http_headers={"Accept-Language": "ru"})
    visitor = open_tab()
    page = editor.page
    editor.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    # The admin follows the editor's browser language.
    assert page.locator("html").get_attribute("lang") == "ru"
    page.locator('input[name="username"]').fill(site.staff.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_url(editor.url("/admin/"))

    editor.goto("/admin/news/article/add/")
    page.locator('input[name="title_ru"]').fill(title)
    page.locator('textarea[name="lead_ru"]').fill("Лаборатория трансляционной медицины открылась.")
    assert page.locator('input[name="slug"]').input_value() == slug
    page.locator('textarea[name="body_ru"]').fill("Она открылась **сегодня**.\n\nВторой абзац.")
    page.locator('select[name="status"]').select_option("published")
    page.locator('input[name="_save"]').first.click()
    page.wait_for_url(editor.url("/admin/news/article/"))

    visitor.goto("/ru/news/")
    visitor.page.get_by_role("link", name=title).click()
    visitor.page.wait_for_url(visitor.url(f"/ru/news/{slug}/"))
    assert "Она открылась сегодня." in plain(visitor.page.locator(".prose").inner_text())
    # On the English site it appears too, marked as Russian only.
    visitor.goto(f"/news/{slug}/")
    assert visitor.page.locator('h1[lang="ru"], h1 [lang="ru"]').count() == 1
    assert editor.problems == [] and visitor.problems == []
