"""The seed fixtures state nothing the seed documents do not: every project status, direction,
role and "featured" flag, and every stakeholder kind, city and country in fixtures/seed.json is
in the list of supported facts below, which docs/seed-content.md documents
with the sentence that supports each, and every such sentence is in the seeds."""

import json
import re
from pathlib import Path

import pytest

from portal.models import Project

ROOT = Path(__file__).resolve().parent.parent
SEEDS = " ".join(
    path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests" / "seeds").glob("*.txt"))
)
FIXTURE = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
SEED_DOC = (ROOT / "docs" / "seed-content.md").read_text(encoding="utf-8")

# name: (kind, city, country, the words of the seeds that state them)
STATED = {
    "Ministry of Economic Development of Russia": (
        "federal-ministry",
        "",
        "Russia",
        "the Ministry of Economic Development of Russia held a meeting",
    ),
    "Federal Agency for Scientific Organizations": (
        "federal-agency",
        "",
        "",
        "FASO (Federal Agency for Scientific Organizations)",
    ),
    "Tomsk Regional Administration": (
        "regional-authority",
        "",
        "",
        "with the support from Tomsk Regional Administration",
    ),
    "North-West Center for Strategic Developments Foundation": (
        "foundation",
        "",
        "",
        "Deputy Director of North-West Center for Strategic Developments Foundation",
    ),
    "Skolkovo Foundation": ("foundation", "", "", "Education of the Skolkovo Foundation"),
    "National Research Tomsk State University": (
        "university",
        "Tomsk",
        "",
        "The Forum is organized by National Research Tomsk State University",
    ),
    "Ministry for Education and Science of Russia": (
        "federal-ministry",
        "",
        "Russia",
        "at the Ministry for Education and Science of Russia",
    ),
    "Tomsk Cancer Research Institute": (
        "research-institute",
        "Tomsk",
        "",
        "based on six Tomsk research and development establishments",
    ),
    "Cardiology Research Institute": (
        "research-institute",
        "Tomsk",
        "",
        "It will be also affiliated with Cardiology Research Institute",
    ),
    "Mental Health Research Institute": (
        "research-institute",
        "Tomsk",
        "",
        "Mental Health Research Institute, Medical Genetics Research Institute",
    ),
    "Medical Genetics Research Institute": (
        "research-institute",
        "Tomsk",
        "",
        "Mental Health Research Institute, Medical Genetics Research Institute",
    ),
    "Obstetrics, Gynecology and Perinatology Research Institute": (
        "research-institute",
        "Tomsk",
        "",
        "Obstetrics, Gynecology and Perinatology Research Institute",
    ),
    "Goldberg Pharmacology and Regenerative Medicine Research Institute": (
        "research-institute",
        "Tomsk",
        "",
        "Goldberg Pharmacology and Regenerative Medicine Research Institute",
    ),
    "Russian Presidential Academy of National Economy and Public Administration": (
        "",
        "",
        "Russia",
        "the Russian Presidential Academy of National Economy and Public Administration",
    ),
    "Russian Public Opinion Research Center VCIOM": (
        "",
        "",
        "Russia",
        "Chairman of Russian Public Opinion Research Center VCIOM",
    ),
    "Ministry of Industry and Trade of Russia": (
        "federal-ministry",
        "",
        "Russia",
        "representatives of the Russian Ministry of Industry and Trade",
    ),
    "Ministry of Healthcare of Russia": (
        "federal-ministry",
        "",
        "Russia",
        "As of today in Russia, various stages of the translational chain are supervised by "
        "different ministries",
    ),
    "Masaryk University": (
        "university",
        "",
        "Czech Republic",
        "Masaryk University (Check Republic)",
    ),
    "IBA Heidelberg": ("", "Heidelberg", "", "construction bureau IBA Heidelberg"),
    "Heidelberg University": ("university", "Heidelberg", "", "Heidelberg University campus"),
    "Federal Polytechnic School of Lausanne": (
        "",
        "Lausanne",
        "",
        "Federal Polytechnic School of Lausanne",
    ),
    "Association of University Cities of France": (
        "association",
        "",
        "France",
        "President of the Association of University Cities of France",
    ),
    "Lund University": ("university", "", "", "International Project Office, Lund University"),
    "University of Twente": ("university", "", "", "University of Twente"),
    "Association of Clusters and Technological Parks": (
        "association",
        "",
        "Russia",
        "to localize foreign industrial enterprises here in Russia",
    ),
    "Jereh": ("company", "", "", "Jereh company, a manufacturer and supplier of oil and gas"),
    "Department of Industry of Shandong Province": (
        "",
        "",
        "China",
        "Department of Industry of Shandong Province and other governmental bodies of China",
    ),
    "Association of the Zones of High and New Technologies “The Silk Road”": (
        "association",
        "",
        "",
        "Association of the Zones of High and New Technologies “The Silk Road”",
    ),
}
# No seed sentence gives a project a status, a direction, a role or a place on the home page.
PROJECT_FACTS = {"status": "", "direction": None, "is_featured": False}


