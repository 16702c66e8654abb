"""Templates stay reviewable: no line longer than 100 characters, so a change to one attribute or
one sentence is one line of a diff. A line may only go over when it is one token that cannot be
broken; those few are listed here, each with the reason."""

from pathlib import Path

from django.conf import settings

LIMIT = 100

# (template, the start of the line): lines allowed over the limit, and why.
ALLOWED = {
    # Plain-text e-mails: the newlines are the message, and a sentence broken over lines would
    # read broken in the mail. Each is one translatable sentence (with the tags loaded first).
    (
        "templates/workflow/email/notification.txt",
        "{% load i18n %}{% autoescape off %}{% blocktranslate with name=user.get_username %}",
    ),
    (
        "templates/workflow/email/notification.txt",
        '{% translate "You get this e-mail as a member of the INO Tomsk editorial team.',
    ),
    (
        "templates/subscriptions/email/confirm.txt",
        '{% load i18n %}{% autoescape off %}{% translate "Someone, probably you, asked',
    ),
    (
        "templates/subscriptions/email/confirm.txt",
        '{% translate "If it was not you, ignore this message: nothing will come, and the',
    ),
}


def template_files():
    root = Path(settings.BASE_DIR)
    folders = [root / "templates", *sorted(root.glob("*/templates"))]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                yield path.relative_to(root).as_posix(), path


def allowed(name, line):
    return any(name == path and line.startswith(start) for path, start in ALLOWED)


def test_there_are_templates_to_check():
    names = {name for name, _ in template_files()}
    assert "templates/base.html" in names
    assert "cms/templates/admin/base_site.html" in names


def test_no_template_line_is_longer_than_the_limit():
    long_lines = [
        f"{name}:{number}: {len(line)} characters"
        for name, path in template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > LIMIT and not allowed(name, line)
    ]
    assert long_lines == []


def test_every_allowed_line_is_still_there_and_still_long():
    """An entry of the allow-list that no longer matches a long line goes from the list."""
    files = dict(template_files())
    for name, start in ALLOWED:
        lines = files[name].read_text(encoding="utf-8").splitlines()
        assert any(line.startswith(start) and len(line) > LIMIT for line in lines), (name, start)
