"""The organisation's vocabularies, shared by the models, the rules (invariants) and the structure format."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DIRECTORATE = "directorate", _("direktion")
    DIRECTOR_AREA = "director_area", _("direktørområde")
    CENTRE = "centre", _("fagcenter")
    SHARED_CENTRE = "shared_centre", _("tværgående center")
    STAFF = "staff", _("stab")
    SECRETARIAT = "secretariat", _("sekretariat")
    DEPARTMENT = "department", _("afdeling")
    TEAM = "team", _("team")
    INSTITUTION = "institution", _("institution")
    UNIT = "unit", _("enhed")


# Kinds that organise other units: none of them may sit under an institution.
CONTAINER_UNIT_KINDS = frozenset(
    {UnitKind.DIRECTORATE, UnitKind.DIRECTOR_AREA, UnitKind.CENTRE, UnitKind.SHARED_CENTRE, UnitKind.STAFF}
)


class PostKind(models.TextChoices):
    CHIEF_EXECUTIVE = "chief_executive", _("kommunaldirektør")
    DIRECTOR = "director", _("direktør")
    DEPUTY_DIRECTOR = "deputy_director", _("vicedirektør")
    HEAD = "head", _("chef")
    LEADER = "leader", _("leder")
    OTHER = "other", _("anden")


DIRECTOR_POST_KINDS = frozenset({PostKind.CHIEF_EXECUTIVE, PostKind.DIRECTOR, PostKind.DEPUTY_DIRECTOR})
