"""What the services answer when they refuse: a broken rule (400 in the API) or a missing permission (403).

A missing permission is told as the rule that stops the actor ("Du kan kun ændre og flytte enheder inden for
dit eget område: Velfærd."), derived from `centers.rules`, so that every door (admin, API) shows the same words.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from centers import rules
from centers.invariants import municipality_id_of
from centers.models import Municipality, OrgVersion, Unit


class EditRefused(ValidationError):
    """The change breaks a rule of the organisation; `message_dict` names the field."""


class NotPermitted(PermissionDenied):
    """The actor may not make this change (outside their portfolio or municipality, or a previous version)."""


VERBS = {"add": gettext_lazy("oprette"), "change": gettext_lazy("ændre"), "delete": gettext_lazy("slette")}


def historic_version(version: OrgVersion) -> str:
    return _("Versionen «%(version)s» er historisk og kan ikke ændres.") % {"version": version.label}


def portfolio_areas(user: rules.User, version: OrgVersion) -> list[Unit]:
    """The top units of the user's portfolio in `version`: the units whose responsible post they hold, without
    those lying under another of them. One query."""
    areas: list[Unit] = []
    for unit in rules.portfolio_units(user, version).order_by("tree_id", "lft"):
        if not any(area.tree_id == unit.tree_id and area.lft < unit.lft and unit.rght < area.rght for area in areas):
            areas.append(unit)
    return areas


def area_names(names: Sequence[str]) -> str:
    return ", ".join(names)


def portfolio_sentence(names: Sequence[str], size: int) -> str:
    """ "Din portefølje: Velfærd (6 enheder)." for the top units `names` of a portfolio of `size` units."""
    return ngettext(
        "Din portefølje: %(areas)s (%(count)d enhed).", "Din portefølje: %(areas)s (%(count)d enheder).", size
    ) % {"areas": area_names(names), "count": size}


def no_portfolio(version: OrgVersion) -> str:
    """Why a director may change nothing in `version` (the rule: a portfolio is what one's posts answer for)."""
    return _(
        "Du har ingen portefølje i «%(version)s»: ingen enhed har en af dine stillinger som ansvarlig direktør."
    ) % {"version": version.label}


def _model_of(perm: str):
    """The model and the action of a permission such as "centers.change_unit"."""
    app_label, codename = perm.split(".", 1)
    action, _sep, model_name = codename.partition("_")
    try:
        return apps.get_model(app_label, model_name), action
    except LookupError:
        return None, action


def refusal_reason(actor, perm: str, obj) -> str:
    """Why `centers.rules` refuses `actor` the permission `perm` on `obj`, as the rule that stops them."""
    model, action = _model_of(perm)
    things = str(model._meta.verbose_name_plural) if model else str(obj._meta.verbose_name_plural)
    verb = str(VERBS.get(action, VERBS["change"]))
    version = rules.version_of(obj) if obj is not None else None
    if version is not None and version.is_read_only:
        return historic_version(version)
    if not getattr(actor, "is_authenticated", False):
        return _("Log ind for at ændre organisationen.")
    if not rules.is_global(actor):
        mine = rules.municipality_ids(actor)
        municipality_id = municipality_id_of(obj) if obj is not None else None
        if municipality_id is not None and municipality_id not in mine:
            names = list(Municipality.objects.filter(pk__in=mine).order_by("name").values_list("name", flat=True))
            if not names:
                return _("Du arbejder ikke i nogen kommune endnu; en administrator kan give dig adgang.")
            return ngettext(
                "Du kan kun ændre i din egen kommune: %(municipalities)s.",
                "Du kan kun ændre i dine egne kommuner: %(municipalities)s.",
                len(names),
            ) % {"municipalities": area_names(names)}
    roles = [role for role in rules.ROLES if role in rules.role_names(actor)]
    if not actor.has_perm(perm):
        if not roles:
            return _("Din bruger har ingen rolle, der giver ret til at %(verb)s %(things)s.") % {
                "verb": verb,
                "things": things,
            }
        return _("Din rolle (%(roles)s) giver ikke ret til at %(verb)s %(things)s.") % {
            "roles": area_names(roles),
            "verb": verb,
            "things": things,
        }
    if rules.DIRECTOR in roles and version is not None:
        areas = [unit.name for unit in portfolio_areas(actor, version)]
        if not areas:
            return no_portfolio(version)
        if model is Unit:
            return _("Du kan kun ændre og flytte enheder inden for dit eget område: %(areas)s.") % {
                "areas": area_names(areas)
            }
        return _("Du kan kun %(verb)s %(things)s inden for dit eget område: %(areas)s.") % {
            "verb": verb,
            "things": things,
            "areas": area_names(areas),
        }
    return _("Du har ikke ret til at ændre %(object)s.") % {"object": obj}
