"""Real-browser tests: the portal served by pytest-django's live_server, driven in headless
Chromium through Playwright.

They need Debian's Chromium at /usr/bin/chromium (or the path in $CHROMIUM) and the playwright
package (a dev extra). Without them the tests are skipped with the reason; in CI (CI=true) they
must run, so there they fail instead.
"""

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ASSETS = HERE / "assets"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Headless, and none of Chromium's background connections: the test machines have no internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # Chromium refuses to run as root with its sandbox (containers, CI)
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VNU_VERSION = "26.9.27"
VNU_CACHE = ROOT / ".cache" / "vnu"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

CLUSTER = "pharmaceutics-medical-equipment-and-it"
ARTICLE = "the-translational-medicine-development-project-of-the-tomsk-region-named-the"
PROJECT = "national-research-medical-center"
STAKEHOLDER = "tomsk-cancer-research-institute"
PARK = "tomsk-medical-campus"
DRAFT = "a-draft-nobody-outside-sees"


def _missing_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (install it with: apt-get install chromium)"
    return None


MISSING = _missing_browser()
SKIPPED_FOR = []  # reasons other browser tests were skipped, for the summary


def pytest_collection_modifyitems(config, items):
    if not MISSING or IN_CI:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {MISSING}")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if MISSING and not IN_CI:
        terminalreporter.write_line(
            f"Browser tests (tests/browser) skipped: {MISSING}.", yellow=True
        )
    for reason in SKIPPED_FOR:
        terminalreporter.write_line(f"Browser test skipped: {reason}.", yellow=True)


@pytest.fixture(scope="session")
def browser():
    if MISSING:
        pytest.fail(f"The browser tests must run in CI, but {MISSING}.", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser is open;
    # Django's guard against database calls from async code would refuse the tests' own
    # (synchronous) queries, and those of any test that runs meanwhile.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


def require(reason):
    """Skip for want of a tool, except in CI, where every browser test must run."""
    if IN_CI:
        pytest.fail(f"This test must run in CI, but {reason}.", pytrace=False)
    SKIPPED_FOR.append(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu_jar():
    """The Nu HTML Checker's jar from the npm registry, fetched once into .cache/ (git-ignored)."""
    java = shutil.which("java")
    if java is None:
        require(
            "the HTML check needs Java 17+ to run the Nu HTML Checker (apt-get install default-jre-headless)"
        )
    jar = VNU_CACHE / VNU_VERSION / "vnu.jar"
    if not jar.exists():
        npm = shutil.which("npm")
        if npm is None:
            require("the HTML check needs npm to fetch the Nu HTML Checker (vnu-jar)")
        jar.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=jar.parent) as tmp:
            subprocess.run(
                [npm, "pack", f"vnu-jar@{VNU_VERSION}", "--pack-destination", tmp, "--silent"],
                check=True,
                timeout=300,
                stdout=subprocess.DEVNULL,
            )
            (tarball,) = Path(tmp).glob("vnu-jar-*.tgz")
            with tarfile.open(tarball) as archive:
                source = archive.extractfile("package/build/dist/vnu.jar")
                with open(Path(tmp) / "vnu.jar", "wb") as target:
                    shutil.copyfileobj(source, target)
            os.replace(Path(tmp) / "vnu.jar", jar)  # whole or not at all
    return [java, "-jar", str(jar)]


@dataclass
class Tab:
    """A browser tab on the live server, recording what went wrong while it loaded pages."""

    page: object
    base_url: str
    problems: list = field(default_factory=list)

    def url(self, path):
        return self.base_url + path

    def goto(self, path, status=200):
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, not {status}"
        return response

    def watch(self):
        page = self.page

        def on_console(message):
            # Chromium also logs every failed load; on_response reports those that matter.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.problems.append(f"console error on {page.url}: {message.text}")

        def on_response(response):
            # The page itself may be a 404 on purpose; its images, styles and scripts may not.
            if response.status >= 400 and response.request.resource_type != "document":
                self.problems.append(f"{response.status} for {response.url} on {page.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", on_response)
        return self


@pytest.fixture
def open_tab(browser, live_server):
    """Opens tabs in fresh browser contexts (own cookies), desktop-sized unless told."""
    contexts = []

    def open_tab(viewport=DESKTOP, **options):
        if viewport == PHONE:
            options = {"is_mobile": True, "has_touch": True, **options}
        context = browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return Tab(context.new_page(), live_server.url).watch()

    yield open_tab
    for context in contexts:
        context.close()


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
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(self.staff)
        cookie = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "domain": urlsplit(self.url).hostname,
            "path": "/",
        }
        return {"storage_state": {"cookies": [cookie], "origins": []}}


@pytest.fixture
def site(transactional_db, live_server, django_user_model):
    """The seed content, plus what the seeds lack: a park, and pictures on an article, a
    project, a cluster and the park (renditions made on save, as for an upload)."""
    from clusters.models import Cluster
    from news.models import Article
    from portal.models import Park, ParkType, Project

    call_command("loaddata", "seed", verbosity=0)
    cluster = Cluster.objects.get(slug=CLUSTER)
    project = Project.objects.get(slug=PROJECT)
    park = Park.objects.create(
        name="Tomsk medical campus",
        slug=PARK,
        park_type=ParkType.objects.get(slug="medical"),
        description="A test park: research institutes and clinics on one campus.\n\n"
        "It exists only in the browser tests; the seeds name no parks.",
        address="Tomsk",
        image_alt="A test picture: an orange circle and a white square on blue",
    )
    # Assigned and then saved, as an upload is: the field makes the renditions on save.
    park.image = ContentFile(picture(), name="park.jpg")
    park.save()
    cluster.parks.add(park)
    project.parks.add(park)
    for obj, name, colour in [
        (Article.objects.get(slug=ARTICLE), "article.jpg", (60, 90, 40)),
        (project, "project.jpg", (90, 40, 60)),
        (cluster, "cluster.jpg", (40, 60, 90)),
    ]:
        obj.image = ContentFile(picture(colour=colour), name=name)
        obj.image_alt = "A test picture: an orange circle and a white square"
        obj.save()
    Article.objects.get(slug=ARTICLE).parks.add(park)
    # A draft: staff preview it at its public address, where the public gets a 404.
    Article.objects.create(
        title="A draft nobody outside sees",
        slug=DRAFT,
        body="Draft text.",
        status=Article.Status.DRAFT,
        published_at=timezone.now() - timedelta(days=1),
    )
    staff = django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return Site(live_server.url, staff)


def status_of(page_type):
    return {"news-bad-filter": 400, "not-found": 404, "ru-not-found": 404}.get(page_type, 200)
