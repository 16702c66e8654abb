"""The API's documentation page (Swagger UI) names its language and passes axe's WCAG 2.1 A
and AA rules like every other page, rendered and with an operation opened and tried."""

import pytest

from tests import factories

from .conftest import DESKTOP, PHONE
from .test_accessibility import AXE, RUN_AXE, WCAG_21_A_AA

pytestmark = pytest.mark.django_db(transaction=True)

OPERATION = "#operations-articles-articles_list"


def report(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_docs_page_has_a_language_and_no_axe_violations(open_tab, live_server, viewport):
    factories.article(slug="first-news", title="First news")
    tab = open_tab(viewport, bypass_csp=True)
    tab.page.context.add_init_script(path=str(AXE))
    page = tab.page
    tab.goto("/api/v1/docs/")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.wait_for_selector(OPERATION, timeout=20_000)
    violations = page.evaluate(RUN_AXE, WCAG_21_A_AA)
    assert not violations, "axe on the rendered docs page:\n" + report(violations)
    # An operation opened and run: its parameters, the response and its table.
    page.click(f"{OPERATION} .opblock-summary")
    page.click(f"{OPERATION} .try-out__btn")
    page.click(f"{OPERATION} .execute")
    page.wait_for_selector(f"{OPERATION} .live-responses-table")
    violations = page.evaluate(RUN_AXE, WCAG_21_A_AA)
    assert not violations, "axe with an operation tried:\n" + report(violations)
    assert tab.problems == []


def test_the_docs_page_in_russian(open_tab, live_server):
    """?lang=ru gives the schema in Russian, as the API's answers; the page says so, and its
    repairs hold there too."""
    tab = open_tab(bypass_csp=True)
    tab.page.context.add_init_script(path=str(AXE))
    page = tab.page
    tab.goto("/api/v1/docs/?lang=ru")
    assert page.evaluate("document.documentElement.lang") == "ru"
    page.wait_for_selector(OPERATION, timeout=20_000)
    page.click(f"{OPERATION} .opblock-summary")
    page.wait_for_selector(f"{OPERATION} tr[data-param-name='lang'] select")
    assert (
        page.locator(f"{OPERATION} tr[data-param-name='lang'] select").get_attribute("aria-label")
        == "lang"
    )
    violations = page.evaluate(RUN_AXE, WCAG_21_A_AA)
    assert not violations, "axe on the Russian docs page:\n" + report(violations)
    # A language the API does not have: the page says what it shows, English.
    tab.goto("/api/v1/docs/?lang=xx")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert tab.problems == []
