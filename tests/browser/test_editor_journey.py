"""An editor and a publisher in the admin, in a real browser: the editor is offered no
"Published", previews the Markdown body before saving and saves a draft; the publisher
publishes it by switching its status (the publication time becomes now), sees pictures and
readable inline labels; the admin home lists drafts, scheduled entries and recent changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import CLUSTER, PROJECT, SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-browser-journeys"
HEADLINE = (
    "Tomsk region and its universities sign an agreement on a new engineering school for "
    "the agglomeration's industrial parks"
)


LOADED_WIDTH = """img => img.complete && img.naturalWidth ? img.naturalWidth : new Promise(
    done => img.addEventListener("load", () => done(img.naturalWidth)))"""


def log_in(tab, username):
    page = tab.page
    tab.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(tab.url("/admin/"))


def test_editor_drafts_and_publisher_publishes(site, open_tab, django_user_model):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from clusters.models import Cluster
    from news.models import Article
    from portal.models import Project
    from portal.roles import EDITORS, PUBLISHERS, sync_groups

    assert len(HEADLINE) == 120
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
    editor = open_tab()
    page = editor.page
    log_in(editor, "eddie")
    assert "INO Tomsk" in page.title() and "Django" not in page.content()
    editor.goto("/admin/news/article/add/")
    assert page.locator('select[name="status"]').count() == 0
    assert page.locator("output#id_status").inner_text() == "Draft"
    assert page.locator('option[value="published"]').count() == 0
    title = page.locator('input[name="title"]')
    title.fill(HEADLINE)
    # The whole headline is visible in its input, nothing scrolled out of sight.
    assert title.evaluate("input => input.scrollWidth <= input.clientWidth")
    body = page.locator('textarea[name="body"]')
    body.fill("## What was agreed\n\nA school for **engineers**.\n\n<script>alert(1)</script>")
    preview = page.locator("#id_body-preview")
    assert preview.is_hidden()
    page.locator("#id_body ~ .markdown-preview-tools button").click()
    preview.locator("h2").wait_for()
    assert preview.locator("h2").inner_text() == "What was agreed"
    assert preview.locator("strong").inner_text() == "engineers"
    assert preview.locator("script").count() == 0
    assert not Article.objects.filter(title=HEADLINE).exists()
    if SCREENSHOTS.is_dir():
        page.screenshot(path=SCREENSHOTS / "admin-article-form-editor.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.get_by_text("was added successfully").wait_for()
    draft = Article.objects.get(title=HEADLINE)
    assert (draft.status, draft.title, draft.published_at) == ("draft", HEADLINE, None)

    # The editor's home lists the draft, the scheduled article and the change.
    editor.goto("/admin/")
    drafts = page.locator("section[aria-labelledby=my-drafts-title]")
    assert drafts.get_by_role("link", name=HEADLINE).count() == 1
    scheduled = page.locator("section[aria-labelledby=scheduled-title]")
    assert scheduled.get_by_role("link", name="A forum announced for next week").count() == 1
    recent = page.locator("section[aria-labelledby=recent-changes-title]")
    assert "eddie" in recent.inner_text()

    # The publisher publishes by switching the status: the time becomes now.
    publisher = open_tab()
    page = publisher.page
    log_in(publisher, "paula")
    publisher.goto(f"/admin/news/article/{draft.pk}/change/")
    assert page.locator('input[name="published_at_0"]').input_value() == ""
    page.locator('select[name="status"]').select_option("published")
    before = timezone.now().replace(microsecond=0)
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.get_by_text("was changed successfully").wait_for()
    after = timezone.now()
    draft.refresh_from_db()
    assert draft.status == "published"
    assert before <= draft.published_at <= after
    row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=HEADLINE))
    assert row.locator("td.field-publication").inner_text() == "Published"

    # Pictures: the current one on the form, small ones in the list, with their alt text.
    publisher.goto(f"/admin/portal/project/{project.pk}/change/")
    picture = page.locator(".admin-image img.admin-thumbnail")
    assert picture.get_attribute("alt") == project.image_alt
    picture.scroll_into_view_if_needed()  # lazy: loaded once near the screen
    assert picture.evaluate(LOADED_WIDTH) > 0
    # The link to the cluster has a readable label.
    inline = page.locator(".inline-group", has_text="Project in cluster")
    assert f"{project.name} in {cluster.name}" in inline.inner_text()
    assert "object (" not in page.content()
    publisher.goto("/admin/portal/project/")
    thumbnails = page.locator("td.field-list_thumbnail img")
    assert thumbnails.count() >= 1
    assert thumbnails.first.get_attribute("loading") == "lazy"
    assert thumbnails.first.get_attribute("alt")
    # The status column, filtered to drafts; Scheduled is a choice for articles.
    publisher.goto("/admin/news/article/?publication=scheduled")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Scheduled" in rows.first.inner_text()
    publisher.goto("/admin/")
    assert page.locator("section[aria-labelledby=my-drafts-title] a").count() == 0
    assert "paula" in page.locator("section[aria-labelledby=recent-changes-title]").inner_text()
    if SCREENSHOTS.is_dir():
        page.screenshot(path=SCREENSHOTS / "admin-home.png", full_page=True)
    assert editor.problems == [] and publisher.problems == []
