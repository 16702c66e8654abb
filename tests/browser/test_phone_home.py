"""The home page on a 375 px phone: the latest news comes before the key figures, in both
languages (the figures are a long list of cards there)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 375, "height": 667}


@pytest.mark.parametrize(
    "path,news,figures",
    [
        ("/", "Latest news", "INO Tomsk in figures"),
        ("/ru/", "Последние новости", "ИНО Томск в цифрах"),
    ],
)
def test_latest_news_before_the_key_figures_on_a_phone(site, open_tab, path, news, figures):
    tab = open_tab(SMALL_PHONE, is_mobile=True, has_touch=True)
    page = tab.page
    tab.goto(path)
    news_heading = page.get_by_role("heading", level=2, name=news)
    figures_heading = page.get_by_role("heading", level=2, name=figures)
    first_card = page.locator("#news-heading ~ .card-grid .card, .card-grid .card").first
    news_top = news_heading.bounding_box()["y"]
    assert news_top < first_card.bounding_box()["y"] < figures_heading.bounding_box()["y"]
    # The news is the first section after the hero; reading order follows the screen.
    order = page.evaluate(
        "() => [...document.querySelectorAll('main h2')].map(h => h.id).filter(Boolean)"
    )
    assert order.index("news-heading") < order.index("figures-heading")
    assert tab.problems == []
