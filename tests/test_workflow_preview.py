"""Signed preview links: made from a draft's change form, opened without an account; expired,
revoked, altered and unknown tokens are the site's plain 404."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.roles import EDITORS, PUBLISHERS
from news.models import Article
from workflow import preview
from workflow.models import PreviewLink, Review, State

from . import factories

pytestmark = pytest.mark.django_db
SECRET_TEXT = "Draft paragraph nobody outside may read yet"


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("paula", "p@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", "e@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def draft():
    return factories.article(
        title="Draft agreement", status=Article.Status.DRAFT, body=SECRET_TEXT, published_at=None
    )


def create_url(obj):
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("workflow_admin:preview-create", args=[content_type.pk, obj.pk])


def make(client, obj, days="7"):
    response = client.post(create_url(obj), {"_preview_days": days})
    assert response.status_code == 200
    address = response.context["address"]
    return address[address.index("/preview/") :]


def test_a_publisher_makes_a_link_and_anyone_opens_the_draft(client, publisher, draft):
    client.force_login(publisher)
    path = make(client, draft)
    link = PreviewLink.objects.get()
    token = path.split("/")[2]
    assert link.token_hash == preview.token_hash(token) and token not in link.token_hash
    assert link.created_by == publisher
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    # The change form lists it, with who made it.
    form = client.get(reverse("admin:news_article_change", args=[draft.pk])).content.decode()
    assert "Made by paula" in form
    for address, banner in ((path, "Preview, not published"), ("/ru" + path, "Предпросмотр")):
        response = Client().get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert SECRET_TEXT in page and banner in page
        assert '<meta name="robots" content="noindex">' in page
        assert response["X-Robots-Tag"].startswith("noindex")
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
    assert PreviewLink.objects.get().opened_at is not None


def test_days_are_chosen_when_made_and_bounded(client, publisher, draft):
    client.force_login(publisher)
    make(client, draft, days="2")
    link = PreviewLink.objects.get()
    assert link.expires_at - timezone.now() <= timedelta(days=2)
    for days in ("0", "91", "many"):
        response = client.post(create_url(draft), {"_preview_days": days})
        assert response.status_code == 302
    assert PreviewLink.objects.count() == 1


def not_found_like_any_page(address):
    response = Client().get(address)
    unknown = Client().get("/no-such-page-at-all/")
    assert response.status_code == 404
    page = response.content.decode()
    assert SECRET_TEXT not in page and "Draft agreement" not in page
    assert page.replace(address, "").count("<h1") == unknown.content.decode().count("<h1")
    return page


def test_expired_revoked_altered_and_other_object_tokens_are_404(client, publisher, draft):
    client.force_login(publisher)
    path = make(client, draft)
    token = path.split("/")[2]
    link = PreviewLink.objects.get()
    assert Client().get(path).status_code == 200
    # Altered: one character changed, or the signature of another payload.
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    not_found_like_any_page(f"/preview/{altered}/")
    other = factories.article(status=Article.Status.DRAFT, title="Other draft", published_at=None)
    forged = signing.Signer(salt="not-the-salt").sign_object(
        [link.pk, link.content_type_id, other.pk, "x"]
    )
    not_found_like_any_page(f"/preview/{forged}/")
    payload = signing.Signer(salt=preview.SALT).unsign_object(token)
    wrong_object = signing.Signer(salt=preview.SALT).sign_object(
        [payload[0], payload[1], other.pk, payload[3]]
    )
    not_found_like_any_page(f"/preview/{wrong_object}/")
    not_found_like_any_page("/preview/nothing-at-all/")
    # Expired.
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    not_found_like_any_page(path)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert Client().get(path).status_code == 200
    # Revoked from the change form.
    response = client.post(reverse("workflow_admin:preview-revoke", args=[link.pk]))
    assert response.status_code == 302
    not_found_like_any_page(path)
    not_found_like_any_page("/ru" + path)


def test_only_publishers_and_the_author_make_links(client, editor, publisher, draft):
    client.force_login(editor)
    assert client.post(create_url(draft), {"_preview_days": "7"}).status_code == 403
    Review.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=draft.pk,
        state=State.IN_REVIEW,
        submitted_by=editor,
    )
    make(client, draft)  # the author may
    # A published entry needs no preview link.
    published = factories.article()
    client.force_login(publisher)
    assert client.post(create_url(published), {"_preview_days": "7"}).status_code == 302
    assert PreviewLink.objects.count() == 1
    # Nor does a model without a page of its own (a roadmap action).
    action = factories.roadmap_action(is_published=False)
    assert client.post(create_url(action), {"_preview_days": "7"}).status_code == 302
    assert client.get(create_url(draft)).status_code == 405  # POST only


def test_the_preview_is_never_in_the_page_cache(client, publisher, draft, settings):
    settings.PAGE_CACHE_SECONDS = 600
    client.force_login(publisher)
    path = make(client, draft)
    assert Client().get(path).status_code == 200
    PreviewLink.objects.update(revoked_at=timezone.now())
    assert Client().get(path).status_code == 404  # nothing kept: the revocation holds at once
    assert draft.get_absolute_url() not in Client().get("/sitemap-news.xml").content.decode()
    assert SECRET_TEXT not in Client().get("/news/feed/rss/").content.decode()


def test_the_token_stays_out_of_the_logs(client, publisher, draft, caplog):
    client.force_login(publisher)
    path = make(client, draft)
    token = path.split("/")[2]
    PreviewLink.objects.update(revoked_at=timezone.now())
    with caplog.at_level(logging.INFO):
        Client().get(path)  # a 404: logged as "Not Found: <path>"
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 10', path)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "/preview/" in logged and token not in logged


def test_once_published_the_link_leads_to_the_public_page(client, publisher, draft):
    client.force_login(publisher)
    path = make(client, draft)
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
