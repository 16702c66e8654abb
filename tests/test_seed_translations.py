"""The Russian texts of the seed fixture: the portal's translations of short stated facts, each
listed in docs/seed-content.md, keeping the numbers of its English original; and `seed`, which
gives them to existing databases only where nobody has edited the row."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command

from clusters.models import Cluster
from portal.models import Direction, KeyFact, ParkType, Stakeholder

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
DOC = (ROOT / "docs" / "seed-content.md").read_text(encoding="utf-8")
SECTION = "## Russian texts that are the portal's translation of the seed wording"

# The only texts the portal translates; organisation names, article and project texts and the
# event's title stay as the seeds give them.
TRANSLATED = {
    "portal.keyfact": {"figure_ru", "text_ru", "label_ru", "unit_ru", "source_title_ru"},
    "portal.keyfactpart": {"label_ru", "unit_ru"},
    "portal.direction": {"name_ru"},
    "portal.parktype": {"name_ru"},
    "clusters.cluster": {"name_ru"},
    "portal.stakeholder": {"city_ru", "country_ru", "description_ru"},
    "events.event": {"place_ru"},
}


def russian_pairs():
    for entry in FIXTURE:
        for name, value in entry["fields"].items():
            if name.endswith("_ru"):
                yield entry["model"], name, entry["fields"][name[:-3] + "_en"], value


def plain(text):
    return " ".join(text.replace("\xa0", " ").split())


def doc_rows():
    section = DOC.split(SECTION, 1)[1]
    rows = set()
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 4:
            rows.add((plain(cells[2]), plain(cells[3])))
    return rows


def test_only_short_stated_facts_are_translated():
    for model, name, _english, _russian in russian_pairs():
        assert name in TRANSLATED.get(model, set()), (model, name)
    # Every direction, cluster, park type and key figure has its Russian.
    for entry in FIXTURE:
        if entry["model"] in {"portal.direction", "portal.parktype", "clusters.cluster"}:
            assert entry["fields"]["name_ru"], entry
        if entry["model"] == "portal.keyfact":
            assert entry["fields"]["text_ru"] and entry["fields"]["label_ru"], entry


def test_each_russian_text_is_listed_in_the_docs():
    assert SECTION in DOC
    rows = doc_rows()
    for model, name, english, russian in russian_pairs():
        assert (plain(english), plain(russian)) in rows, (model, name, english)


@pytest.mark.parametrize("pair", list(russian_pairs()), ids=lambda pair: f"{pair[0]}.{pair[1]}")
def test_a_translation_keeps_the_numbers_and_reads_as_russian(pair):
    _model, _name, english, russian = pair
    assert sorted(re.findall(r"\d+", english)) == sorted(re.findall(r"\d+", russian))
    assert russian.strip() == russian and "  " not in russian
    # Russian, apart from the abbreviation of information technology (ИТ is Russian too).
    assert not re.search(r"[A-Za-z]", russian), russian
    assert '"' not in russian and "“" not in russian  # «…» quotes only


def seed():
    out = StringIO()
    call_command("seed", stdout=out, verbosity=2)
    return out.getvalue()


def seeded_before_translations():
    """A database seeded from the fixture as it was before it had Russian texts."""
    call_command("loaddata", "seed", verbosity=0)
    for model in (KeyFact, Direction, ParkType, Cluster):
        fields = {f"{name}_ru": None if name == "name" else "" for name in model_fields(model)}
        model._base_manager.update(**fields)
    Stakeholder._base_manager.update(city_ru="", country_ru="", description_ru="")


def model_fields(model):
    from cms.translated import translated_fields

    return translated_fields(model)


@pytest.mark.django_db
def test_seed_translates_the_rows_nobody_edited(superuser):
    seeded_before_translations()
    # Edited since seeding: in the admin (a save without a change still counts), in a shell,
    # and a Russian name an editor wrote.
    timber = Cluster.objects.get(slug="timber")
    LogEntry.objects.log_actions(
        user_id=superuser.pk,
        queryset=[timber],
        action_flag=CHANGE,
        change_message="[]",
        single_object=True,
    )
    Direction._base_manager.filter(slug="business-environment").update(name_en="Business climate")
    ParkType._base_manager.filter(slug="sport").update(name_ru="Спорт")
    # Every other field still as seeded, but the updated_at of an edit.
    Stakeholder._base_manager.filter(slug="heidelberg-university").update(
        updated_at="2027-01-01T00:00:00Z"
    )

    out = seed()

    assert "Seed: created 0;" in out, out
    assert Cluster.objects.get(slug="petrochemical").name_ru == "Нефтехимический кластер"
    assert Direction.objects.get(slug="advanced-industry").name_ru == "Передовая промышленность"
    fact = KeyFact.objects.get(order=3)
    assert (fact.label_ru, fact.unit_ru) == ("инвестиционный разрыв", "млрд\xa0руб.")
    assert fact.parts.get().label_ru == "подтверждённые внебюджетные средства"
    assert Stakeholder.objects.get(slug="masaryk-university").country_ru == "Чехия"
    assert Stakeholder.objects.get(slug="iba-heidelberg").city_ru == "Гейдельберг"
    # The edited rows keep what they had, English columns included.
    assert Cluster.objects.get(slug="timber").name_ru is None
    business = Direction.objects.get(slug="business-environment")
    assert (business.name_en, business.name_ru) == ("Business climate", None)
    assert ParkType.objects.get(slug="sport").name_ru == "Спорт"
    assert Stakeholder.objects.get(slug="heidelberg-university").city_ru == ""
    assert Cluster.objects.get(slug="petrochemical").name_en == "Petrochemical cluster"

    assert "added nothing" in seed()  # the second run changes nothing


@pytest.mark.django_db
def test_a_fresh_database_gets_the_russian_texts_and_ru_pages_show_them(client):
    seed()
    assert Cluster.objects.get(slug="timber").name_ru == "Лесопромышленный кластер"
    html = client.get("/ru/about/").content.decode()
    assert "Передовая промышленность" in html and "Научно-образовательный" in html
    assert "Advanced industry" not in html and "investment gap" not in html
    assert "инвестиционный разрыв" in html and "млрд\xa0руб." in html
