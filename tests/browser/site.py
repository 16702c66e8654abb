"""The seeded portal the browser tests visit: the entries they name, one page of every type,
test pictures, and the superuser's log-in."""

import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from PIL import Image, ImageDraw

CLUSTER = "pharmaceutics-medical-equipment-and-it"
ARTICLE = "the-translational-medicine-development-project-of-the-tomsk-region-named-the"
PROJECT = "national-research-medical-center"
STAKEHOLDER = "tomsk-cancer-research-institute"
PARK = "tomsk-medical-campus"
DRAFT = "a-draft-nobody-outside-sees"


def picture(size=(1200, 675), colour=(11, 94, 133)):
    """A JPEG with a few shapes, so screenshots show where pictures go."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width // 8, height // 6, width // 2, height * 5 // 6), fill=(242, 169, 0))
    draw.rectangle((width // 2, height // 3, width * 7 // 8, height * 5 // 6), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


# One page of every type the portal has, as the site fixture seeds it.
PAGES = {
    "home": "/",
    "about": "/about/",
    "news": "/news/",
    "news-filtered": f"/news/?cluster={CLUSTER}",
    "article": f"/news/{ARTICLE}/",
    "article-preview": f"/news/{DRAFT}/",  # a draft, as staff see it
    "projects": "/projects/",
    "project": f"/projects/{PROJECT}/",
    "clusters": "/clusters/",
    "cluster": f"/clusters/{CLUSTER}/",
    # No project, member or news: what it is and that nothing is linked yet.
    "cluster-empty": "/clusters/timber/",
    "projects-empty-direction": "/projects/?direction=science-and-education",
    "stakeholders": "/stakeholders/",
    "stakeholder": f"/stakeholders/{STAKEHOLDER}/",
    "parks": "/parks/",
    "park": f"/parks/{PARK}/",
    "search": "/search/?q=medicine",
    "roadmap": "/roadmap/",  # the seeds list no action: the honest empty state
    "documents": "/documents/",
    "ru-roadmap": "/ru/roadmap/",
    "statistics": "/statistics/",
    "statistics-filtered": f"/statistics/?cluster={CLUSTER}",
    "events": "/events/?year=2017",
    "event": "/events/ii-international-forum-of-university-cities/",
    # Swagger UI, drawn by script: rendered and tried in tests/browser/test_api_docs_a11y.py.
    "api-docs": "/api/v1/docs/",
    "news-bad-filter": "/news/?year=nineteen",  # a 400 that says what was wrong
    "not-found": "/no-such-page/",
    # The same site in Russian: the seed texts are English, marked so inside Russian pages.
    "ru-home": "/ru/",
    "ru-news-filtered": f"/ru/news/?cluster={CLUSTER}",
    "ru-article": f"/ru/news/{ARTICLE}/",
    "ru-project": f"/ru/projects/{PROJECT}/",
    "ru-cluster": f"/ru/clusters/{CLUSTER}/",
    "ru-cluster-empty": "/ru/clusters/timber/",
    "ru-stakeholders": "/ru/stakeholders/",
    "ru-park": f"/ru/parks/{PARK}/",
    "ru-search": "/ru/search/?q=medicine",
    "ru-statistics": "/ru/statistics/",
    "ru-events": "/ru/events/",
    "ru-event": "/ru/events/ii-international-forum-of-university-cities/",
    "ru-not-found": "/ru/no-such-page/",
}
PAGE_TYPES = list(PAGES)
STAFF_ONLY = {"article-preview"}
PASSWORD = "pw-for-browser-tests"


@dataclass
class Site:
    """The seeded portal on the live server, and a superuser."""

    url: str
    staff: object
    pages: dict = field(default_factory=lambda: dict(PAGES))

    def login(self):
        """Browser-context options that log the superuser in."""
        client = Client()
        client.force_login(self.staff)
        cookie = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "domain": urlsplit(self.url).hostname,
            "path": "/",
        }
        return {"storage_state": {"cookies": [cookie], "origins": []}}


def status_of(page_type):
    return {"news-bad-filter": 400, "not-found": 404, "ru-not-found": 404}.get(page_type, 200)
