"""An editor and a publisher in the admin, in a real browser, in English and in Russian: the
editor is offered no "Published", previews the Markdown body before saving, saves a draft and
saves it again unchanged (twice, with no column changed); the publisher publishes it by
switching its status (the publication time becomes now), sees pictures and readable inline
labels; the admin home lists drafts, scheduled entries and recent changes.

The Russian editor writes in the Russian inputs (``title_ru``, ``body_ru``) of an admin shown
in Russian (the browser's language, public/middleware.py); the English columns stay empty."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import CLUSTER, PROJECT, SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-journeys"
HEADLINES = {
    "en": (
        "Tomsk region and its universities sign an agreement on a new engineering school for "
        "the agglomeration's industrial parks"
    ),
    # Cyrillic letters are wider: 105 of them take about the room of 120 Latin ones.
    "ru": (
        "Томская область и её университеты подписали соглашение о новой инженерной школе "
        "для индустриальных парков"
    ),
}
BODIES = {
    "en": ("What was agreed", "engineers"),
    "ru": ("О чём договорились", "инженеров"),
}
# How the slug typed for the editor begins (from either language's title).
SLUGS = {"en": "tomsk-region-and-its-universities-", "ru": "tomskaya-oblast-i-eyo-universitety-"}
# The English text keeps the field's plain name; the Russian has its column's.
INPUT = {"en": "{}", "ru": "{}_ru"}


LOADED_WIDTH = """img => img.complete && img.naturalWidth ? img.naturalWidth : new Promise(
    done => img.addEventListener("load", () => done(img.naturalWidth)))"""


def log_in(tab, username, language):
    page = tab.page
    tab.goto("/admin/login/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('#login-form [type="submit"]').click()
    page.wait_for_url(tab.url("/admin/"))


def in_language(language, text):
    """A lazy text of the code (a label, a choice) as the admin shows it in language."""
    from django.utils import translation

    with translation.override(language):
        return str(text)


def save(page, button="_save"):
    page.locator(f'input[name="{button}"]').first.click()
    page.locator(".messagelist .success, .errornote").first.wait_for()
    assert page.locator(".errornote").count() == 0, page.locator("#content").inner_text()
    assert page.locator(".errornote, .errorlist").count() == 0


@pytest.mark.parametrize("language", ["en", "ru"])
def test_editor_drafts_and_publisher_publishes(site, open_tab, django_user_model, language):
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.auth.models import Group

    from clusters.models import Cluster
    from cms.editing import PUBLICATION_LABELS, PUBLISHED, SCHEDULED
    from cms.roles import EDITORS, PUBLISHERS, sync_groups
    from news.models import Article
    from portal.models import Project

    headline = HEADLINES[language]
    heading, strong = BODIES[language]
    title_input, body_input = INPUT[language].format("title"), INPUT[language].format("body")
    texts = ["title_en", "title_ru", "body_en", "body_ru", "lead_en", "lead_ru"]
    assert len(headline) >= 105
    # Browser tests run with a flushed database: the groups the migrations made are gone.
    sync_groups(apps)
    for name, group in (("eddie", EDITORS), ("paula", PUBLISHERS)):
        user = django_user_model.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    project = Project.objects.get(slug=PROJECT)
    cluster = Cluster.objects.get(slug=CLUSTER)
    cluster.projects.add(project)
    Article.objects.create(
        title="A forum announced for next week",
        slug="a-forum-announced-for-next-week",
        body="Soon.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=7),
    )

    # The editor: no "Published" to choose, a headline that fits, a preview before saving.
    editor = open_tab(locale=language)
    page = editor.page
    log_in(editor, "eddie", language)
    brand = in_language(language, admin.site.site_title)
    assert brand in page.title() and "Django" not in page.content()
    editor.goto("/admin/news/article/add/")
    assert page.locator('select[name="status"]').count() == 0
    draft_label = in_language(language, Article.Status.DRAFT.label)
    assert page.locator("output#id_status").inner_text() == draft_label
    assert page.locator('option[value="published"]').count() == 0
    title = page.locator(f'input[name="{title_input}"]')
    title.fill(headline)
    # The whole headline is visible in its input, nothing scrolled out of sight.
    assert title.evaluate("input => input.scrollWidth <= input.clientWidth")
    body = page.locator(f'textarea[name="{body_input}"]')
    body.fill(f"## {heading}\n\n**{strong}**.\n\n<script>alert(1)</script>")
    # Typed for the editor from the title, once it is left (Django's prepopulate).
    assert page.locator('input[name="slug"]').input_value().startswith(SLUGS[language])
    preview = page.locator(f"#id_{body_input}-preview")
    assert preview.is_hidden()
    page.locator(f"#id_{body_input} ~ .markdown-preview-tools button").click()
    preview.locator("h2").wait_for()
    assert preview.locator("h2").inner_text() == heading
    assert preview.locator("strong").inner_text() == strong
    assert preview.locator("script").count() == 0
    assert not Article.objects.filter(**{f"title_{language}": headline}).exists()
    if SCREENSHOTS.is_dir() and language == "en":
        page.screenshot(path=SCREENSHOTS / "admin-article-form-editor.png", full_page=True)
    save(page)
    draft = Article.objects.get(**{f"title_{language}": headline})
    assert (draft.status, draft.published_at) == ("draft", None)
    written = Article.objects.filter(pk=draft.pk).values(*texts).get()
    other = "ru" if language == "en" else "en"
    assert (written[f"title_{other}"] or "", written[f"body_{other}"] or "") == ("", "")

    # Saved again unchanged, twice: both saves go through and no text column changes.
    for _ in range(2):
        editor.goto(f"/admin/news/article/{draft.pk}/change/")
        save(page, "_continue")
    assert Article.objects.filter(pk=draft.pk).values(*texts).get() == written

    # The editor's home lists the draft, the scheduled article and the change.
    editor.goto("/admin/")
    drafts = page.locator("section[aria-labelledby=my-drafts-title]")
    assert drafts.get_by_role("link", name=headline).count() == 1
    scheduled = page.locator("section[aria-labelledby=scheduled-title]")
    assert scheduled.get_by_role("link", name="A forum announced for next week").count() == 1
    recent = page.locator("section[aria-labelledby=recent-changes-title]")
    assert "eddie" in recent.inner_text()

    # The publisher publishes by switching the status: the time becomes now.
    publisher = open_tab(locale=language)
    page = publisher.page
    log_in(publisher, "paula", language)
    publisher.goto(f"/admin/news/article/{draft.pk}/change/")
    assert page.locator('input[name="published_at_0"]').input_value() == ""
    page.locator('select[name="status"]').select_option("published")
    before = timezone.now().replace(microsecond=0)
    save(page)
    after = timezone.now()
    draft.refresh_from_db()
    assert draft.status == "published"
    assert before <= draft.published_at <= after
    assert Article.objects.filter(pk=draft.pk).values(*texts).get() == written
    row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=headline))
    published = in_language(language, PUBLICATION_LABELS[PUBLISHED])
    assert row.locator("td.field-publication").inner_text() == published

    # Pictures: the current one on the form, small ones in the list, with their alt text.
    publisher.goto(f"/admin/portal/project/{project.pk}/change/")
    picture = page.locator(".admin-image img.admin-thumbnail")
    assert picture.get_attribute("alt") == project.image_alt
    picture.scroll_into_view_if_needed()  # lazy: loaded once near the screen
    assert picture.evaluate(LOADED_WIDTH) > 0
    # The link to the cluster has a readable label.
    link = cluster.projects.through.objects.get(cluster=cluster, project=project)
    assert page.locator(".inline-group", has_text=in_language(language, link)).count() == 1
    assert "object (" not in page.content()
    publisher.goto("/admin/portal/project/")
    thumbnails = page.locator("td.field-list_thumbnail img")
    assert thumbnails.count() >= 1
    assert thumbnails.first.get_attribute("loading") == "lazy"
    assert thumbnails.first.get_attribute("alt")
    # The status column, filtered to drafts; Scheduled is a choice for articles.
    publisher.goto("/admin/news/article/?publication=scheduled")
    rows = page.locator("#result_list tbody tr")
    scheduled = in_language(language, PUBLICATION_LABELS[SCHEDULED])
    assert rows.count() == 1 and scheduled in rows.first.inner_text()
    publisher.goto("/admin/")
    assert page.locator("section[aria-labelledby=my-drafts-title] a").count() == 0
    assert "paula" in page.locator("section[aria-labelledby=recent-changes-title]").inner_text()
    if SCREENSHOTS.is_dir() and language == "en":
        page.screenshot(path=SCREENSHOTS / "admin-home.png", full_page=True)
    assert editor.problems == [] and publisher.problems == []
