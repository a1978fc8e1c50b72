from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "centers"
    verbose_name = _("Organisation")
