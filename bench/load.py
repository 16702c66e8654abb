"""(c) requests per second of cached pages under gunicorn behind nginx (deploy/nginx.conf) on
loopback, as a ratio to a trivial view measured just before each page, and (d) the peak memory
of a worker. ``--no-nginx`` loads gunicorn directly."""

import argparse
import http.client
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench import nginx
from bench.database import PYTHON, ROOT, say

TRIVIAL = "/bench/trivial/"
# What every browser sends: a page is kept compressed for it (public/caching.py).
ACCEPT_ENCODING = "gzip, deflate, br"


def start_server(args, env, cache_seconds, log):
    server_env = {**env, "BENCH_PAGE_CACHE_SECONDS": str(cache_seconds)}
    command = [
        PYTHON, "-m", "gunicorn", "inotomsk.wsgi",
        "--config", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers),
        "--threads", "1",  # sync workers, whatever gunicorn.conf.py picks without Redis
        "--max-requests", "0",  # keep the workers, so their peak memory is the whole run's
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(args.port, TRIVIAL) == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 seconds; see the server log")


def stop_server(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def get(port, url):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url, headers={"Accept-Encoding": ACCEPT_ENCODING})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def worker_memory(master):
    """Peak resident memory (VmHWM, MiB) of each worker of the gunicorn master."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return peaks


def load_with_wrk(args, port, url):
    connections = args.connections or 2 * args.workers
    output = subprocess.run(
        [
            "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{args.duration}s",
            "--timeout", "10s", "--header", f"Accept-Encoding: {ACCEPT_ENCODING}",
            f"http://127.0.0.1:{port}{url}",
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failures = int(bad.group(1)) if bad else 0
    if errors:
        failures += int(errors.group(1)) + int(errors.group(3)) + int(errors.group(4))
    return rps, requests, failures


def load_with_python(args, port, url):
    """A small closed-loop load generator for machines without wrk."""
    connections = args.connections or 2 * args.workers
    deadline = time.monotonic() + args.duration
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()

    def loop():
        while time.monotonic() < deadline:
            try:
                status = get(port, url)
            except OSError:
                status = 0
            with lock:
                counts["ok" if 200 <= status < 400 else "failed"] += 1

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = counts["ok"] + counts["failed"]
    return total / (time.monotonic() - started), total, counts["failed"]


def measure_under_load(args, env, pages, log):
    """Load each page from the page cache, after the trivial view; (requests, peak worker MiB,
    mean trivial-view rate). Only cached pages have a throughput budget; uncached ones answer
    to the cold budget."""
    load = load_with_wrk if shutil.which("wrk") else load_with_python
    say(f"Load generator: {'wrk' if load is load_with_wrk else 'Python threads'}")
    requests = 0
    process = start_server(args, env, 600, log)
    proxy = folder = None
    try:
        target = args.port
        if not args.no_nginx:
            folder = Path(tempfile.mkdtemp(prefix="inotomsk-bench-nginx-"))
            proxy, target = nginx.start(folder, args.port, env["STATIC_ROOT"])
            if get(target, TRIVIAL) != 200:
                raise RuntimeError(f"nginx does not pass {TRIVIAL} on; see {folder}")
        say(
            f"Through {'gunicorn alone' if args.no_nginx else 'nginx'} at http://127.0.0.1:{target}"
        )
        for page in pages:
            try:
                get(target, page["url"])
            except OSError as error:
                page["load_error"] = f"warm-up request failed: {error}"
        pages = [page for page in pages if "load_error" not in page]
        # Without Redis every worker keeps its own pages, so each page is loaded first: the
        # table shows the steady state; the first render is column "cold ms".
        warm_up = argparse.Namespace(**{**vars(args), "duration": args.warmup})
        for page in [None, *pages]:
            _rps, done, failed = load(warm_up, target, TRIVIAL if page is None else page["url"])
            requests += done
            if page is not None:
                page["failed"] = page.get("failed", 0) + failed
        # Each page beside the trivial view, and its ratio to that measurement: a shared
        # machine drifts over a run, and neighbours in time drift least. With --load-rounds,
        # the two take turns (which goes first swapped each round); the medians count.
        baseline = []
        for page in pages:
            rates, ratios = [], []
            for round_ in range(args.load_rounds):
                urls = [TRIVIAL, page["url"]][:: 1 if round_ % 2 == 0 else -1]
                measured = {}
                for url in urls:
                    rps, done, failed = load(args, target, url)
                    requests += done
                    measured[url] = rps
                    if url != TRIVIAL:
                        page["failed"] = page.get("failed", 0) + failed
                baseline.append(measured[TRIVIAL])
                rates.append(measured[page["url"]])
                ratios.append(measured[page["url"]] / measured[TRIVIAL])
            page["rps_cached"] = statistics.median(rates)
            page["ratio_cached"] = statistics.median(ratios)
            say(
                f"  cached {page['url']}: {page['rps_cached']:.0f} req/s, ratio"
                f" {page['ratio_cached']:.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
            )
        peak = max(worker_memory(process))
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=30)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        stop_server(process)
    return requests, peak, statistics.mean(baseline) if baseline else 0
