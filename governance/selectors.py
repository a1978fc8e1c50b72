"""Reads of the political and collaborative layer, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from centers import extensions
from centers.filtersets import matching
from centers.models import Municipality, OrgVersion, Person, Post, Unit, localized
from centers.selectors import ReportingStep, default_version

from .filtersets import NAMED
from .models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network


@dataclass
class Server:
    """A unit and/or post that serves a committee, with every role it has there (one service each)."""

    unit: Unit | None
    post: Post | None
    services: list[CommitteeService] = field(default_factory=list)


def group_services(services: list[CommitteeService]) -> list[Server]:
    """Services of one committee grouped by who serves, in the order they are first named."""
    servers: dict[tuple[int | None, int | None], Server] = {}
    for service in services:
        key = (service.unit_id, service.post_id)
        if key not in servers:
            servers[key] = Server(service.unit, service.post)
        servers[key].services.append(service)
    return list(servers.values())


def _services(version: OrgVersion) -> QuerySet[CommitteeService]:
    return CommitteeService.objects.filter(version=version).select_related("unit", "post__holder").order_by("pk")


def committees(version: OrgVersion) -> list[Committee]:
    """Every committee of the version's municipality, each with `servers` in this version (two queries)."""
    result = list(
        Committee.objects.filter(municipality_id=version.municipality_id).prefetch_related(
            Prefetch("services", queryset=_services(version), to_attr="version_services")
        )
    )
    for committee in result:
        committee.servers = group_services(committee.version_services)
    return result


def committee(version: OrgVersion, key: str) -> Committee:
    """One committee of the version's municipality with its `servers` in the version and its memberships,
    or Http404 (three queries)."""
    found = get_object_or_404(
        Committee.objects.prefetch_related(
            Prefetch("services", queryset=_services(version), to_attr="version_services"),
            Prefetch("memberships", queryset=Membership.objects.select_related("person").order_by("pk")),
        ),
        municipality_id=version.municipality_id,
        key=key,
    )
    found.servers = group_services(found.version_services)
    return found


def _forums(version: OrgVersion) -> QuerySet[Forum]:
    return (
        Forum.objects.filter(version=version)
        .select_related("chair__holder")
        .prefetch_related(
            Prefetch("member_units", queryset=Unit.objects.order_by("tree_id", "lft")),
            Prefetch("member_posts", queryset=Post.objects.select_related("holder").order_by("pk")),
        )
    )


def forums(version: OrgVersion) -> list[Forum]:
    """The forums of a version with chair and members (three queries)."""
    return list(_forums(version))


def forum(version: OrgVersion, key: str) -> Forum:
    return get_object_or_404(_forums(version), key=key)


def _networks(version: OrgVersion) -> QuerySet[Network]:
    return (
        Network.objects.filter(version=version)
        .select_related("leader__holder", "owner__holder")
        .prefetch_related(Prefetch("member_units", queryset=Unit.objects.order_by("tree_id", "lft")))
    )


def networks(version: OrgVersion) -> list[Network]:
    """The networks and knowledge teams of a version with leader, owner and member units (two queries)."""
    return list(_networks(version))


def network(version: OrgVersion, key: str) -> Network:
    return get_object_or_404(_networks(version), key=key)


def _budget(version_id: int) -> QuerySet[BudgetResponsibility]:
    return (
        BudgetResponsibility.objects.filter(version_id=version_id)
        .select_related("holder__holder", "scope", "supported_by")
        .order_by("level", "scope__tree_id", "scope__lft", "pk")
    )


def budget_levels(version: OrgVersion) -> list[BudgetResponsibility]:
    """Every budget responsibility of a version by level, then by where its scope sits in the tree (one query)."""
    return list(_budget(version.pk))


def budget_chain(unit: Unit) -> list[BudgetResponsibility]:
    """The responsibilities whose scope is the unit or one of its ancestors, by level: one query on the
    nested set (an ancestor's interval contains the unit's)."""
    return list(
        _budget(unit.version_id).filter(
            scope__tree_id=unit.tree_id, scope__lft__lte=unit.lft, scope__rght__gte=unit.rght
        )
    )


# --- panels on the unit and post pages -------------------------------------------------------------


def unit_committee_panel(unit: Unit) -> dict:
    """Committees the unit serves, itself or through one of its posts (one query)."""
    services = (
        CommitteeService.objects.filter(Q(unit=unit) | Q(post__unit=unit), version_id=unit.version_id)
        .select_related("committee", "post__holder")
        .order_by("committee_id", "post_id", "pk")
    )
    return {"services": list(services)}


