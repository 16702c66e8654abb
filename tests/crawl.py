"""A small crawler of the public site for tests: follows every same-site link from its start
pages with a Django test client and records how every URL answered and where it was found.

Followed: ``<a href>``, ``<link rel=alternate|canonical>``, GET forms (each checkbox on its
own, each text field with a few sample words, and the form as it stands), the ``<loc>`` and
``<link>`` entries of sitemaps and feeds, and the ``Sitemap:`` lines of robots.txt.
"""

import traceback
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.db import transaction

SITE_HOSTS = {"", "testserver"}
# Not pages of the public site: the admin, uploaded files, and static assets.
SKIPPED_PREFIXES = ("/admin/", "/media/", "/static/")
# The switch of the accessible version: one link per page back to that page, which would
# double the URLs; tests/test_accessible_version.py follows it.
SKIPPED_PREFIXES += ("/accessible/",)
# The language switcher remembers the choice and redirects to the page in that language.
REDIRECTING_PREFIXES = ("/language/",)
FOLLOWED_LINK_RELS = {"alternate", "canonical"}
# What the crawler types into text fields of GET forms (search boxes): a word in every
# generated article, a misspelt title (the search's "similar titles"), a word of the seed
# content, and text with characters that need quoting.
SAMPLE_WORDS = ("paragraph", "Artcle", "Tomsk", 'R&D "lab" -x')
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml")
# Every list view also links its CSV and JSON downloads (about a sixth of the URLs).
DEFAULT_LIMIT = 4000


def normalize(url, base="http://testserver/"):
    """The same-site URL ``url`` (relative to ``base``) as a path with a query whose
    parameters are in a stable order, without its fragment; None for other sites."""
    parts = urlsplit(urljoin(base, url.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc not in SITE_HOSTS:
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))  # values keep their order
    return urlunsplit(("", "", parts.path or "/", query, ""))


def with_query(action_url, pairs):
    """A GET form's submission: its action with the query replaced by ``pairs``."""
    parts = urlsplit(action_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))


