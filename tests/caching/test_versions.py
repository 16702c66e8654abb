"""Anonymous pages come from the cache, and every change (saves, deletions, relations,
loaddata, the admin, the clock) shows at once; logged-in users and personal answers
bypass it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from .. import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.cache_urls")]


def test_second_anonymous_request_is_served_from_cache(client, django_assert_num_queries):
    factories.direction(name="Nuclear medicine")
    first = client.get("/directions/")
    with django_assert_num_queries(0):
        second = client.get("/directions/")
    assert second.status_code == 200
    assert second.content == first.content == b"Nuclear medicine"


def test_a_kept_page_carries_the_security_headers_of_its_first_answer(
    client, django_assert_num_queries
):
    # The policy headers are kept with the page (its middleware runs inside the page cache's),
    # so a hit sends them without building them again.
    factories.direction(name="Nuclear medicine")
    first = client.get("/directions/")
    with (
        django_assert_num_queries(0),
        mock.patch("csp.middleware.build_policy", side_effect=AssertionError("built again")),
    ):
        second = client.get("/directions/")
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert second[header] == first[header], header
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert "camera=()" in second["Permissions-Policy"]


def test_query_string_is_part_of_the_key_and_the_browser_language_is_not(
    client, django_assert_num_queries
):
    client.get("/directions/")
    with django_assert_num_queries(1):
        client.get("/directions/?page=2")
    # A page's language is its URL's (/ru/...), never the browser's.
    with django_assert_num_queries(0):
        client.get("/directions/", HTTP_ACCEPT_LANGUAGE="ru")


def test_saving_and_deleting_show_at_once(client):
    direction = factories.direction(name="Before")
    assert client.get("/directions/").content == b"Before"
    direction.name = "After"
    direction.save()
    assert client.get("/directions/").content == b"After"
    direction.delete()
    assert client.get("/directions/").content == b"none"


def test_many_to_many_changes_end_the_version(client):
    direction = factories.direction()
    cluster = factories.cluster()
    client.get("/directions/")
    cluster.directions.add(direction)
    assert cache.get("inotomsk:pages:version") is None


def test_loaddata_ends_the_version(client):
    assert client.get("/directions/").content == b"none"
    call_command("loaddata", "seed", verbosity=0)
    assert "Science and education" in client.get("/directions/").content.decode()


def admin_form_data(page):
    """The POST data of an admin change form as it was rendered, inlines included."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form[name].html_name] = "on" if value is True else value
    return data


def test_a_change_saved_in_the_admin_shows_at_once(visitor, admin_client):
    direction = factories.direction(name="Space technologies")
    assert visitor.get("/directions/").content == b"Space technologies"

    url = f"/admin/portal/direction/{direction.pk}/change/"
    data = admin_form_data(admin_client.get(url))
    data["name"] = "Space and aviation"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert visitor.get("/directions/").content == b"Space and aviation"


def test_a_staff_bulk_update_shows_at_once(visitor, admin_client):
    factories.direction(name="Original")
    assert visitor.get("/directions/").content == b"Original"
    admin_client.post("/rename-all/")
    assert visitor.get("/directions/").content == b"Renamed in bulk"


def test_an_anonymous_post_does_not_end_the_version(client, django_assert_num_queries):
    factories.direction(name="Original")
    client.get("/directions/")
    client.post("/rename-all/")
    with django_assert_num_queries(0):
        assert client.get("/directions/").content == b"Original"


def test_logged_in_users_bypass_the_cache(visitor, admin_client, django_assert_num_queries):
    factories.direction(name="Energy")
    assert visitor.get("/directions/").content == b"Energy"
    with django_assert_num_queries(3):  # session, user, directions
        assert admin_client.get("/directions/").content == b"Hello boss. Energy"
    # Nothing personal was stored for anonymous visitors.
    assert visitor.get("/directions/").content == b"Energy"


def test_a_scheduled_article_appears_when_its_time_comes(client):
    now = timezone.now()
    factories.article(title="Out now", published_at=now - timedelta(hours=1))
    factories.article(title="Coming soon", published_at=now + timedelta(hours=1))
    assert client.get("/articles/").content == b"Out now"
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        assert client.get("/articles/").content == b"Coming soon, Out now"


@pytest.mark.parametrize("path", ["/healthz", "/with-form/", "/private/"])
def test_excluded_paths_and_personal_responses_are_not_cached(
    client, path, django_assert_num_queries
):
    client.get(path)
    client.cookies.clear()
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 200


def test_conditional_get_answers_304_from_the_cache(client, django_assert_num_queries):
    factories.direction()
    etag = client.get("/directions/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/directions/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert not response.content


def test_head_requests_use_the_cache(client, django_assert_num_queries):
    client.get("/directions/")
    with django_assert_num_queries(0):
        assert client.head("/directions/").status_code == 200
