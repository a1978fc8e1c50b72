"""Model permissions on the governance layer for the role groups created in centers/0003_roles."""

from django.db import migrations

from centers.migrations import _roles

MODELS = ["committee", "committeeservice", "membership", "forum", "network", "budgetresponsibility"]


def grant_roles(apps, schema_editor):
    _roles.grant(apps, "governance", MODELS, director_changes=[])


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0003_roles"),
        ("governance", "0002_historicalbudgetresponsibility_historicalcommittee_and_more"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
