"""An editor's journey through versions in a real browser: edit, compare, restore."""

import re

import pytest

from .conftest import ARTICLE, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_compares_versions_and_restores_one(site, open_tab):
    from news.models import Article

    article = Article.objects.get(slug=ARTICLE)
    original = article.title
    editor = open_tab()
    visitor = open_tab()
    page = editor.page

    editor.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(site.staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(editor.url("/admin/"))

    # Two edits of the title, each saved: each keeps a version.
    change = f"/admin/news/article/{article.pk}/change/"
    for title in ("A first rewrite of the title", "A second rewrite, later regretted"):
        editor.goto(change)
        # The English title: "title", or "title_en" where translations have their columns.
        page.locator('input[name="title"], input[name="title_en"]').first.fill(title)
        page.get_by_role("button", name="Save and continue editing").first.click()
        page.get_by_text("was changed successfully").wait_for()
    visitor.goto(article.get_absolute_url())
    assert "A second rewrite, later regretted" in visitor.page.locator("h1").inner_text()

    # History: every save is listed; compare the last two versions and see the change.
    page.get_by_role("link", name="History").first.click()
    page.wait_for_url(re.compile(r"/history/$"))
    rows = page.locator("#change-history tbody tr")
    assert rows.count() >= 2
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/history/compare/"))
    diff = page.locator("#content").inner_text()
    assert "later regretted" in diff and "first rewrite" in diff

    # Restore the first rewrite: open its version, save it; it becomes a new version.
    editor.goto(f"/admin/news/article/{article.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    before = rows.count()
    rows.nth(1).get_by_role("link").first.click()  # newest first: the one before the last
    page.wait_for_url(re.compile(r"/history/\d+/$"))
    title_field = page.locator('input[name="title"], input[name="title_en"]').first
    assert title_field.input_value() == "A first rewrite of the title"
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/news/article/"))
    visitor.goto(article.get_absolute_url())
    assert "A first rewrite of the title" in visitor.page.locator("h1").inner_text()
    editor.goto(f"/admin/news/article/{article.pk}/history/")
    assert page.locator("#change-history tbody tr").count() == before + 1
    assert original != "A first rewrite of the title"
    assert editor.problems == [] and visitor.problems == []