def unit_forum_panel(unit: Unit) -> dict:
    """Forums and networks the unit is a member of, or led (chaired, led, owned) by one of its posts
    (two queries)."""
    member_of_forum = Forum.member_units.through.objects.filter(forum_id=OuterRef("pk"), unit_id=unit.pk)
    member_of_network = Network.member_units.through.objects.filter(network_id=OuterRef("pk"), unit_id=unit.pk)
    forum_rows = (
        Forum.objects.filter(Q(member_units=unit) | Q(chair__unit=unit), version_id=unit.version_id)
        .annotate(is_member=Exists(member_of_forum))
        .select_related("chair__holder")
        .distinct()
        .order_by("pk")
    )
    network_rows = (
        Network.objects.filter(
            Q(member_units=unit) | Q(leader__unit=unit) | Q(owner__unit=unit), version_id=unit.version_id
        )
        .annotate(is_member=Exists(member_of_network))
        .select_related("leader__holder", "owner__holder")
        .distinct()
        .order_by("pk")
    )
    return {"forums": list(forum_rows), "networks": list(network_rows), "subject": unit}


def unit_budget_panel(unit: Unit) -> dict:
    return {"levels": budget_chain(unit), "subject": unit}


def post_committee_panel(post: Post) -> dict:
    """Committees the post serves (one query)."""
    services = (
        CommitteeService.objects.filter(post=post).select_related("committee", "unit").order_by("committee_id", "pk")
    )
    return {"services": list(services)}


def post_forum_panel(post: Post) -> dict:
    """Forums the post chairs or sits in, networks it leads or owns (two queries)."""
    member_of_forum = Forum.member_posts.through.objects.filter(forum_id=OuterRef("pk"), post_id=post.pk)
    forum_rows = (
        Forum.objects.filter(Q(member_posts=post) | Q(chair=post))
        .annotate(is_member=Exists(member_of_forum))
        .distinct()
        .order_by("pk")
    )
    network_rows = Network.objects.filter(Q(leader=post) | Q(owner=post)).order_by("pk")
    return {"forums": list(forum_rows), "networks": list(network_rows), "subject": post}


def post_budget_panel(post: Post) -> dict:
    """Budget levels the post holds (one query)."""
    return {"levels": list(_budget(post.version_id).filter(holder=post)), "subject": post}


def person_membership_panel(person: Person) -> dict:
    """The person's committee memberships, committee by committee (one query)."""
    memberships = Membership.objects.filter(person=person).select_related("committee").order_by("committee_id", "pk")
    return {"memberships": list(memberships)}


# --- reporting line and search ----------------------------------------------------------------------

POLITICAL_TOP = [Committee.Kind.FINANCE, Committee.Kind.COUNCIL]


def political_tail(version: OrgVersion) -> list[ReportingStep]:
    """Above the kommunaldirektør: Økonomiudvalget, then the council (one query)."""
    top = Committee.objects.filter(municipality_id=version.municipality_id, kind__in=POLITICAL_TOP).select_related(
        "municipality"
    )
    ordered = sorted(top, key=lambda committee: (POLITICAL_TOP.index(committee.kind), committee.pk))
    return [
        ReportingStep(
            "committee",
            localized(committee, "name"),
            reverse("governance:committee", args=[committee.municipality.slug, version.key, committee.key]),
            committee.get_kind_display(),
        )
        for committee in ordered
    ]


def search_committees(query: str, municipality: Municipality | None, limit: int) -> list[extensions.SearchHit]:
    """Committees whose name (da/en) or key contains `query`, linked in their municipality's default
    version (two queries)."""
    scope = {"municipality": municipality} if municipality else {}
    found = (
        Committee.objects.filter(matching(Committee, query, NAMED), **scope)
        .select_related("municipality")
        .prefetch_related("municipality__versions")
        .order_by("municipality__name", "name")[:limit]
    )
    hits = []
    for committee in found:
        version = default_version(committee.municipality)
        if version is None:
            continue
        url = reverse("governance:committee", args=[committee.municipality.slug, version.key, committee.key])
        hits.append(
            extensions.SearchHit(
                "committee",
                localized(committee, "name"),
                url,
                str(committee.get_kind_display()),
                committee.municipality.name,
                extensions.VersionLink(version.display_label, version.status, str(version.get_status_display()), url),
            )
        )
    return hits


def committee_highlight(version: OrgVersion, query) -> extensions.ChartHighlight | None:
    """For the chart's ?udvalg=<key>: every unit that serves the committee in the version, itself or through
    one of its posts (two queries)."""
    key = query.get("udvalg", "")
    found = Committee.objects.filter(municipality_id=version.municipality_id, key=key).first() if key else None
    if found is None:
        return None
    rows = CommitteeService.objects.filter(version=version, committee=found).values_list("unit__key", "post__unit__key")
    keys = list(dict.fromkeys(key for pair in rows for key in pair if key))
    return extensions.ChartHighlight(_("Enheder der betjener %(committee)s") % {"committee": found.display_name}, keys)
