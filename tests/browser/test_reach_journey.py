"""Reaching people: send a contact message and find it in the admin; switch the accessible
version on and read an article in each colour scheme, with axe finding nothing and no
horizontal scrolling at 320 px; the new pages and stylesheets pass the Nu HTML Checker."""

import json
import subprocess

import pytest
from django.core import mail
from django.test import Client

from .conftest import ARTICLE, DESKTOP, ROOT
from .test_accessibility import AXE, RUN_AXE, WCAG_21_A_AA

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 640}
SCHEMES = {
    "white": "Чёрным по белому",
    "black": "Белым по чёрному",
    "blue": "Тёмно-синим по голубому",
}


def axe_tab(open_tab, viewport=DESKTOP, **options):
    # The portal's CSP allows only its own scripts; the context bypasses it for axe alone.
    tab = open_tab(viewport, bypass_csp=True, **options)
    tab.page.context.add_init_script(path=str(AXE))
    return tab


def violations(tab):
    return [
        f"{tab.page.url}: {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in tab.page.evaluate(RUN_AXE, WCAG_21_A_AA)
    ]


def horizontal_overflow(tab):
    return tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_send_a_contact_message_and_find_it_in_the_admin(site, open_tab, settings, monkeypatch):
    from contact import spam

    settings.CONTACT_EMAIL = "desk@ino-tomsk.example"
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)  # a person takes longer than a test
    tab = axe_tab(open_tab)
    page = tab.page
    tab.goto("/ru/contact/")
    assert page.locator("h1").inner_text() == "Контакты"
    assert violations(tab) == []

    page.fill("#id_name", "Анна Петрова")
    page.fill("#id_email", "anna@example")  # not an address
    page.fill("#id_topic", "Участие в кластере")
    page.fill("#id_message", "Здравствуйте!\n<b>Как</b> вступить в кластер?")
    # The browser's own checks stand aside, so that the server's answer is seen.
    page.evaluate("document.querySelector('form.contact-form').noValidate = true")
    page.get_by_role("button", name="Отправить сообщение").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert page.input_value("#id_message") == "Здравствуйте!\n<b>Как</b> вступить в кластер?"
    assert "Отметьте флажок" in page.locator("#id_consent_error").inner_text()
    assert violations(tab) == []

    page.fill("#id_email", "anna@example.org")
    page.get_by_label("Даю согласие на обработку персональных данных", exact=False).check()
    page.get_by_role("button", name="Отправить сообщение").click()
    page.wait_for_url("**/ru/contact/thanks/")
    assert "Спасибо" in page.locator("h1").inner_text()
    assert violations(tab) == []
    assert [m.subject for m in mail.outbox] == ["Сообщение с сайта ИНО Томск: Участие в кластере"]

    staff = open_tab(DESKTOP, **site.login())
    staff.goto("/admin/contact/contactmessage/?status__exact=new")
    staff.page.get_by_role("link", name="Участие в кластере").click()
    shown = staff.page.locator(".field-message .readonly").inner_text()
    assert shown == "Здравствуйте!\n<b>Как</b> вступить в кластер?"  # plain text, not HTML
    assert staff.page.locator(".field-status select").input_value() == "new"
    assert tab.problems == [] and staff.problems == []


def test_read_an_article_in_each_scheme_of_the_accessible_version(site, open_tab):
    tab = axe_tab(open_tab, NARROW)
    page = tab.page
    tab.goto(f"/ru/news/{ARTICLE}/")
    assert horizontal_overflow(tab) <= 0
    # A link, no script: the page comes back in the accessible version.
    page.get_by_role("link", name="Версия для слабовидящих").click()
    page.wait_for_url(f"**/ru/news/{ARTICLE}/")
    assert "a11y" in page.locator("html").get_attribute("class")
    settings_panel = page.locator("details.a11y-settings")
    for scheme, label in SCHEMES.items():
        if scheme != "white":  # black on white is where the version starts
            settings_panel.locator("summary").click()  # closed on a phone, open on a desktop
            settings_panel.get_by_role("link", name=label).click()
            page.wait_for_url(f"**/ru/news/{ARTICLE}/")
        classes = page.locator("html").get_attribute("class").split()
        assert f"a11y-scheme-{scheme}" in classes
        assert page.locator("article h1").is_visible()
        assert horizontal_overflow(tab) <= 0, scheme
        assert violations(tab) == [], scheme
    # The largest text, wide spacing and no pictures: still no horizontal scrolling.
    for name in ("Очень крупный", "Увеличенный", "Не показывать"):
        settings_panel.locator("summary").click()
        settings_panel.get_by_role("link", name=name).click()
        page.wait_for_url(f"**/ru/news/{ARTICLE}/")
    classes = page.locator("html").get_attribute("class").split()
    assert {"a11y-size-3", "a11y-spacing-wide", "a11y-images-off", "a11y-scheme-blue"} <= set(
        classes
    )
    # No picture is shown: content images are not sent, their alt text stands in their place
    # (tests/test_accessible_images.py), and the rest are hidden.
    assert not any(img.is_visible() for img in page.locator("img").all())
    assert horizontal_overflow(tab) <= 0
    assert violations(tab) == []
    page.get_by_role("link", name="Обычная версия сайта").click()
    page.wait_for_url(f"**/ru/news/{ARTICLE}/")
    assert page.locator("html").get_attribute("class") is None
    assert tab.problems == []


@pytest.mark.parametrize("scheme", ["white", "black", "blue"])
def test_every_kind_of_page_passes_axe_in_each_scheme(site, open_tab, scheme):
    tab = axe_tab(open_tab)
    tab.page.context.add_cookies(
        [{"name": "a11y", "value": f"2.{scheme}.on.wide", "url": site.url}]
    )
    report = []
    for path in [
        "/ru/",
        "/ru/news/",
        f"/news/{ARTICLE}/",
        "/ru/projects/",
        "/ru/statistics/",
        "/ru/contact/",
        "/ru/events/",
        "/ru/search/?q=medicine",
    ]:
        tab.goto(path)
        assert f"a11y-scheme-{scheme}" in tab.page.locator("html").get_attribute("class")
        report += violations(tab)
    assert report == []
    assert tab.problems == []


def test_new_pages_and_stylesheets_are_valid_html_and_css(site, open_tab, vnu_jar, tmp_path):
    tab = open_tab()
    tab.page.context.add_cookies([{"name": "a11y", "value": "3.blue.off.wide", "url": site.url}])
    files = []
    for name, path in [("contact", "/ru/contact/"), ("article", f"/ru/news/{ARTICLE}/")]:
        response = tab.page.request.get(site.url + path)
        assert response.status == 200
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.body())
    # The form as it comes back with errors on every field.
    errors = Client().post("/ru/contact/", {"email": "x", "message": "y" * 5001})
    assert errors.status_code == 400
    files.append(tmp_path / "contact-errors.html")
    files[-1].write_bytes(errors.content)
    for css in ("a11y.css", "contact.css", "site.css"):
        files.append(ROOT / "static" / "css" / css)
    result = subprocess.run(
        [*vnu_jar, "--format", "json", "--errors-only", "--also-check-css", "--stdout"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout)["messages"]
    assert messages == [], messages
