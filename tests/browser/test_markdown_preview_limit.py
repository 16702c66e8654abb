"""The admin's Markdown preview in Chromium says why a text past the limit is refused (413
from the preview, static/js/admin-editor.js), instead of a bare "could not be made"."""

from cms.richtext import MARKDOWN_MAX_CHARS

PASSWORD = "pw-for-tests"


def test_the_preview_says_a_text_is_too_long(open_tab, transactional_db, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    tab = open_tab()
    page = tab.page
    tab.goto("/admin/login/")
    page.locator('input[name="username"]').fill("boss")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    page.wait_for_url(tab.url("/admin/"))
    tab.goto("/admin/news/article/add/")
    body = page.locator("#id_body")
    assert body.get_attribute("maxlength") == str(MARKDOWN_MAX_CHARS)
    # Pasted in by a script: maxlength stops typing, not a value set in code.
    body.evaluate("(area, n) => { area.value = 'x'.repeat(n); }", MARKDOWN_MAX_CHARS + 1)
    page.locator("#id_body ~ .markdown-preview-tools button").click()
    preview = page.locator("#id_body-preview .markdown-preview-body")
    preview.filter(has_text="characters long").wait_for()
    assert f"{MARKDOWN_MAX_CHARS + 1} characters long" in preview.inner_text()
    assert str(MARKDOWN_MAX_CHARS) in preview.inner_text()
