"""Imports flow one way: the admin platform (cms) imports no project app, and no project module
imports, at module level, a module that imports it back."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {
    "cms",
    "portal",
    "clusters",
    "news",
    "events",
    "programme",
    "workflow",
    "contact",
    "subscriptions",
    "public",
    "api",
    "inotomsk",
}


def modules():
    """{dotted name: path} of the project's modules, migrations left out."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name, path, known):
    """The project modules name imports at module level (function-level imports left out)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            targets |= {module, *(f"{module}.{alias.name}" for alias in node.names)}
    return {target for target in targets if target in known and target != name}


def test_cms_imports_no_project_app():
    known = modules()
    for name, path in known.items():
        if name.split(".")[0] == "cms":
            outside = {t for t in imported(name, path, known) if t.split(".")[0] != "cms"}
            assert not outside, f"{name} imports {sorted(outside)}"


def test_no_module_level_import_cycle():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    done, path = set(), []

    def visit(name):
        if name in path:
            cycle = path[path.index(name) :] + [name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        path.append(name)
        for target in sorted(graph[name]):
            visit(target)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
