"""The benchmark's database: created afresh, migrated and seeded at the asked scale."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def say(message):
    print(message, flush=True)


def environment(args, static_root):
    """The environment of every process of the run: bench settings, the bench database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_HTTPS="0",
        DATABASE_URL=args.database_url,
        STATIC_ROOT=str(static_root),
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env, *command, root=ROOT):
    subprocess.run([PYTHON, "manage.py", *command], cwd=root, env=env, check=True)


def server_connection(url, database):
    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=database,
    )
    connection.autocommit = True
    return connection


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def holds_scale(args, name):
    try:
        connection = server_connection(args.database_url, name)
    except psycopg2.Error:  # a missing database simply means "no"
        return False
    with connection, connection.cursor() as cursor:
        try:
            counts = []
            for table in ("news_article", "portal_project", "portal_stakeholder"):
                cursor.execute(f"SELECT count(*) FROM {table} WHERE slug LIKE 'demo-%%'")
                counts.append(cursor.fetchone()[0])
        except psycopg2.Error:  # not migrated yet
            return False
    return counts == [args.articles, args.projects, args.stakeholders]


def prepare_database(args, env, root=ROOT):
    """Create, migrate and seed the benchmark database with the code in ``root``; return
    seed_demo's seconds, or None when ``--reuse`` found the scale already there."""
    name = database_name(args.database_url)
    if args.reuse and holds_scale(args, name):
        say(f"Reusing {name}: it holds the asked scale.")
        manage(env, "migrate", "--noinput", "-v", "0", root=root)
        return None
    say(f"Creating database {name} afresh")
    with server_connection(args.database_url, "postgres").cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0", root=root)
    manage(env, "loaddata", "seed", "-v", "0", root=root)
    started = time.monotonic()
    manage(
        env,
        "seed_demo",
        f"--articles={args.articles}",
        f"--projects={args.projects}",
        f"--stakeholders={args.stakeholders}",
        "--batch-size=5000",
        root=root,
    )
    seconds = time.monotonic() - started
    with server_connection(args.database_url, name).cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return seconds


def scale(args):
    return args.articles, args.projects, args.stakeholders


def grow(args, env):
    """Add demo rows up to ``--grow-to`` (no more parks), analyse, and make it the run's scale;
    seed_demo's seconds."""
    usage = "--grow-to takes three counts, each at least the asked scale's"
    try:
        target = [int(part) for part in args.grow_to.split(",")]
    except ValueError:
        raise SystemExit(usage) from None
    if len(target) != 3 or any(t < now for t, now in zip(target, scale(args), strict=True)):
        raise SystemExit(usage)
    say(f"Growing to {target[0]:,} articles, {target[1]:,} projects, {target[2]:,} stakeholders")
    started = time.monotonic()
    more = [t - now for t, now in zip(target, scale(args), strict=True)]
    manage(
        env, "seed_demo", f"--articles={more[0]}", f"--projects={more[1]}",
        f"--stakeholders={more[2]}", "--parks=0", "--batch-size=5000",
    )  # fmt: skip
    seconds = time.monotonic() - started
    connection = server_connection(args.database_url, database_name(args.database_url))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    args.articles, args.projects, args.stakeholders = target
    return seconds


def drop_database(url):
    with server_connection(url, "postgres").cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
