"""The demo data, loaded once per test session and put back for each test
that asks for it (the `demo` fixture in conftest.py).

`take()` runs `load_demo` twice inside a transaction it rolls back, keeping
the rows the demo added (PostgreSQL's COPY text, one line a row) and the row
counts after each run (the second run must add nothing). `restore()` copies
the rows back into the current test's database: inside the test's
transaction for ordinary tests, committed for transactional ones (live
server), whose flush removes them afterwards. Nothing outlives a test, so
`--reuse-db`, random order and xdist (one database and one snapshot per
worker) need nothing special.

Content types and permissions are not copied: a transactional test's flush
creates them again with new ids. The roles' permissions are set again by
`sync_roles()` from the ids the database has at the time. The search words
are not copied either: the proposals' triggers write them as the proposals
are copied back.
"""

import io
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from portal.roles import sync_roles

NOT_COPIED = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "hearings_searchword",
}


@dataclass(frozen=True)
class Snapshot:
    rows: dict  # table -> COPY text of the rows the demo added
    counts_first: dict  # model label -> rows after the first load_demo
    counts_second: dict  # ... and after the second


def _tables():
    return [
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if t not in NOT_COPIED
    ]


def _lines(cursor, table):
    with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    return data.split(b"\n")[:-1]  # every row ends with a newline; escaped inside


def _counts():
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def take():
    with transaction.atomic(), connection.cursor() as cursor:
        before = {table: set(_lines(cursor.cursor, table)) for table in _tables()}
        call_command("load_demo", stdout=io.StringIO())
        first = _counts()
        call_command("load_demo", stdout=io.StringIO())
        second = _counts()
        rows = {}
        for table in _tables():
            added = [line for line in _lines(cursor.cursor, table) if line not in before[table]]
            if added:
                rows[table] = b"\n".join(added) + b"\n"
        transaction.set_rollback(True)
    return Snapshot(rows, first, second)


def restore(snapshot):
    by_table = {
        m._meta.db_table: m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy  # a proxy shares its table, not its id column
    }
    models = [by_table[table] for table in snapshot.rows]
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django makes them deferrable):
        # the order of the tables does not matter.
        for table, data in snapshot.rows.items():
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(data)
        # Rows came with their ids: new rows must not take them.
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        sync_roles()
