"""The accessible version with images off (public/accessible.py): the server sends each content
image's alt text in its place, in the page's language, and no <img>; a decorative image (empty
alt) leaves nothing. With images on, the pictures are there as in the standard version."""

import re

import pytest
from django.test import Client
from django.utils import translation

from news.models import Article
from portal.models import Park
from public.accessible import COOKIE_NAME, images_as_text

from . import factories

pytestmark = pytest.mark.django_db

IMAGES_OFF = "1.white.off.normal"
IMAGES_ON = "1.white.on.normal"

BODY_EN = (
    "The campus.\n\n![A map of the campus](/media/images/campus.png) and a rule "
    '<img src="/media/images/rule.png" alt="">.'
)
BODY_RU = (
    "Кампус.\n\n![Карта кампуса](/media/images/campus.png) и линия "
    '<img src="/media/images/rule.png" alt="">.'
)


def label(language):
    return {"en": "Image:", "ru": "Изображение:"}[language]


def in_place(alt, language, tag="p", css_class="image-alt"):
    return (
        f'<{tag} class="{css_class}"><span class="image-alt-label">{label(language)}</span> '
        f"{alt}</{tag}>"
    )


@pytest.fixture
def article():
    article = factories.article(
        title_en="Campus opens",
        title_ru="Кампус открыт",
        body_en=BODY_EN,
        body_ru=BODY_RU,
        image_alt_en="The Tom river at dawn & <mist>",
        image_alt_ru="Река Томь на рассвете",
    )
    # A stored image with its size on the row: the page needs no file to render it.
    Article.objects.filter(pk=article.pk).update(
        image="images/2026/river.jpg", image_width=1600, image_height=900
    )
    return article


@pytest.fixture
def park():
    park = factories.park(
        name_en="Technopark",
        name_ru="Технопарк",
        image_alt_en="The main building",
        image_alt_ru="Главный корпус",
    )
    Park.objects.filter(pk=park.pk).update(
        image="images/2026/park.jpg", image_width=1200, image_height=800
    )
    return park


def page(cookie, url, language):
    client = Client()
    if cookie:
        client.cookies[COOKIE_NAME] = cookie
    with translation.override(language):
        path = url() if callable(url) else url
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "language, alt, body_alt",
    [
        ("ru", "Река Томь на рассвете", "Карта кампуса"),
        ("en", "The Tom river at dawn &amp; &lt;mist&gt;", "A map of the campus"),
    ],
)
def test_article_with_images_off_shows_alt_texts_in_place_of_images(
    article, language, alt, body_alt
):
    html = page(IMAGES_OFF, article.get_absolute_url, language)
    assert "<img" not in html
    assert "river.jpg" not in html.split("<body", 1)[1]
    # The lead picture's alt text sits between the header and the text, where the picture was.
    assert f'</header>\n  {in_place(alt, language)}\n  <div class="prose"' in html
    # In the text: the image's alt in a span (it stands inside a paragraph); the decorative
    # image leaves nothing, not even an empty frame.
    tail = {"ru": "и линия .", "en": "and a rule ."}[language]
    assert f"<p>{in_place(body_alt, language, tag='span')} {tail}</p>" in html
    assert html.count('class="image-alt"') == 2


@pytest.mark.parametrize("language", ["ru", "en"])
def test_article_with_images_on_keeps_its_pictures(article, language):
    for cookie in (IMAGES_ON, None):
        html = page(cookie, article.get_absolute_url, language)
        alt = {"ru": "Река Томь на рассвете", "en": "The Tom river at dawn &amp; &lt;mist&gt;"}
        assert f'alt="{alt[language]}"' in html
        assert re.search(
            r'<img src="/media/[^"]*images/2026/river\.jpg[^>]*class="article-image"', html
        )
        assert 'src="/media/images/campus.png"' in html
        assert 'src="/media/images/rule.png" alt=""' in html
        assert "image-alt" not in html


@pytest.mark.parametrize(
    "language, alt, path",
    [("ru", "Главный корпус", "/ru/parks/"), ("en", "The main building", "/parks/")],
)
def test_park_page_and_card_with_images_off(park, language, alt, path):
    html = page(IMAGES_OFF, park.get_absolute_url, language)
    assert "<img" not in html
    assert in_place(alt, language) in html
    cards = page(IMAGES_OFF, path, language)
    assert "<img" not in cards
    assert 'class="card-media"' not in cards
    assert in_place(alt, language, css_class="image-alt card-image-alt") in cards
    on = page(IMAGES_ON, path, language)
    assert re.search(r'<div class="card-media"><img src="/media/[^"]*images/2026/park\.jpg', on)
    assert f'alt="{alt}"' in on and "image-alt" not in on


def test_a_card_without_a_picture_shows_nothing_with_images_off():
    factories.park(name="Bare park")
    html = page(IMAGES_OFF, "/parks/", "en")
    assert "Bare park" in html
    assert (
        "image-alt" not in html
        and 'class="card-media"' not in html
        and "<svg" not in html.split('class="card', 1)[1].split("</article>", 1)[0]
    )


def test_images_as_text_keeps_the_rest_of_the_markup():
    html = (
        '<p>a <img src="/media/a.png" alt="Tom &quot;river&quot; &gt; 1"> b</p>'
        '<figure><img src="/media/b.png" alt=" "><figcaption>c</figcaption></figure>'
    )
    assert images_as_text(html) == (
        '<p>a <span class="image-alt"><span class="image-alt-label">Image:</span> '
        "Tom &quot;river&quot; &gt; 1</span> b</p>"
        "<figure><figcaption>c</figcaption></figure>"
    )
    assert images_as_text("<p>no picture</p>") == "<p>no picture</p>"


@pytest.mark.parametrize(
    "language, path, text",
    [
        ("ru", "/ru/statistics/", "Изображение:</span> Столбчатая диаграмма:"),
        ("en", "/statistics/", "Image:</span> Bar chart: Projects by cluster."),
    ],
)
def test_statistics_charts_give_way_to_their_alt_text(language, path, text):
    factories.project()
    off = page(IMAGES_OFF, path, language)
    assert "<img" not in off
    assert f'<p class="image-alt"><span class="image-alt-label">{text}' in off
    on = page(IMAGES_ON, path, language)
    assert '<figure class="statistic-chart">' in on and "<img src=" in on
    assert "image-alt" not in on
