"""News feeds (RSS 2.0 and Atom 1.0) that accept the filters of /news/."""

import io
import mimetypes

from django.contrib.syndication.views import Feed
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cms.richtext import plain_html, without_tags

from .base import reject_nul_bytes
from .caching import current_version
from .listing import Listing, parse_query, refusals
from .listing.lists import ArticleFilterSet

FEED_SIZE = 20
# XML 1.0 allows no control characters but tab, newline and carriage return.
CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def xml_text(text):
    """Text that XML can carry: control characters dropped, no-break spaces kept as spaces."""
    return str(text).translate(CONTROL_CHARACTERS).replace("\xa0", " ")


def plain_title(text):
    """A title as plain text that no reader can take for markup, whether it reads the title
    as text or as HTML: tags dropped, angle brackets replaced."""
    text = without_tags(str(text))
    return xml_text(text.replace("<", "‹").replace(">", "›"))


class ReadableFeedMixin:
    """A feed that a browser shows as a page saying how to subscribe: an xml-stylesheet
    processing instruction points at our XSLT (static/feeds/feed.xsl); readers ignore it.

    Served as application/xml: browsers show application/rss+xml and atom+xml as plain text
    without applying a stylesheet; feed readers go by the document's root element.
    """

    content_type = "application/xml; charset=utf-8"

    def write(self, outfile, encoding):
        out = io.StringIO()
        super().write(out, encoding)
        document = out.getvalue()
        declaration_end = document.index("?>") + 2 if document.startswith("<?xml") else 0
        instruction = f'<?xml-stylesheet type="text/xsl" href="{static("feeds/feed.xsl")}"?>'
        outfile.write(document[:declaration_end] + instruction + document[declaration_end:])


class ReadableRssFeed(ReadableFeedMixin, Rss201rev2Feed):
    pass


class ReadableAtomFeed(ReadableFeedMixin, Atom1Feed):
    pass


class LatestArticlesFeed(Feed):
    """The 20 newest published articles, narrowed by the /news/ filters in the query.

    A filter value the list page refuses is refused here too (400), never ignored: a feed
    of all news is not what a reader of one cluster subscribed to.
    """

    feed_type = ReadableRssFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed generator writes the document in hundreds of small pieces, which the server
        # would send one by one (and TCP would hold back); joined, it goes out in one piece.
        response.content = response.content
        # When content last changed: unlike the newest item's time, it never goes back when
        # an item is unpublished, so readers drop retracted items.
        response.headers["Last-Modified"] = http_date(current_version().started_at.timestamp())
        return response

    def get_object(self, request, *args, **kwargs):
        """The listing of the news the filters select (the feed's "object")."""
        reject_nul_bytes(request)
        query = parse_query(ArticleFilterSet, request.GET)
        if query.refused:
            refusals.refuse(query.refused, _("The feed was not made: %(errors)s"))
        listing = Listing(ArticleFilterSet, query)
        # Enclosure addresses must be absolute, and the feed framework adds no domain to them.
        listing.origin = request.build_absolute_uri("/").rstrip("/")
        return listing

    def title(self, listing):
        names = listing.query.labels
        if names:
            return plain_title(_("INO Tomsk news: %(filters)s") % {"filters": ", ".join(names)})
        return _("INO Tomsk news")

    def link(self, listing):
        query = listing.query.urlencode()
        return reverse("news:article-list") + (f"?{query}" if query else "")

    def description(self, listing):
        return _("News of the INO Tomsk innovation programme.")

    def items(self, listing):
        items = list(listing.filtered().order_by("-published_at", "-id")[:FEED_SIZE])
        for item in items:
            item.feed_origin = listing.origin
        return items

    def item_title(self, item):
        return plain_title(item.title)

    def item_description(self, item):
        # Readers take the description for HTML: only text goes out, escaped.
        text = item.lead or (item.paragraphs[0] if item.paragraphs else "")
        return xml_text(plain_html(Truncator(text).words(60)))

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)  # Tomsk time, as the articles give it

    def item_updateddate(self, item):
        return timezone.localtime(item.updated_at)

    def item_guid(self, item):
        return f"article-{item.pk}"

    item_guid_is_permalink = False

    # Each item carries its picture, where it has one (RSS enclosure, Atom link rel=enclosure).
    def item_enclosure_url(self, item):
        return item.feed_origin + item.image.url if item.image else None

    def item_enclosure_length(self, item):
        # Readers want a byte count; reading it costs a file access per item, and 0 is the
        # conventional "unknown".
        return 0

    def item_enclosure_mime_type(self, item):
        return (mimetypes.guess_type(item.image.name)[0] or "image/jpeg") if item.image else ""


class AtomArticlesFeed(LatestArticlesFeed):
    feed_type = ReadableAtomFeed

    def subtitle(self, listing):
        return self.description(listing)
