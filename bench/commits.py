"""The cold path of two commits, in one run: `bench/run --against TREE`.

TREE is a git worktree of another commit (``git worktree add --detach /tmp/old <commit>``).
Each tree seeds its own database the same way (its own migrations and seed_demo, so each
schema is its own), then rounds alternate: each tree's cold renders of every page in a process
of its own (``cold_worker.py``), the order swapped every round, so the drift of a shared
machine falls on both. Per page: the median of every cold render of each tree, and the ratio.
"""

import copy
import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.database import PYTHON, ROOT, database_name, manage, prepare_database, say
from bench.report import table, write_results

WORKER = Path(__file__).with_name("cold_worker.py")
SLOWER = 1.10  # the bound: no page more than 10 % slower


def other_url(args):
    if args.against_database_url:
        return args.against_database_url
    parts = urlsplit(args.database_url)
    return urlunsplit(parts._replace(path=f"/{database_name(args.database_url)}_against"))


def round_of(tree, env, args):
    output = subprocess.run(
        [PYTHON, str(WORKER), str(tree), str(args.cold_runs), args.pages],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(args, env, load_average):
    this, other = ROOT, Path(args.against).resolve()
    other_args = copy.copy(args)
    other_args.database_url = other_url(args)
    trees = {
        "this": (this, args, env),
        "other": (other, other_args, {**env, "DATABASE_URL": other_args.database_url}),
    }
    for name, (tree, tree_args, tree_env) in trees.items():
        static_root = tempfile.mkdtemp(prefix=f"inotomsk-bench-static-{name}-")
        tree_env["STATIC_ROOT"] = static_root
        say(f"{name}: {tree} on {database_name(tree_args.database_url)}")
        prepare_database(tree_args, tree_env, root=tree)
        manage(tree_env, "collectstatic", "--noinput", "-v", "0", root=tree)
    try:
        figures = rounds(args, trees)
    finally:
        for _tree, _tree_args, tree_env in trees.values():
            shutil.rmtree(tree_env["STATIC_ROOT"], ignore_errors=True)
    return report(args, figures, load_average)


def rounds(args, trees):
    """{tree name: {page label: figures, every cold render's ms}} of ``args.repeats`` rounds."""
    figures = {"this": {}, "other": {}}
    for number in range(args.repeats):
        order = ["other", "this"] if number % 2 == 0 else ["this", "other"]
        for name in order:
            tree, _tree_args, tree_env = trees[name]
            for label, page in round_of(tree, tree_env, args).items():
                kept = figures[name].setdefault(label, {**page, "ms": [], "cpu_ms": []})
                kept["ms"] += page["ms"]
                kept["cpu_ms"] += page["cpu_ms"]
        say(f"  round {number + 1} of {args.repeats} done")
    return figures


def report(args, figures, load_average):
    rows, slower = [], []
    for label, new in figures["this"].items():
        old = figures["other"].get(label)
        if old is None:
            continue
        old_ms, new_ms = statistics.median(old["ms"]), statistics.median(new["ms"])
        old_cpu, new_cpu = statistics.median(old["cpu_ms"]), statistics.median(new["cpu_ms"])
        ratio = new_ms / old_ms
        if ratio > SLOWER:
            slower.append(label)
        rows.append(
            [
                label,
                f"{old['queries']} / {new['queries']}",
                f"{old_ms:.1f}",
                f"{new_ms:.1f}",
                f"{ratio:.2f}",
                f"{old_cpu:.1f}",
                f"{new_cpu:.1f}",
                f"{new_cpu / old_cpu:.2f}",
            ]
        )
    lines = [
        "",
        f"Cold path of {args.against} (old) and this tree (new): medians of {args.repeats} rounds "
        f"x {args.cold_runs} renders each, every cache emptied before each render, the trees "
        f"in turn; load average {load_average:.1f} before the run",
        "",
        "cpu: this process's CPU time (the server's share; the database's is apart), which a "
        "busy machine inflates far less than the time on the clock",
        "",
        *table(
            ["page", "queries old / new", "old ms", "new ms", "new / old"]
            + ["old cpu", "new cpu", "new / old"],
            rows,
        ),
        "",
        f"Pages more than {SLOWER - 1:.0%} slower: {', '.join(slower) or 'none'}",
    ]
    write_results("\n".join(lines), figures, "-commits")
    return 1 if slower else 0
