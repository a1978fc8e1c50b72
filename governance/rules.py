"""Who may change the governance layer: the same predicates as the organisation (centers.rules). Committees and
memberships belong to a municipality; committee services, forums, networks and budget rows follow the rules
of the units they name (a director changes those whose every unit lies in their portfolio)."""

from centers.rules import can_change_in_portfolio, can_change_municipality_wide, grant, register_named_units


def _unit(post):
    return post.unit if post is not None and post.unit_id else None


register_named_units("governance.CommitteeService", lambda row: [row.unit] if row.unit_id else [_unit(row.post)])
register_named_units(
    "governance.BudgetResponsibility", lambda row: [row.scope, *([row.supported_by] if row.supported_by_id else [])]
)
register_named_units(
    "governance.Forum",
    lambda row: [*row.member_units.all(), *([_unit(row.chair)] if row.chair_id else [])] if row.pk else [],
)
register_named_units(
    "governance.Network",
    lambda row: (
        [*row.member_units.all(), *[_unit(post) for post in (row.leader, row.owner) if post is not None]]
        if row.pk
        else []
    ),
)

grant("governance", "committee", change=can_change_municipality_wide)
grant("governance", "membership", change=can_change_municipality_wide)
for model_name in ("committeeservice", "forum", "network", "budgetresponsibility"):
    grant("governance", model_name, change=can_change_in_portfolio)
