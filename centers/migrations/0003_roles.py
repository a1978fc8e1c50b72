"""The role groups of centers/rules.py with their model permissions on the organisation."""

from django.db import migrations

from . import _roles

MODELS = ["municipality", "source", "person", "orgversion", "unit", "post", "task"]
DIRECTOR_CHANGES = ["change_unit", "change_post", "change_task", "add_post", "add_task"]


def create_roles(apps, schema_editor):
    _roles.grant(apps, "centers", MODELS, DIRECTOR_CHANGES)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("centers", "0002_person_user_historicalmunicipality_and_more"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
