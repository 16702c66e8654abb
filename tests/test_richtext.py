"""Long texts: Markdown in, sanitised HTML out; hostile HTML never reaches a page."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from cms.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_richtext
from news.models import Article

from . import factories

# Whatever an editor (or an old row) holds, no markup of these may appear in the output.
FORBIDDEN_TAGS = ["<script", "<svg", "<math", "<iframe", "<object", "<embed", "<style", "<form"]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_safe(html):
    """Only allowed tags and attributes; links http(s)/mailto/relative; images our media."""
    for needle in FORBIDDEN_TAGS:
        assert needle not in html.lower(), (needle, html)
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, html
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, html
        if "href" in attrs:
            assert urlsplit(attrs["href"]).scheme in {"", "http", "https", "mailto"}, html
        if "src" in attrs:
            assert attrs["src"].startswith("/media/") and ":" not in attrs["src"], html


HOSTILE = [
    pytest.param("<script>alert(1)</script>Text", "Text", id="script"),
    pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "", id="script-src"),
    pytest.param("<img src=x onerror=alert(1)>", "<img>", id="img-onerror"),
    pytest.param('<img src="/media/a.png" onload="alert(1)" alt="A">', None, id="media-img-onload"),
    pytest.param("<svg onload=alert(1)><circle r=1 /></svg>", None, id="svg-onload"),
    pytest.param(
        "<svg><script>alert(document.cookie)</script><text>hi</text></svg>", None, id="svg-script"
    ),
    pytest.param('<a href="javascript:alert(1)">x</a>', None, id="javascript-link"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', None, id="javascript-case"),
    pytest.param('<a href="&#106;avascript:alert(1)">x</a>', None, id="javascript-entity"),
    pytest.param('<a href=" javascript:alert(1)">x</a>', None, id="javascript-space"),
    pytest.param('<a href="java\tscript:alert(1)">x</a>', None, id="javascript-tab"),
    pytest.param(
        "[click](javascript:alert(1))",
        "<p>[click](javascript:alert(1))</p>",
        id="markdown-javascript-link",
    ),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', None, id="vbscript"),
    pytest.param(
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        None,
        id="data-link",
    ),
    pytest.param('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>", id="data-img"),
    pytest.param('<img src="https://evil.example/track.gif" alt="t">', None, id="foreign-img"),
    pytest.param("![pixel](https://evil.example/track.gif)", None, id="markdown-foreign-img"),
    pytest.param('<iframe src="https://evil.example/"></iframe>', "", id="iframe"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "", id="srcdoc"),
    pytest.param('<object data="x.swf"></object><embed src="x.swf">', None, id="object-embed"),
    pytest.param("<style>body{display:none}</style>Shown", "Shown", id="style-tag"),
    pytest.param('<p style="background:url(javascript:alert(1))">Hi</p>', "<p>Hi</p>", id="style"),
    pytest.param('<p onclick="alert(1)" class="x" id="y">Hi</p>', "<p>Hi</p>", id="events"),
    pytest.param('<form action="https://evil.example/"><input name="pw"></form>', None, id="form"),
    pytest.param('<base href="https://evil.example/">', "", id="base"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "", id="meta"
    ),
    pytest.param("<math><mi xlink:href='javascript:alert(1)'>x</mi></math>", None, id="mathml"),
    pytest.param("<!--<script>alert(1)</script>-->Text", "Text", id="comment"),
    pytest.param("<scr<script>ipt>alert(1)</script>", None, id="nested-script"),
    pytest.param('"><script>alert(1)</script>', None, id="attribute-breakout"),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', None, id="noscript"
    ),
    pytest.param("<a href='https://ok.example/' target=_blank>ok</a>", None, id="target"),
]


@pytest.mark.parametrize(("source", "expected"), HOSTILE)
def test_hostile_html_is_neutralised(source, expected):
    html = render_richtext(source)
    assert_safe(html)
    if expected is not None:
        assert html == expected


SAFE = [
    ("First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>"),
    ("Line one\nline two", "<p>Line one<br>\nline two</p>"),
    ("## Results\n\n### Detail\n\n#### Note", "<h2>Results</h2>\n<h3>Detail</h3>\n<h4>Note</h4>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
    (
        "[site](https://tomsk.gov.ru/)",
        '<p><a href="https://tomsk.gov.ru/" rel="noopener noreferrer nofollow">site</a></p>',
    ),
    (
        "[mail](mailto:press@example.org)",
        '<p><a href="mailto:press@example.org" rel="noopener noreferrer nofollow">mail</a></p>',
    ),
    (
        "[our page](/projects/x/)",
        '<p><a href="/projects/x/" rel="noopener noreferrer nofollow">our page</a></p>',
    ),
    (
        '<figure><img src="/media/images/2026/a.jpg" alt="Campus" width="800" height="400">'
        "<figcaption>The campus</figcaption></figure>",
        '<figure><img src="/media/images/2026/a.jpg" alt="Campus" width="800" height="400">'
        "<figcaption>The campus</figcaption></figure>",
    ),
    (
        "| Year | Jobs |\n| --- | --- |\n| 2018 | 120 |",
        "<table>\n<thead>\n<tr>\n<th>Year</th>\n<th>Jobs</th>\n</tr>\n</thead>\n<tbody>\n"
        "<tr>\n<td>2018</td>\n<td>120</td>\n</tr>\n</tbody>\n</table>",
    ),
    ("# Not a second page title", "Not a second page title"),
]


@pytest.mark.parametrize(("source", "expected"), SAFE)
def test_allowed_formatting_is_kept(source, expected):
    assert render_richtext(source) == expected


def test_plain_text_stays_text():
    text = "I’m pretty sure that <…> all the\xa0timeframes will be met & “more”."
    assert render_richtext(text) == (
        "<p>I’m pretty sure that &lt;…&gt; all the\xa0timeframes will be met &amp; “more”.</p>"
    )


@pytest.mark.django_db
def test_seed_articles_render_their_paragraphs_intact(seeded):
    articles = list(Article.objects.all())
    assert len(articles) == 5
    for article in articles:
        html = render_richtext(article.body)
        paragraphs = article.paragraphs
        assert html.count("<p>") == len(paragraphs) > 1
        for paragraph in paragraphs:
            escaped = paragraph.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert f"<p>{escaped}</p>" in html
    body = "".join(a.body for a in articles)
    assert "<…>" in body and "\xa0" in body and "“" in body


@pytest.mark.django_db
def test_template_filter_renders_an_old_hostile_row_safely():
    # Rows are sanitised when shown, so one stored before any rule existed is safe too.
    article = factories.article(
        body='Intro.\n\n<img src=x onerror="alert(1)"><script>steal()</script>\n\n**End**'
    )
    html = Template("{% load richtext %}{{ article.body|richtext }}").render(
        Context({"article": Article.objects.get(pk=article.pk)})
    )
    assert html == "<p>Intro.</p>\n<p><img></p>\n<p><strong>End</strong></p>"


def test_filter_handles_empty_values():
    template = Template("{% load richtext %}[{{ value|richtext }}]")
    assert template.render(Context({"value": None})) == "[]"
    assert template.render(Context({"value": ""})) == "[]"


@given(st.text(max_size=200), st.sampled_from(["<script>x</script>", "<img src=x onerror=y>"]))
def test_no_text_smuggles_markup_through(text, payload):
    assert_safe(render_richtext(text + payload + text))
