"""The Russian interface: a complete catalogue, compiled as committed, plurals and dates right.

Only the standard library reads the catalogue (no gettext tools are needed): the .po is parsed
here and the committed .mo is loaded with ``gettext.GNUTranslations``. After changing strings,
run ``manage.py makemessages -l ru``, translate every entry, then ``manage.py
compilemessages`` and commit both files.
"""

import ast
import datetime
import gettext
import re
import types
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
# A number that selects each Russian plural form: 1 результат, 2 результата, 5 результатов.
FORM_EXAMPLES = {0: 1, 1: 2, 2: 5}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[a-z]")
# Strings marked in Python that xgettext cannot see (gettext() inside an f-string); they
# must be moved out of the f-string before they can be translated.
KNOWN_UNEXTRACTED = set()


def _unquote(text):
    return ast.literal_eval(text)


def parse_po(path):
    """The entries of a .po file: dicts with msgctxt, msgid, msgid_plural, msgstr (a list,
    one string per plural form) and flags. Obsolete (#~) entries are returned too, marked."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if entry is not None and "msgid" in entry:
                    finish()
                    entry = None
                entry = entry or {"flags": set(), "msgstr": {}, "obsolete": False}
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
            continue
        if keyword in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
            finish()
            entry = None
        entry = entry or {"flags": set(), "msgstr": {}, "obsolete": False}
        entry["obsolete"] = entry["obsolete"] or obsolete
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            field = ("msgstr", int(match.group(1)))
            entry["msgstr"][field[1]] = _unquote(rest)
        elif keyword == "msgstr":
            field = ("msgstr", 0)
            entry["msgstr"][0] = _unquote(rest)
        else:
            field = keyword
            entry[field] = _unquote(rest)
    finish()
    for item in entries:
        item["msgstr"] = [item["msgstr"][i] for i in sorted(item["msgstr"])]
    return entries


ALL_ENTRIES = parse_po(PO_PATH)
HEADER = next(e for e in ALL_ENTRIES if e["msgid"] == "" and not e.get("msgctxt"))
ENTRIES = [e for e in ALL_ENTRIES if e is not HEADER and not e["obsolete"]]


def entry_id(entry):
    return entry["msgid"][:60]


def test_catalogue_header():
    headers = dict(line.split(": ", 1) for line in HEADER["msgstr"][0].splitlines() if ": " in line)
    assert headers["Language"] == "ru"
    assert headers["Plural-Forms"] == PLURAL_FORMS
    assert headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in HEADER["flags"]


def test_catalogue_is_not_empty():
    assert len(ENTRIES) > 250
    assert not [e for e in ALL_ENTRIES if e["obsolete"]], "obsolete entries: --no-obsolete"


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_every_entry_is_translated(entry):
    assert "fuzzy" not in entry["flags"], "a fuzzy entry is not used: check and unmark it"
    forms = entry["msgstr"]
    if "msgid_plural" in entry:
        assert len(forms) == 3, "Russian needs three plural forms"
    else:
        assert len(forms) == 1
    assert all(form.strip() for form in forms), "untranslated"
    # Every placeholder kept, no new one (the plural's forms may leave out the count).
    wanted = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
    for form in forms:
        found = set(PLACEHOLDER.findall(form))
        assert found <= wanted, f"unknown placeholders in {form!r}"
        assert wanted - {"%(count)d", "%(counter)s"} <= found, f"placeholders lost in {form!r}"
    # English left in place of a translation: the Cyrillic must be there (names and codes
    # such as "RSS feed" still get some Russian).
    for form in forms:
        assert re.search("[а-яё]", form, re.IGNORECASE) or form == entry["msgid"], form


def test_compiled_catalogue_matches_the_po():
    """compilemessages was run after the last change of the .po (the .mo is committed)."""
    with MO_PATH.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    assert compiled.info().get("plural-forms") == PLURAL_FORMS
    for entry in ENTRIES:
        context, msgid = entry.get("msgctxt"), entry["msgid"]
        if "msgid_plural" in entry:
            for index, n in FORM_EXAMPLES.items():
                if context is None:
                    got = compiled.ngettext(msgid, entry["msgid_plural"], n)
                else:
                    got = compiled.npgettext(context, msgid, entry["msgid_plural"], n)
                assert got == entry["msgstr"][index], (msgid, n)
        else:
            got = compiled.gettext(msgid) if context is None else compiled.pgettext(context, msgid)
            assert got == entry["msgstr"][0], msgid
    # Nothing compiled that the .po no longer has (the header is the one extra key).
    po_keys = set()
    for entry in ENTRIES:
        key = (
            entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        )
        if "msgid_plural" in entry:
            po_keys |= {(key, index) for index in range(3)}
        else:
            po_keys.add(key)
    assert set(compiled._catalog) - {""} == po_keys


def _python_msgids():
    """Literal msgids of the gettext calls in the project's Python code."""
    calls = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
    context_calls = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
    found = set()
    for app in ("inotomsk", "cms", "portal", "clusters", "news", "public"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                args = node.args[1:] if name in context_calls else node.args
                literal = bool(args) and isinstance(args[0], ast.Constant)
                if name in calls | context_calls and literal and isinstance(args[0].value, str):
                    found.add(args[0].value)
    return found


TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)""")


def _template_msgids():
    """The msgids of the {% translate "…" %} tags of the project's templates (and the cms app's)."""
    found = set()
    for path in [*(ROOT / "templates").rglob("*"), *(ROOT / "cms" / "templates").rglob("*")]:
        if path.suffix in (".html", ".txt", ".xml"):
            found |= {m["msgid"] for m in TRANSLATE_TAG.finditer(path.read_text("utf-8"))}
    return found


def test_every_marked_string_is_in_the_catalogue():
    """makemessages was run after the last new string (in Python or a translate tag)."""
    msgids = {e["msgid"] for e in ENTRIES}
    missing = (_python_msgids() | _template_msgids()) - msgids - KNOWN_UNEXTRACTED
    assert not missing, f"run makemessages -l ru and translate: {sorted(missing)}"


def render_result_count(n):
    """The result count of a list page (templates/includes/list_status.html)."""
    html = render_to_string(
        "includes/list_status.html", {"paginator": types.SimpleNamespace(count=n)}
    )
    match = re.search(r'<p class="result-count"[^>]*>(.*?)</p>', html, re.S)
    return " ".join(match.group(1).split())


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 результат"),
        (2, "2 результата"),
        (5, "5 результатов"),
        (11, "11 результатов"),
        (21, "21 результат"),
        (24, "24 результата"),
        (112, "112 результатов"),
    ],
)
def test_result_count_in_russian(n, expected):
    with translation.override("ru"):
        assert render_result_count(n) == expected
        assert (
            translation.ngettext("%(counter)s result", "%(counter)s results", n) % {"counter": n}
            == expected
        )


def test_result_count_in_english():
    with translation.override("en"):
        assert render_result_count(1) == "1 result"
        assert render_result_count(5) == "5 results"


def test_search_count_in_russian():
    template = Template(
        "{% load i18n %}{% blocktranslate trimmed count counter=total %}{{ counter }} result for "
        "“{{ query }}”{% plural %}{{ counter }} results for “{{ query }}”{% endblocktranslate %}"
    )
    with translation.override("ru"):
        rendered = [template.render(Context({"total": n, "query": "томск"})) for n in (1, 3, 7)]
    assert rendered == [
        "1 результат по запросу «томск»",
        "3 результата по запросу «томск»",
        "7 результатов по запросу «томск»",
    ]


def test_dates_read_in_the_genitive():
    template = Template('{{ day|date:"j E Y" }}')
    context = Context({"day": datetime.date(2017, 12, 12)})
    with translation.override("ru"):
        assert template.render(context) == "12 декабря 2017"
    with translation.override("en"):
        assert template.render(context) == "12 December 2017"


def test_templates_format_month_names_for_a_day():
    """A day's date names its month with E (genitive in Russian), never F ("12 декабрь")."""
    date_filter = re.compile(r"""\|date:(["'])(.*?)\1""")
    wrong = []
    for path in (ROOT / "templates").rglob("*.html"):
        for match in date_filter.finditer(path.read_text("utf-8")):
            format_string = re.sub(r"\\.", "", match.group(2))  # escaped letters are literal
            if "F" in format_string and "j" in format_string:
                wrong.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not wrong


def test_admin_labels_in_russian():
    from django.contrib import admin

    from clusters.models import Cluster
    from news.models import Article
    from portal.models import KeyFact, Project, Stakeholder

    with translation.override("ru"):
        assert str(Article._meta.verbose_name_plural) == "статьи"
        assert str(Cluster._meta.verbose_name) == "кластер"
        assert str(Stakeholder._meta.verbose_name_plural) == "участники"
        assert str(KeyFact._meta.verbose_name_plural) == "ключевые показатели"
        assert str(Article._meta.get_field("status").verbose_name) == "статус"
        assert dict(Article.Status.choices)["draft"] == "Черновик"
        assert dict(Project.Status.choices)["completed"] == "Завершен"
        article_admin = admin.site._registry[Article]
        assert str(article_admin.publish_now.short_description) == "Опубликовать сейчас"
        assert str(Article._meta.app_config.verbose_name) == "Новости"
    with translation.override("en"):
        assert str(Article._meta.verbose_name_plural) == "articles"
