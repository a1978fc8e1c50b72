"""Trigram indexes for the search on PostgreSQL (pg_trgm): a case-insensitive "contains" (`UPPER(column) LIKE
UPPER('%text%')`, what `icontains` becomes) is answered from a GIN index instead of reading every row. SQLite
has no such index and reads the rows: it holds one municipality or a few, where that is quick."""

from django.db import migrations

# The columns `centers.filtersets.TEXT_FIELDS` searches, per table (a person's name serves the posts' holders).
SEARCHED = {
    "centers_municipality": ("name", "slug"),
    "centers_unit": ("name", "name_en", "key"),
    "centers_post": ("title", "title_en", "key"),
    "centers_task": ("name", "name_en"),
    "centers_person": ("name",),
}


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(index_name(table, column))} ON {quote(table)} "
                f"USING gin (UPPER({quote(column)}) gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED.items():
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index_name(table, column))}")


class Migration(migrations.Migration):
    dependencies = [("centers", "0007_municipality_verbose_name")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
