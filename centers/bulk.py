"""Inserting many rows at once, with primary keys taken before the rows are written.

Loading a structure writes tens of thousands of rows. Taking their ids first lets rows that point at each other
(units at their parents and heads, posts at the posts they report to) be written with their links in one
statement per table, in any order (foreign keys are checked at commit). On PostgreSQL the ids come from the
table's sequence and the rows go by COPY, several times faster than a multi-row INSERT; elsewhere (SQLite, one
writer) the ids follow the highest the table has handed out, and the rows go by `bulk_create`.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, models

PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}
# COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def build(model: type[models.Model], **values) -> models.Model:
    """An unsaved row of `model` from its columns' attribute names (`parent_id`, not `parent`), the others at their
    defaults: built as Django builds a row it reads, twice as fast as by keywords."""
    fields = model._meta.concrete_fields
    if unknown := values.keys() - {field.attname for field in fields}:
        raise TypeError(f"{model.__name__} has no column {sorted(unknown)[0]!r}")
    return model(*(values[field.attname] if field.attname in values else field.get_default() for field in fields))


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`, never handed out before. Insert the rows that take them before
    allocating again for the same model: on SQLite the next allocation starts after the highest stored id (and a
    writer that took those ids meanwhile would make the insert fail, never share them: call it in a transaction
    that has written, which keeps SQLite's other writers out)."""
    if count <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # AUTOINCREMENT keeps the highest id ever handed out in sqlite_sequence, deleted rows' ids included.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX({quote(pk)}) FROM {quote(table)}), 0))",
            [table],
        )
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def insert(rows: Iterable[models.Model]) -> list[models.Model]:
    """Insert `rows` (all of one model) as they are, without signals or validation, like `bulk_create`, and
    return them stored: a row without a primary key is given one first."""
    rows = list(rows)
    if not rows:
        return rows
    model = type(rows[0])
    missing = [row for row in rows if row.pk is None]
    for row, pk in zip(missing, allocate_ids(model, len(missing)), strict=True):
        row.pk = pk
    if connection.vendor != "postgresql":
        return model._base_manager.bulk_create(rows)
    fields = model._meta.concrete_fields
    automatic = [
        field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for row in rows:
        for field in automatic:
            field.pre_save(row, add=True)
    # Texts, numbers, booleans and the keys of other rows are stored as they are: their fields' conversion for
    # the database would return them unchanged, and costs more than the rest of the COPY.
    plain = [field.get_internal_type() in PLAIN_FIELDS or field.is_relation for field in fields]
    attnames = [field.attname for field in fields]
    buffer = io.StringIO()
    for row in rows:
        values = row.__dict__
        buffer.write(
            "\t".join(
                _copy_text(values[attname] if is_plain else field.get_db_prep_save(values[attname], connection))
                for field, attname, is_plain in zip(fields, attnames, plain, strict=True)
            )
        )
        buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    _copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", buffer)
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias
    return rows


def merge_pending_index_entries(written: Iterable[type[models.Model]]) -> None:
    """On PostgreSQL, merge into their GIN (trigram) indexes the entries that bulk writes to the tables of
    `written` left in the indexes' pending lists, as autovacuum would later: until then every search reads the
    whole pending list. After the national load this takes 0.1 s and makes its searches up to four times faster.
    Only the indexes the database user owns (as the one that ran the migrations does)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'gin' AND i.indrelid = ANY(%s::regclass[]) AND pg_has_role(c.relowner, 'USAGE')",
            [sorted({model._meta.db_table for model in written})],
        )


def _copy(sql: str, buffer: io.StringIO) -> None:
    """Run COPY … FROM STDIN as Django runs a statement: through the connection's execute wrappers, into the
    query log when queries are logged, its errors as Django's."""

    def copy(sql, buffer, _many, context):
        with context["connection"].wrap_database_errors:
            return context["cursor"].cursor.copy_expert(sql, buffer)

    with connection.cursor() as cursor:
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else contextlib.nullcontext()
        with logged:
            cursor._execute_with_wrappers(sql, buffer, many=False, executor=copy)


def _copy_text(value) -> str:
    """A value as COPY's text format spells it."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime.date):  # a datetime too: with its offset
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    raise TypeError(f"COPY of a {type(value).__name__} is not supported")