def plain(text):
    return " ".join(text.replace("\xa0", " ").split())


def objects(model):
    return [entry["fields"] for entry in FIXTURE if entry["model"] == model]


def readme_section():
    match = re.search(r"^# Seed content and fixtures$(.*?)(?=^## |\Z)", SEED_DOC, re.S | re.M)
    assert match, "docs/seed-content.md starts with 'Seed content and fixtures'"
    return plain(match.group(1))


def test_every_stakeholder_fact_is_a_supported_one():
    for fields in objects("portal.stakeholder"):
        facts = (fields["kind"], fields["city_en"], fields["country_en"])
        kind, city, country, _words = STATED.get(fields["name_en"], ("", "", "", ""))
        assert facts == (kind, city, country), fields["name_en"]
        # Names stay as the seeds write them; only the portal's translations of a city, a
        # country or a description are in Russian (tests/test_seed_translations.py).
        russian = {name for name in fields if name.endswith("_ru")}
        assert russian <= {"city_ru", "country_ru", "description_ru"}, fields["name_en"]
        for name in russian:
            assert fields[name.replace("_ru", "_en")], (fields["name_en"], name)


def test_no_project_or_role_states_what_the_seeds_do_not():
    for fields in objects("portal.project"):
        assert {name: fields[name] for name in PROJECT_FACTS} == PROJECT_FACTS, fields["name_en"]
    assert {fields["role"] for fields in objects("portal.projectstakeholder")} == {""}


@pytest.mark.parametrize("name", sorted(STATED))
def test_each_supported_fact_is_in_the_seeds_and_the_readme(name):
    kind, city, country, words = STATED[name]
    assert plain(words) in plain(SEEDS), name
    section = readme_section()
    # One line per stakeholder: its name, what is kept, and the seeds' words.
    line = next((item for item in section.split(" - ") if f"**{plain(name)}**" in item), None)
    assert line is not None, f"README lists {name}"
    assert f"“{plain(words)}”" in line, name
    for value in (kind.replace("-", " "), city, country):
        assert value.lower() in line.lower(), (name, value)


@pytest.mark.django_db
def test_pages_show_nothing_for_what_is_not_stated(seeded, client):
    pages = [
        "/projects/",
        "/projects/national-research-medical-center/",
        "/stakeholders/",
        "/stakeholders/strategy-partners-group/",  # no kind, city or country
        "/stakeholders/federal-agency-for-scientific-organizations/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "None" not in html, url
        assert 'class="status status-"' not in html and "?kind=&" not in html, url
        assert '?kind="' not in html and 'class="role"' not in html, url
        assert '<p class="meta"></p>' not in html and '"meta"> · ' not in html, url
    listed = client.get("/projects/")
    facets = {facet.name: facet for facet in listed.context["facets"]}
    assert [option.value for option in facets["status"].options] == [
        "planned",
        "in-progress",
        "completed",
    ]
    kinds = client.get("/stakeholders/").context["facets"]
    assert "" not in [option.value for facet in kinds for option in facet.options]
    # Filtering by a status still works once a project states one.
    Project.objects.filter(slug="school-of-key-researchers").update(status="planned")
    planned = client.get("/projects/", {"status": "planned"})
    assert [row.slug for row in planned.context["rows"]] == ["school-of-key-researchers"]
