"""The cold path of two commits, in one run: `bench/run --against TREE`.

TREE is a git worktree of another commit (``git worktree add --detach /tmp/old <commit>``).
Each tree seeds its own database the same way (its own migrations and seed_demo, so each
schema is its own) and renders in a process of its own (``cold_worker.py``); the two render
each page in turn, one cold render each, which goes first swapped every time, so the drift of
a shared machine falls on both. Per page: the median of every cold render of each tree (time
on the clock and the process's CPU time), and the ratios.
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


class Worker:
    """A process of ``cold_worker.py`` rendering with the code of ``tree``."""

    def __init__(self, tree, env):
        self.process = subprocess.Popen(
            [PYTHON, str(WORKER), str(tree)],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pages = json.loads(self.process.stdout.readline())

    def render(self, label):
        self.process.stdin.write(label + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


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
    """{tree name: {page label: figures of every cold render}}: ``args.repeats`` rounds over
    the pages, each page rendered ``args.cold_runs`` times by each tree, in turn."""
    workers = {name: Worker(tree, tree_env) for name, (tree, _args, tree_env) in trees.items()}
    try:
        wanted = [word for word in args.pages.split(",") if word.strip()]
        labels = [
            label
            for label in workers["this"].pages
            if label in workers["other"].pages
            and (not wanted or any(word.strip() in label for word in wanted))
        ]
        figures = {name: {} for name in workers}
        for label in labels:  # code and templates loaded, as a running server has them
            for worker in workers.values():
                worker.render(label)
        for number in range(args.repeats):
            for label in labels:
                for run in range(args.cold_runs):
                    order = ["other", "this"] if (number + run) % 2 == 0 else ["this", "other"]
                    for name in order:
                        page = workers[name].render(label)
                        kept = figures[name].setdefault(label, {"ms": [], "cpu_ms": []})
                        kept["ms"].append(page["ms"])
                        kept["cpu_ms"].append(page["cpu_ms"])
                        kept["queries"], kept["status"] = page["queries"], page["status"]
            say(f"  round {number + 1} of {args.repeats} done")
        return figures
    finally:
        for worker in workers.values():
            worker.stop()


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
        f"x {args.cold_runs} renders per page and tree, every cache emptied before each render, "
        f"the trees in turn for every render; load average {load_average:.1f} before the run",
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