class PageParser(HTMLParser):
    """The links and GET forms of an HTML page (character references already unescaped in
    attribute values, so ``&amp;`` in an href is ``&``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (kind, href)
        self.forms = []  # {"action", "method", "fields": [attrs]}
        self._form = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        href = attributes.get("href")
        if tag == "a" and href is not None:
            self.links.append(("link", href))
        elif tag == "link" and href is not None:
            rels = set((attributes.get("rel") or "").lower().split())
            if rels & FOLLOWED_LINK_RELS:
                self.links.append((f"link rel={'/'.join(sorted(rels))}", href))
        elif tag == "form":
            self._form = {
                "action": attributes.get("action") or "",
                "method": (attributes.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None:
            self._form["fields"].append({"tag": tag, **attributes})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def form_submissions(form, page_url):
    """The URLs a GET form leads to, hidden fields in all: each checkbox or radio button
    alone and each text field with each sample word; and the form submitted as it stands."""
    if form["method"] != "get":
        return [], None
    action = urljoin(page_url, form["action"]) if form["action"] else page_url
    controls = []
    for control in form["fields"]:
        if control.get("name") and "disabled" not in control:
            if control["tag"] == "input":
                kind = control.get("type") or "text"
            else:  # a select's options are links of their own (not parsed): left as it stands
                kind = "select" if control["tag"] == "select" else "text"
            controls.append((kind.lower(), control))
    hidden = [(c["name"], c.get("value") or "") for kind, c in controls if kind == "hidden"]
    choices, texts, as_it_stands = [], [], list(hidden)
    for kind, control in controls:
        name, value = control["name"], control.get("value")
        if kind in ("checkbox", "radio"):
            value = "on" if value is None else value
            choices.append((name, value))
            if "checked" in control:
                as_it_stands.append((name, value))
        elif kind in ("text", "search"):
            texts.append(name)
            as_it_stands.append((name, value or ""))
    # Disabled boxes too (an empty option): anyone can type the address.
    for control in form["fields"]:
        if control.get("name") and "disabled" in control and control.get("type") == "checkbox":
            choices.append((control["name"], control.get("value") or "on"))
    urls = [with_query(action, [*hidden, choice]) for choice in choices]
    urls += [with_query(action, [*hidden, (name, word)]) for name in texts for word in SAMPLE_WORDS]
    return urls, with_query(action, as_it_stands)


def xml_links(content):
    """The URLs an XML document names: sitemap ``<loc>``, RSS ``<link>``, Atom ``<link href>``."""
    urls = []
    for element in ET.fromstring(content).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "loc" and element.text:
            urls.append(element.text)
        elif name == "link":
            if element.get("href"):
                urls.append(element.get("href"))
            elif element.text and element.text.strip():
                urls.append(element.text)
    return urls


@dataclass
class Found:
    """Where a URL was first found."""

    referrer: str | None
    how: str


@dataclass(repr=False)
class Crawl:
    client: object
    limit: int = DEFAULT_LIMIT
    # check(url, response) -> descriptions of what is wrong with a page that answered 200.
    check: object = None
    found: dict = field(default_factory=dict)  # url -> Found
    status: dict = field(default_factory=dict)  # url -> status code
    errors: dict = field(default_factory=dict)  # url -> traceback
    problems: dict = field(default_factory=dict)  # url -> [description]
    external: set = field(default_factory=set)
    form_shapes: set = field(default_factory=set)
    cap_reached: bool = False

    def run(self, start_urls):
        queue = deque()
        for url in start_urls:
            self._add(queue, url, None, "start")
        while queue:
            url = queue.popleft()
            for how, href, base in self._fetch(url):
                self._add(queue, href, url, how, base)
        return self

    def _add(self, queue, href, referrer, how, base="http://testserver/"):
        url = normalize(href, base)
        if url is None:
            self.external.add(href)
            return
        if url.startswith(SKIPPED_PREFIXES) or url in self.found:
            return
        if len(self.found) >= self.limit:
            self.cap_reached = True
            return
        self.found[url] = Found(referrer, how)
        queue.append(url)

    def _fetch(self, url):
        """Fetch ``url``; yields (how, href, base URL) of everything it links to."""
        try:
            # A savepoint: a failed query must not break the rest of the crawl on PostgreSQL.
            with transaction.atomic():
                response = self.client.get(url)
        except Exception:
            self.status[url] = 500
            self.errors[url] = traceback.format_exc()
            return
        self.status[url] = response.status_code
        if response.status_code == 302 and url.startswith(REDIRECTING_PREFIXES):
            yield "redirect", response["Location"], f"http://testserver{url}"
            return
        if response.status_code != 200 or getattr(response, "streaming", False):
            return
        if self.check is not None and (problems := self.check(url, response)):
            self.problems[url] = problems
        base = f"http://testserver{url}"
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "text/html":
            parser = PageParser()
            parser.feed(response.content.decode(response.charset or "utf-8"))
            parser.close()
            for how, href in parser.links:
                yield how, href, base
            for form in parser.forms:
                submissions, as_it_stands = form_submissions(form, base)
                for submission in submissions:
                    yield "form", submission, base
                if as_it_stands and self._new_shape(as_it_stands):
                    yield "form as it stands", as_it_stands, base
        elif content_type in XML_TYPES:
            for href in xml_links(response.content):
                yield "xml", href, base
        elif content_type == "text/plain":
            for line in response.content.decode().splitlines():
                if line.lower().startswith("sitemap:"):
                    yield "robots.txt", line.split(":", 1)[1].strip(), base

    def _new_shape(self, url):
        """Whether no form submitted as it stands had this path and these parameters yet:
        on every list page the form submits its empty search box with the filters, and once
        per combination of parameters shows what that does."""
        parts = urlsplit(url)
        names = frozenset(name for name, _value in parse_qsl(parts.query, keep_blank_values=True))
        shape = (parts.path, names)
        if shape in self.form_shapes:
            return False
        self.form_shapes.add(shape)
        return True

    def failures(self):
        """Every URL that did not answer 200 or failed the check, with where it was found."""
        failures = []
        for url, code in sorted(self.status.items()):
            found = self.found[url]
            expected = 302 if url.startswith(REDIRECTING_PREFIXES) else 200
            problems = [str(code)] if code != expected else self.problems.get(url, [])
            failures += [Failure(url, problem, found.how, found.referrer) for problem in problems]
        return failures

    def report(self, failures=None):
        failures = self.failures() if failures is None else failures
        text = "\n".join(map(str, failures))
        for url, error in self.errors.items():
            text += f"\n\n--- {url}\n{error}"
        if self.cap_reached:
            text += f"\n\nThe crawl stopped at its cap of {self.limit} URLs."
        return text


@dataclass(frozen=True)
class Failure:
    url: str
    problem: str  # the status code, or what the check found
    how: str
    referrer: str | None

    def __str__(self):
        return f"{self.problem} {self.url} ({self.how} from {self.referrer or 'the start'})"
