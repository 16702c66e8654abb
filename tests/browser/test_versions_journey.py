"""An editor's journey through versions in a real browser, in the English and the Russian
admin: edit twice, compare, restore; each edit touches only its own language's title."""

import re

import pytest

from .conftest import ARTICLE, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# What the editor writes, and the input it goes in: the English title keeps its plain name.
REWRITES = {
    "en": ("A first rewrite of the title", "A second rewrite, later regretted"),
    "ru": ("Первый вариант заголовка", "Второй вариант, о котором потом пожалели"),
}
TITLE_INPUT = {"en": 'input[name="title"]', "ru": 'input[name="title_ru"]'}
# The diff's text as it was (without what was added) and as it is (without what was removed).
BOTH_SIDES = """content => ["ins", "del"].map(gone => {
    const copy = content.cloneNode(true);
    copy.querySelectorAll(gone).forEach(node => node.remove());
    return copy.textContent;
})"""


@pytest.mark.parametrize("language", ["en", "ru"])
def test_editor_compares_versions_and_restores_one(site, open_tab, language):
    from django.utils import translation

    from news.models import Article

    article = Article.objects.get(slug=ARTICLE)
    original = Article.objects.filter(pk=article.pk).values("title_en", "title_ru").get()
    first, second = REWRITES[language]
    other = "ru" if language == "en" else "en"
    with translation.override(language):
        public = article.get_absolute_url()
    # The admin follows the browser's language (public/middleware.py).
    editor = open_tab(locale=language)
    visitor = open_tab()
    page = editor.page

    editor.goto("/admin/")
    page.wait_for_url(re.compile(r"/admin/login/"))
    assert page.locator("html").get_attribute("lang") == language
    page.locator('input[name="username"]').fill(site.staff.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    page.wait_for_url(editor.url("/admin/"))

    # Two edits of the title, each saved: each keeps a version.
    change = f"/admin/news/article/{article.pk}/change/"
    for title in (first, second):
        editor.goto(change)
        page.locator(TITLE_INPUT[language]).fill(title)
        page.locator('input[name="_continue"]').first.click()
        page.locator(".messagelist .success").wait_for()
        assert page.locator(".errornote").count() == 0
    stored = Article.objects.filter(pk=article.pk).values("title_en", "title_ru").get()
    assert stored[f"title_{language}"] == second
    assert stored[f"title_{other}"] == original[f"title_{other}"]  # untouched
    visitor.goto(public)
    assert second in visitor.page.locator("h1").inner_text()

    # History: every save is listed; compare the last two versions and see the change.
    page.locator("a.historylink").first.click()
    page.wait_for_url(re.compile(r"/history/$"))
    rows = page.locator("#change-history tbody tr")
    assert rows.count() >= 2
    page.locator('#change-history [type="submit"]').click()
    page.wait_for_url(re.compile(r"/history/compare/"))
    was, is_now = page.locator("#content").evaluate(BOTH_SIDES)
    assert first in was and second in is_now
    # Only the edited language's title differs between the two versions.
    headings = page.locator("#content h3").all_inner_texts()
    assert len(headings) == 1 and headings[0].endswith(f"[{language}]"), headings

    # Restore the first rewrite: open its version, save it; it becomes a new version.
    editor.goto(f"/admin/news/article/{article.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    before = rows.count()
    rows.nth(1).get_by_role("link").first.click()  # newest first: the one before the last
    page.wait_for_url(re.compile(r"/history/\d+/$"))
    assert page.locator(TITLE_INPUT[language]).input_value() == first
    page.locator('input[name="_save"]').first.click()
    page.wait_for_url(re.compile(r"/admin/news/article/$"))
    visitor.goto(public)
    assert first in visitor.page.locator("h1").inner_text()
    restored = Article.objects.filter(pk=article.pk).values("title_en", "title_ru").get()
    assert restored == {**original, f"title_{language}": first}
    editor.goto(f"/admin/news/article/{article.pk}/history/")
    assert page.locator("#change-history tbody tr").count() == before + 1
    assert editor.problems == [] and visitor.problems == []
