"""Every page type passes the Nu HTML Checker (vnu) with no errors."""

import json
import subprocess

import pytest

from .conftest import PAGE_TYPES, ROOT, STAFF_ONLY, status_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page_type_is_valid_html(site, open_tab, vnu_jar, tmp_path):
    tabs = {False: open_tab(), True: open_tab(**site.login())}
    files = {}
    for page_type in PAGE_TYPES:
        # The HTML as the server sent it, not the browser's serialisation of its DOM.
        response = tabs[page_type in STAFF_ONLY].page.request.get(site.url + site.pages[page_type])
        assert response.status == status_of(page_type), page_type
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        path = tmp_path / f"{page_type}.html"
        path.write_bytes(response.body())
        files[path.as_uri()] = page_type
    # One Java start for everything (it takes seconds); the site's stylesheet is checked too.
    stylesheet = ROOT / "static" / "css" / "site.css"
    files[stylesheet.as_uri()] = "static/css/site.css"
    statistics_css = ROOT / "static" / "css" / "statistics.css"  # the statistics page's own
    files[statistics_css.as_uri()] = "static/css/statistics.css"
    result = subprocess.run(
        [*vnu_jar, "--format", "json", "--errors-only", "--also-check-css", "--stdout"]
        + [str(tmp_path / f"{page_type}.html") for page_type in PAGE_TYPES]
        + [str(stylesheet), str(statistics_css)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.stdout, f"vnu printed nothing: {result.stderr}"
    messages = json.loads(result.stdout)["messages"]
    report = [
        f"{files.get(m.get('url'), m.get('url'))}:{m.get('lastLine', '?')}: {m['type']}: "
        f"{m['message']}\n    {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert not report, "The Nu HTML Checker found errors:\n" + "\n".join(report)
    assert result.returncode == 0, result.stderr
