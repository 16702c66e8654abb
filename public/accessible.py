"""The version for visually impaired visitors (ГОСТ Р 52872-2019): font size in three steps,
three colour schemes, images on or off, wider letter spacing.

The visitor's choice is one cookie (``COOKIE_NAME``) holding the four settings, written by
``choose`` (the links of the switch on every page lead there and back) and read by the
context processor ``accessible_version``, which gives ``<html>`` its classes: the server
renders every mode, so it works without script. The page cache keys a page by the mode
(``Mode.cache_part``, in public/caching.py); the standard version, and any cookie value this
module does not recognise, has no part, so it shares the pages kept before the mode existed.
"""

from dataclasses import dataclass, replace
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

COOKIE_NAME = "a11y"
COOKIE_AGE = 60 * 60 * 24 * 365

# Each setting: its query parameter and values, in the order the switch shows them.
SIZES = ("1", "2", "3")
SCHEMES = ("white", "black", "blue")
IMAGES = ("on", "off")
SPACINGS = ("normal", "wide")


@dataclass(frozen=True)
class Mode:
    """How pages look: the standard version (``on`` false) or the accessible one with its
    four settings. ``value`` is the cookie's text, e.g. ``"2.black.off.wide"``."""

    on: bool = False
    size: str = SIZES[0]
    scheme: str = SCHEMES[0]
    images: str = IMAGES[0]
    spacing: str = SPACINGS[0]

    @classmethod
    def from_value(cls, value):
        """The mode a cookie names, or the standard version for anything else."""
        parts = (value or "").split(".")
        if len(parts) != 4:
            return cls()
        size, scheme, images, spacing = parts
        if size in SIZES and scheme in SCHEMES and images in IMAGES and spacing in SPACINGS:
            return cls(True, size, scheme, images, spacing)
        return cls()

    @property
    def value(self):
        return ".".join((self.size, self.scheme, self.images, self.spacing)) if self.on else ""

    @property
    def images_off(self):
        return self.on and self.images == "off"

    @property
    def cache_part(self):
        """What the page-cache key adds for this mode: nothing for the standard version."""
        return (f"a11y={self.value}",) if self.on else ()

    @property
    def html_class(self):
        if not self.on:
            return ""
        classes = ["a11y", f"a11y-size-{self.size}", f"a11y-scheme-{self.scheme}"]
        if self.images == "off":
            classes.append("a11y-images-off")
        if self.spacing == "wide":
            classes.append("a11y-spacing-wide")
        return " ".join(classes)


def mode_of(request):
    """The mode the request's cookie asks for."""
    return Mode.from_value(request.COOKIES.get(COOKIE_NAME))


@dataclass(frozen=True)
class Option:
    label: str
    url: str
    current: bool
    # Its classes: a colour scheme's choice has one of its own, to show in its colours.
    css_class: str = "a11y-choice"


@dataclass(frozen=True)
class Group:
    name: str  # the query parameter; also names the group's label in the page (ids)
    label: str
    options: list


# (parameter, label, [(value, label), …]): the switch's groups, in the order shown.
CHOICES = [
    (
        "size",
        _("Font size"),
        [
            ("1", pgettext_lazy("font size", "Medium")),
            ("2", pgettext_lazy("font size", "Large")),
            ("3", pgettext_lazy("font size", "Extra large")),
        ],
    ),
    (
        "scheme",
        _("Colours"),
        [
            ("white", _("Black on white")),
            ("black", _("White on black")),
            ("blue", _("Dark blue on light blue")),
        ],
    ),
    ("images", _("Images"), [("on", _("Show")), ("off", _("Hide"))]),
    (
        "spacing",
        _("Letter spacing"),
        [("normal", pgettext_lazy("letter spacing", "Normal")), ("wide", _("Wide"))],
    ),
]


@dataclass
class Switch:
    """What the switch on every page shows: the mode, a link to turn it on or off, and (when
    on) each setting's options, every one a link back to this page with that setting."""

    mode: Mode
    next: str

    def _url(self, **params):
        return reverse("accessible-version") + "?" + urlencode({**params, "next": self.next})

    @property
    def html_class(self):
        return self.mode.html_class

    @property
    def on(self):
        return self.mode.on

    @property
    def images_off(self):
        return self.mode.images_off

    @property
    def turn_on_url(self):
        return self._url(version="accessible")

    @property
    def turn_off_url(self):
        return self._url(version="standard")

    @property
    def groups(self):
        return [
            Group(
                name,
                label,
                [
                    Option(
                        text,
                        self._url(**{name: value}),
                        getattr(self.mode, name) == value,
                        f"a11y-choice a11y-choice-{value}" if name == "scheme" else "a11y-choice",
                    )
                    for value, text in options
                ],
            )
            for name, label, options in CHOICES
        ]


def image_text(alt, tag="p", css_class="image-alt"):
    """What stands in an image's place while images are off: its alt text, labelled as an
    image, or nothing for a decorative image (empty alt)."""
    alt = str(alt or "").strip()
    if not alt:
        return ""
    return format_html(
        '<{} class="{}"><span class="image-alt-label">{}</span> {}</{}>',
        tag,
        css_class,
        gettext("Image:"),
        alt,
        tag,
    )


class _ImageTags(HTMLParser):
    """Collects each <img> start tag of a fragment as written, with its alt text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append((self.get_starttag_text(), dict(attrs).get("alt")))


def images_as_text(html):
    """``html`` (safe, sanitised markup) with every <img> replaced by ``image_text``: a span,
    since an image may stand inside a paragraph."""
    if "<img" not in html:
        return html
    parser = _ImageTags()
    parser.feed(html)
    parser.close()
    parts, cursor = [], 0
    for raw, alt in parser.found:
        start = html.index(raw, cursor)
        parts += [html[cursor:start], image_text(alt, tag="span")]
        cursor = start + len(raw)
    parts.append(html[cursor:])
    # Safe: the untouched parts come from safe markup, the replacements from format_html.
    return mark_safe("".join(parts))  # noqa: S308


def accessible_version(request):
    """Context processor: ``a11y``, the switch (its ``html_class`` for ``<html>``)."""
    return {"a11y": SimpleLazyObject(lambda: Switch(mode_of(request), request.get_full_path()))}


def _chosen(mode, params):
    """``mode`` with the settings in ``params`` applied; values it does not know are ignored."""
    version = params.get("version")
    if version == "standard":
        return Mode()
    if version == "accessible" and not mode.on:
        mode = replace(mode, on=True)
    changes = {
        name: params[name]
        for name, allowed in (
            ("size", SIZES),
            ("scheme", SCHEMES),
            ("images", IMAGES),
            ("spacing", SPACINGS),
        )
        if params.get(name) in allowed
    }
    # A setting chosen turns the version on: a link followed from the accessible version.
    return replace(mode, on=True, **changes) if changes else mode


@require_safe
def choose(request):
    """Set the accessible version's cookie from the query (``version=accessible|standard``,
    ``size``, ``scheme``, ``images``, ``spacing``) and go back to ``next``, a page of this site.

    A GET, like the language switcher: links work without script, and the pages stay free of
    forms, so the page cache keeps them (a form's CSRF cookie would make every page personal).
    """
    target = request.GET.get("next", "")
    if (
        not target.startswith("/")
        or any(ord(character) < 32 for character in target)
        or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = "/"
    mode = _chosen(mode_of(request), request.GET)
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    if mode.on:
        response.set_cookie(
            COOKIE_NAME,
            mode.value,
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response
