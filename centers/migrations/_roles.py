"""Shared by the role data migrations of centers and governance (a module, not a migration)."""

from django.contrib.auth.management import create_permissions

def ensure_permissions(apps):
    """Permissions are normally created after migrate; roles need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def grant(apps, app_label: str, models: list[str], director_changes: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    permissions = Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
    view = [permission for permission in permissions if permission.codename.startswith("view_")]
    director = view + [permission for permission in permissions if permission.codename in director_changes]
    for name, granted in (
        ("Læser", view),
        ("Direktør", director),
        ("Kommunaldirektør", list(permissions)),
        ("Administrator", list(permissions)),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*granted)
