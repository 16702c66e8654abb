"""Read news articles written in the programme's plain-text format.

The format, as in the seed documents: an optional preamble, the title line, a date line
("12 December 2017 11:19", Tomsk local time), the paragraphs separated by blank lines, and
an optional last line "Source: <name>".
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.text import slugify

TOMSK = ZoneInfo("Asia/Tomsk")
DATE_LINE = re.compile(r"^\s*(\d{1,2} [A-Za-z]+ \d{4} \d{1,2}:\d{2})\s*$")
SOURCE_LINE = re.compile(r"^\s*Source:\s*(?P<source>.+?)\s*$")
SLUG_LENGTH = 80


class ArticleFormatError(ValueError):
    """The text does not follow the article format."""


@dataclass
class ParsedArticle:
    title: str
    published_at: datetime
    paragraphs: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def body(self):
        return "\n\n".join(self.paragraphs)

    @property
    def slug(self):
        return make_slug(self.title)


def make_slug(title, max_length=SLUG_LENGTH):
    """A readable slug, cut at a word boundary."""
    slug = slugify(title.replace("\xa0", " "))
    if len(slug) <= max_length:
        return slug
    return slug[:max_length].rsplit("-", 1)[0]


def _clean_paragraph(text):
    # Keep the text as written (no-break spaces included) but not the trailing blanks.
    return " ".join(line.strip() for line in text.splitlines()).strip(" \t\xa0")


def parse_article(text):
    """Parse one article; raise ArticleFormatError when a part is missing."""
    lines = text.replace("\r\n", "\n").split("\n")
    date_index = next((i for i, line in enumerate(lines) if DATE_LINE.match(line)), None)
    if date_index is None:
        raise ArticleFormatError("No date line such as '12 December 2017 11:19' was found.")
    title_lines = [line for line in lines[:date_index] if line.strip()]
    if not title_lines:
        raise ArticleFormatError("The title line before the date line is missing.")
    title = _clean_paragraph(title_lines[-1])
    try:
        naive = datetime.strptime(DATE_LINE.match(lines[date_index]).group(1), "%d %B %Y %H:%M")
    except ValueError as error:
        raise ArticleFormatError(f"The date line is not a valid date: {error}") from None

    blocks = re.split(r"\n\s*\n", "\n".join(lines[date_index + 1 :]))
    paragraphs = [p for p in (_clean_paragraph(block) for block in blocks) if p]
    source = ""
    if paragraphs and (match := SOURCE_LINE.match(paragraphs[-1])):
        source = match.group("source")
        paragraphs.pop()
    if not paragraphs:
        raise ArticleFormatError("The article has no body paragraphs.")
    return ParsedArticle(
        title=title,
        published_at=naive.replace(tzinfo=TOMSK),
        paragraphs=paragraphs,
        source=source,
    )


def parse_key_figures(text):
    """The numbered "INO Tomsk in figures" items of a seed preamble: [(number, text)]."""
    items = re.findall(r"•\s*(\d+)\s*\n(.*?)(?=\n\s*•\s*\d+\s*\n|\n\S)", text, flags=re.S)
    return [(int(number), _clean_paragraph(body.strip())) for number, body in items]
