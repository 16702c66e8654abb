"""Every module fits a screen or two: no Python module of the project, tests and bench
included, has more than 300 lines (migrations are history and left out)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 300


def project_modules():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        # Hidden folders hold the virtualenv, caches and git; migrations are left out.
        if "migrations" not in parts and not any(part.startswith(".") for part in parts):
            yield path


def test_no_module_is_longer_than_300_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in project_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"over {MAX_LINES} lines, split by concept: {long}"


def test_the_check_sees_the_project():
    paths = [path.relative_to(ROOT) for path in project_modules()]
    names = {str(path) for path in paths}
    assert {"manage.py", "public/caching.py", "tests/conftest.py", "bench/__init__.py"} <= names
    assert not any("migrations" in path.parts or ".venv" in path.parts for path in paths)
