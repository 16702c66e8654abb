# ruff: noqa: F811 - the SMTP fixtures are imported, then named as parameters
"""E-mail subscriptions in a browser, against a real SMTP server (tests/smtp.py): subscribe,
confirm by the page's button, receive a digest, unsubscribe in one click (a POST to the
List-Unsubscribe address), in English and Russian; axe and the Nu HTML Checker find nothing
on the sign-up, confirmation and management pages."""

import json
import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from ..smtp import smtp, smtp_server  # noqa: F401 - fixtures
from .test_accessibility import AXE, RUN_AXE, WCAG_21_A_AA

pytestmark = pytest.mark.django_db(transaction=True)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def link_in(message, kind):
    text = message.get_body(("plain",)).get_content()
    return path_of(re.search(rf"https?://\S+/subscribe/{kind}/\S+/", text).group(0))


def axe(tab, where):
    return [
        f"{where}: {v['id']}: {v['help']} {v['nodes']}"
        for v in tab.page.evaluate(RUN_AXE, WCAG_21_A_AA)
    ]


@pytest.mark.parametrize("prefix", ["", "/ru"], ids=["en", "ru"])
def test_subscribe_confirm_digest_and_unsubscribe(site, open_tab, smtp, vnu_jar, tmp_path, prefix):
    from news.models import Article
    from subscriptions import digest
    from subscriptions.models import Subscription

    tab = open_tab(bypass_csp=True)  # for the injected axe script alone
    tab.page.context.add_init_script(path=str(AXE))
    page = tab.page
    report, pages = [], {}

    # The news list links to the sign-up; the form opens with all news chosen.
    tab.goto(f"{prefix}/news/")
    page.click(f"a[href='{prefix}/subscribe/']")
    page.wait_for_url(f"**{prefix}/subscribe/")
    report += axe(tab, "subscribe")
    pages["subscribe"] = f"{prefix}/subscribe/"
    page.fill("input[name=email]", "reader@example.org")
    page.check("input[name=frequency][value=daily]")
    page.check("input[name=consent]")
    page.click(".subscribe-form button[type=submit]")
    page.wait_for_url(f"**{prefix}/subscribe/sent/")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.language == ("ru" if prefix else "en")

    # The e-mail's link opens a page; only its button confirms.
    [message] = smtp.to("reader@example.org")
    confirm = link_in(message, "confirm")
    assert confirm.startswith(f"{prefix}/subscribe/confirm/")
    tab.goto(confirm)
    report += axe(tab, "confirm")
    pages["confirm"] = confirm
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # Something new: the digest comes, in the subscriber's language, with the unsubscribe.
    smtp.clear()
    article = Article.objects.get(slug__startswith="the-translational-medicine")
    # Confirmed an hour ago, the article published since (the published list hides the future).
    hour_ago = timezone.now() - timedelta(hours=1)
    Subscription.objects.update(confirmed_at=hour_ago)
    article.published_at = hour_ago + timedelta(minutes=30)
    article.save()
    assert digest.send_digests("daily") == 1
    [message] = smtp.to("reader@example.org")
    assert ("что нового" if prefix else "what is new") in message["Subject"]
    assert f"/news/{article.slug}/" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    manage = link_in(message, "manage")
    tab.goto(manage)
    report += axe(tab, "manage")
    pages["manage"] = manage

    for name, path in pages.items():
        (tmp_path / f"{name}.html").write_bytes(page.request.get(tab.url(path)).body())

    # One click, as a mail client does it: a POST without cookie or CSRF token.
    unsubscribe = path_of(re.sub(r"\s+", "", str(message["List-Unsubscribe"])).strip("<>"))
    response = page.request.post(
        tab.url(unsubscribe), form={"List-Unsubscribe": "One-Click"}, headers={"Cookie": ""}
    )
    assert response.status == 200
    assert not Subscription.objects.exists()

    assert not report, "\n".join(report)
    result = subprocess.run(
        [*vnu_jar, "--format", "json", "--errors-only", "--stdout"]
        + [str(tmp_path / f"{name}.html") for name in pages],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout)["messages"]
    assert not messages, "\n".join(f"{m.get('url')}: {m['message']}" for m in messages)
    assert tab.problems == []
