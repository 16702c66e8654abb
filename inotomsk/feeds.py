"""News feeds (RSS 2.0 and Atom 1.0) that accept the filters of /news/."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .filters import ArticleFilterSet
from .views import reject_nul_bytes

FEED_SIZE = 20
# XML 1.0 allows no control characters but tab, newline and carriage return.
CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def xml_text(text):
    """Text that XML can carry: control characters dropped, no-break spaces kept as spaces."""
    return str(text).translate(CONTROL_CHARACTERS).replace("\xa0", " ")


class LatestArticlesFeed(Feed):
    """The 20 newest published articles, narrowed by the /news/ filters in the query."""

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed generator writes the document in hundreds of small pieces, which the server
        # would send one by one (and TCP would hold back); joined, it goes out in one piece.
        response.content = response.content
        return response

    def get_object(self, request, *args, **kwargs):
        reject_nul_bytes(request)
        filterset = ArticleFilterSet(request.GET)
        return filterset

    def title(self, filterset):
        names = filterset.active_labels()
        if names:
            return xml_text(_("INO Tomsk news: %(filters)s") % {"filters": ", ".join(names)})
        return _("INO Tomsk news")

    def link(self, filterset):
        query = filterset.data.urlencode() if filterset.data else ""
        return reverse("news:article-list") + (f"?{query}" if query else "")

    def description(self, filterset):
        return _("News of the INO Tomsk innovation programme.")

    def items(self, filterset):
        return filterset.qs.order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        text = item.lead or (item.paragraphs[0] if item.paragraphs else "")
        return xml_text(Truncator(text).words(60))

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)  # Tomsk time, as the articles give it

    def item_updateddate(self, item):
        return timezone.localtime(item.updated_at)

    def item_guid(self, item):
        return f"article-{item.pk}"

    item_guid_is_permalink = False


class AtomArticlesFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self, filterset):
        return self.description(filterset)
