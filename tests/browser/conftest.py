"""Real-browser tests: the portal served by pytest-django's live_server, driven in headless
Chromium through Playwright.

They need Debian's Chromium at /usr/bin/chromium (or the path in $CHROMIUM) and the playwright
package (a dev extra). Without them the tests are skipped with the reason; in CI (CI=true) they
must run, so there they fail instead.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from clusters.models import Cluster
from news.models import Article
from portal.models import Park, ParkType, Project

from .chromium import (
    ASSETS,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    HERE,
    IN_CI,
    MISSING,
    PHONE,
    ROOT,
    SCREENSHOTS,
    SKIPPED_FOR,
    VNU_CACHE,
    VNU_VERSION,
    Tab,
    require,
)
from .site import (
    ARTICLE,
    CLUSTER,
    DRAFT,
    PAGE_TYPES,
    PARK,
    PASSWORD,
    PROJECT,
    STAFF_ONLY,
    STAKEHOLDER,
    Site,
    picture,
    status_of,
)

# The browser tests import these from here (fixtures aside, they live in chromium.py and site.py).
__all__ = [
    "ARTICLE",
    "ASSETS",
    "CLUSTER",
    "DESKTOP",
    "PAGE_TYPES",
    "PARK",
    "PASSWORD",
    "PHONE",
    "PROJECT",
    "ROOT",
    "SCREENSHOTS",
    "STAFF_ONLY",
    "STAKEHOLDER",
    "picture",
    "status_of",
]


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
    # Here: playwright is a dev extra, absent where the browser tests are skipped.
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


@pytest.fixture
def site(transactional_db, live_server, django_user_model):
    """The seed content, plus what the seeds lack: a park, and pictures on an article, a
    project, a cluster and the park (renditions made on save, as for an upload)."""
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
