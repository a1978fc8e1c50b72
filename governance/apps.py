from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("Politik og samarbejde")

    def ready(self) -> None:
        from centers import structure_format

        from . import structure

        structure_format.register_section(structure.GovernanceSection())
