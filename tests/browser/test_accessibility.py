"""axe-core on every page type, desktop and phone: no violations of WCAG 2.1 A and AA rules."""

import pytest

from .conftest import ASSETS, DESKTOP, PAGE_TYPES, PHONE, STAFF_ONLY, status_of

pytestmark = pytest.mark.django_db(transaction=True)

AXE = ASSETS / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""


def audit(site, open_tab, viewport):
    """axe's WCAG 2.1 A and AA violations on every page type, as lines of a report."""
    tabs = {}
    report = []
    for page_type in PAGE_TYPES:
        staff = page_type in STAFF_ONLY
        if staff not in tabs:
            # The portal's Content-Security-Policy allows only its own scripts; these contexts
            # bypass it for the injected axe script alone (the pages load as served).
            tabs[staff] = open_tab(viewport, bypass_csp=True, **(site.login() if staff else {}))
            tabs[staff].page.context.add_init_script(path=str(AXE))
        tab = tabs[staff]
        tab.goto(site.pages[page_type], status=status_of(page_type))
        for violation in tab.page.evaluate(RUN_AXE, WCAG_21_A_AA):
            report.append(
                f"{page_type} ({site.pages[page_type]}): {violation['id']} "
                f"({violation['impact']}): {violation['help']}\n    "
                + "\n    ".join(violation["nodes"])
            )
    for tab in tabs.values():
        assert tab.problems == []
    return report


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_wcag_21_a_or_aa_violations_on_any_page_type(site, open_tab, viewport):
    report = audit(site, open_tab, viewport)
    assert not report, (
        f"axe found WCAG 2.1 A/AA violations at {viewport['width']} px:\n" + "\n".join(report)
    )
