from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from news.importer import ArticleFormatError, parse_article
from news.models import Article

SEEDS = sorted((Path(__file__).resolve().parent / "seeds").glob("*.txt"))


def test_parses_title_date_paragraphs_and_source():
    parsed = parse_article(
        "Title line\n\n04 July 2016 12:15\n\nFirst para\ncontinued.\n\nSecond.\n\nSource: Minpromtorg\n"
    )
    assert parsed.title == "Title line"
    assert parsed.published_at.isoformat() == "2016-07-04T12:15:00+07:00"
    assert parsed.paragraphs == ["First para continued.", "Second."]
    assert parsed.source == "Minpromtorg"
    assert parsed.slug == "title-line"


@pytest.mark.parametrize(
    "text",
    [
        "No date here\n\nJust text.",
        "\n\n12 December 2017 11:19\n\nBody.",
        "Title\n\n31 February 2017 10:00\n\nBody.",
    ],
)
def test_malformed_text_is_a_clear_error(text):
    with pytest.raises(ArticleFormatError):
        parse_article(text)


@pytest.mark.django_db
def test_command_imports_drafts_and_skips_existing(tmp_path):
    call_command("import_articles", *SEEDS[:2])
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    call_command("import_articles", *SEEDS[:2], "--publish")
    assert Article.objects.count() == 2
    bad = tmp_path / "bad.txt"
    bad.write_text("not an article", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.txt"):
        call_command("import_articles", bad)
