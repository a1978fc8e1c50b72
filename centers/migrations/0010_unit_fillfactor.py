"""Units' pages keep room for moves on PostgreSQL.

A move renumbers the nested sets of the rows between the unit's old and new place. With full pages (the default
fillfactor of 100) each renumbered row is written to another page, with a new entry in every index of the table,
the trigram indexes included; with room left on its page, PostgreSQL writes it beside the old one and touches no
index (a HOT update: no index covers lft, rght or level).
"""

from django.db import migrations

FILLFACTOR = 70


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE centers_unit SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE centers_unit RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("centers", "0009_lean_history_indexes")]

    operations = [migrations.RunPython(leave_room, fill_pages, elidable=False)]
