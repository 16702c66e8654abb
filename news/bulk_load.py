"""How a bulk load (``seed_demo``) stays fast at a million rows: on PostgreSQL, batches drafted
and written by several processes at once, each over its own connection, and indexes built once
after the rows rather than row by row, and fresh statistics; elsewhere, batches drafted in a
second process while this one writes the batch before.
"""

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

logger = logging.getLogger(__name__)

# A writer alternates between Python (drafting, building the SQL) and waiting for the database
# (mostly the search vectors), which take about as long: three keep two CPUs busy. On two CPUs,
# adding 100,000 articles to 100,000 took 100 s with three, 112 s with two, and 194 s with the
# earlier design (one process drafting while this one wrote, on one connection).
WRITERS = 3

# The running load (model, draft, start): a forked process inherits it (a closure cannot be
# pickled to it).
_load = None


def _draft(numbers):
    _model, drafted, _start = _load
    return drafted(numbers)


def _draft_and_write(numbers):
    model, drafted, start = _load
    rows, links = drafted(numbers)
    with transaction.atomic():
        start()
        write(model, rows, links)
    return numbers.stop


def _refuse_sql(execute, sql, params, many, context):
    raise RuntimeError("a draft runs no SQL: the connection is the writing process's")


def _forbid_sql():
    # The forked drafter shares the parent's open database connection (on PostgreSQL its socket,
    # in a transaction): any query from it would corrupt the parent's session, so none may run.
    connection.execute_wrappers.append(_refuse_sql)


def add_in_batches(model, total, batch_size, draft, start=lambda: None):
    """Add ``total`` rows of ``model`` in batches, each in its own transaction that first calls
    ``start()``; yield the number of rows done after each, in order.

    ``draft(numbers)`` returns a batch's rows and links, (link model, index of the row among
    the rows, fields), drawing every random value and running no SQL. It runs in forked
    processes (a thread would share one interpreter with the writing), so ``draft``'s random
    generator does not advance here; a draft that seeds it from ``numbers`` draws the same
    whichever process runs it.

    On PostgreSQL, outside a transaction, ``WRITERS`` processes each draft a batch and write
    it over a connection of their own, so the batches already written stay if a later one
    fails. Otherwise (SQLite allows one writer; a caller's transaction, a test's, is this
    connection's alone) one process drafts the next batch while this one writes.
    """
    global _load
    language = translation.get_language()

    def drafted(numbers):
        with translation.override(language):
            rows, links = draft(numbers)
        # By label: many-to-many link models made by Django cannot be pickled.
        return rows, [(link._meta.label, index, fields) for link, index, fields in links]

    batches = [
        range(first, min(first + batch_size, total)) for first in range(0, total, batch_size)
    ]
    parallel = (
        connection.vendor == "postgresql"
        and connection.get_autocommit()
        and not connection.in_atomic_block
    )
    _load = (model, drafted, start)
    try:
        yield from (_write_in_parallel if parallel else _write_drafts)(batches)
    finally:
        _load = None


def _write_in_parallel(batches):
    # Closed before the fork: each writer opens its own, and none shares this one's socket.
    connection.close()
    forked = multiprocessing.get_context("fork")
    writers = ProcessPoolExecutor(max_workers=WRITERS, mp_context=forked)
    try:
        for written in [writers.submit(_draft_and_write, numbers) for numbers in batches]:
            yield written.result()
    finally:
        # After a failure, the batches not yet handed to a writer are not written; those the
        # writers have (the running ones and a few queued) may be, in any order.
        writers.shutdown(cancel_futures=True)


def _write_drafts(batches):
    model, _drafted, start = _load
    forked = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=forked, initializer=_forbid_sql) as drafter:
        following = drafter.submit(_draft, batches[0]) if batches else None
        for k, numbers in enumerate(batches):
            current = following
            if k + 1 < len(batches):
                following = drafter.submit(_draft, batches[k + 1])
            rows, links = current.result()
            with transaction.atomic():
                start()
                write(model, rows, links)
            del rows, links, current  # only the batch being drafted is kept meanwhile
            yield numbers.stop


def write(model, rows, links):
    """Insert ``rows``, then their ``links``: (link model's label, index of the row, fields)."""
    # The untranslated columns take English, else Russian, as a save does.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        model.objects.bulk_create(rows)
    owner = f"{model._meta.model_name}_id"
    by_model = {}
    for label, index, fields in links:
        link_model = apps.get_model(label)
        by_model.setdefault(link_model, []).append(link_model(**{owner: rows[index].pk}, **fields))
    for link_model, objects in by_model.items():
        link_model.objects.bulk_create(objects)


# Every index of the tables that is not the primary key, unique or a constraint's (unique slugs
# and links stay, so a duplicate is still refused during the load).
SECONDARY_INDEXES = """
    SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
    FROM pg_index AS index
    WHERE index.indrelid = ANY(%s::regclass[])
      AND NOT index.indisprimary
      AND NOT index.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = index.indexrelid)
"""


def tables_of(model):
    """The model's table and the tables of its many-to-many links."""
    return [model._meta.db_table] + [
        field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many
    ]


@contextmanager
def indexes_built_after(*models):
    """Drop the secondary indexes of the models' tables, yield, then create them again, after
    a failure too.

    Adding a million articles row by row into three GIN indexes (the two search vectors and
    the title trigrams) costs far more than building each index once from the finished table.
    The drop commits at once, or its lock would keep the load's other connections waiting; so
    a process killed outright (no ``finally`` runs) leaves them dropped: the log names them.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [connection.ops.quote_name(table) for model in models for table in tables_of(model)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SECONDARY_INDEXES, [tables])
        indexes = cursor.fetchall()
        # Refused at once rather than waiting behind readers (and making them wait behind it).
        cursor.execute("SET LOCAL lock_timeout = '5s'")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # Within a caller's transaction (a test's), foreign keys checked row by row: an index
        # cannot be built on a table with deferred checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    if indexes:
        logger.info(
            "Indexes set aside until the load ends (if it is killed outright, create them "
            "again): %s",
            "; ".join(definition for _name, definition in indexes),
        )
    try:
        yield
    finally:
        # The GIN indexes take longest, each on one CPU: they start first.
        definitions = sorted((d for _name, d in indexes), key=lambda d: " USING gin " not in d)
        if connection.in_atomic_block or not connection.get_autocommit():
            for definition in definitions:
                _create_index(definition)
        else:
            # Each on a connection of its own (one per thread), several at once.
            with ThreadPoolExecutor(max_workers=WRITERS) as builders:
                list(builders.map(_create_index_and_close, definitions))


def _create_index(definition):
    with transaction.atomic(), connection.cursor() as cursor:
        # Room to sort the index in memory; for this transaction only.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(definition)


def _create_index_and_close(definition):
    try:
        _create_index(definition)
    finally:
        connection.close()  # this thread's own


def analyze():
    """Refresh PostgreSQL's planner statistics after a bulk load.

    Autovacuum analyses new tables only later; until then the planner guesses row counts for the
    freshly filled tables and picks plans that took searches from milliseconds to 40-55 s.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
