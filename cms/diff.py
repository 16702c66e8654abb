"""The difference between two texts as HTML, word by word (Python's difflib).

Used by the comparison of two versions (cms/compare.py). Texts are compared line by line
first, then word by word within the lines that changed, so a long body costs about what its
changed paragraphs cost. What was removed is wrapped in ``<del>``, what was added in
``<ins>``; every piece of text is escaped, so a value holding markup shows as text.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

# A word with the spaces after it, one other character with its spaces, or spaces alone. The
# words are matched without their spaces, so "rewrite " matches "rewrite," and a diff shows
# "<ins>science </ins>" rather than a stray space on either side.
TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
# Above this many words on either side of a changed block, the block is shown removed and
# added whole: SequenceMatcher's cost grows with the product of the two lengths.
MAX_WORDS = 3000
KEPT, REMOVED, ADDED = "", "del", "ins"


def tokens(text):
    """The words of text, each with the spaces that follow it; joined, they give text."""
    return TOKEN.findall(text)


def _opcodes(old, new):
    """SequenceMatcher's opcodes (nothing ignored as junk) with the two slices of each."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield tag, (i1, i2), (j1, j2)


def _word_pieces(old, new):
    """(kind, text) pieces of a changed block of lines, word by word."""
    old_words, new_words = tokens(old), tokens(new)
    if max(len(old_words), len(new_words)) > MAX_WORDS:
        return [(REMOVED, old), (ADDED, new)]
    keys = [[word.rstrip() for word in words] for words in (old_words, new_words)]
    pieces = []
    for tag, (i1, i2), (j1, j2) in _opcodes(*keys):
        if tag != "equal":
            pieces += [(REMOVED, "".join(old_words[i1:i2])), (ADDED, "".join(new_words[j1:j2]))]
            continue
        for was, now in zip(old_words[i1:i2], new_words[j1:j2], strict=True):
            if was == now:
                pieces.append((KEPT, now))
                continue
            word = now.rstrip()  # the same word, followed by other spaces
            pieces += [(KEPT, word), (REMOVED, was[len(word) :]), (ADDED, now[len(word) :])]
    return pieces


def _html(pieces):
    """The pieces as HTML, each run of one kind in one element, every text escaped."""
    runs = []
    for kind, text in pieces:
        if not text:
            continue
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(text)
        else:
            runs.append((kind, [text]))
    html = []
    for kind, texts in runs:
        text = escape("".join(texts))
        html.append(f"<{kind}>{text}</{kind}>" if kind else text)
    return mark_safe("".join(html))  # noqa: S308 - every text is escaped above


def diff_html(old, new):
    """old and new (texts) as one HTML text: the unchanged parts, <del>old</del><ins>new</ins>.

    Line breaks are kept as characters; the page shows them (white-space: pre-wrap).
    """
    old, new = (old or "").replace("\r\n", "\n"), (new or "").replace("\r\n", "\n")
    old_lines, new_lines = old.splitlines(True), new.splitlines(True)
    pieces = []
    for tag, (i1, i2), (j1, j2) in _opcodes(old_lines, new_lines):
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append((KEPT, removed))
        elif tag == "replace":
            pieces += _word_pieces(removed, added)
        else:
            pieces += [(REMOVED, removed), (ADDED, added)]
    return _html(pieces)


def items_html(old, new):
    """Two lists of texts (the rows linked to an entry) as HTML list items, each kept,
    removed (<del>) or added (<ins>); an item changed in place shows its changed words."""
    old, new = list(old), list(new)
    items = []
    for tag, (i1, i2), (j1, j2) in _opcodes(old, new):
        removed, added = old[i1:i2], new[j1:j2]
        if tag == "equal":
            items += [_html([(KEPT, text)]) for text in removed]
        elif tag == "replace" and len(removed) == len(added):
            items += [diff_html(was, now) for was, now in zip(removed, added, strict=True)]
        else:
            items += [_html([(REMOVED, text)]) for text in removed]
            items += [_html([(ADDED, text)]) for text in added]
    return mark_safe("".join(f"<li>{item}</li>" for item in items))  # noqa: S308 - escaped
