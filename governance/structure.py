"""The governance part of the structure format: committees, memberships, committee services, forums,
networks and budget responsibilities. Registered in `centers.extensions` by `apps.py`."""

from __future__ import annotations

from centers.bulk import insert
from centers.structure_format import (
    Checker,
    LoadContext,
    SectionExport,
    document_text,
    format_date,
    parse_date,
    stored_text,
)

from .models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network


class GovernanceSection:
    def check(self, checker: Checker) -> None:
        data = checker.document.data
        committees = {committee["key"] for committee in data.get("committees", [])}
        checker.unique(data.get("committees", []), ("committees",), "committee")
        for position, membership in enumerate(data.get("memberships", [])):
            path = ("memberships", position)
            if membership["committee"] not in committees:
                checker.report((*path, "committee"), f"unknown committee '{membership['committee']}'")
            if membership["person"] not in checker.people:
                checker.report((*path, "person"), f"unknown person '{membership['person']}'")
            checker.date(membership.get("start"), (*path, "start"))
            checker.date(membership.get("end"), (*path, "end"))
        for index, version in enumerate(checker.versions):
            base = ("versions", index)
            for position, service in enumerate(version.get("committee_services", [])):
                path = (*base, "committee_services", position)
                if service["committee"] not in committees:
                    checker.report((*path, "committee"), f"unknown committee '{service['committee']}'")
                if service.get("unit") is None and service.get("post") is None:
                    checker.report(path, "a committee service must name a unit or a post (or both)")
                checker.unit(index, service.get("unit"), (*path, "unit"))
                checker.post(index, service.get("post"), (*path, "post"))
            checker.unique(version.get("forums", []), (*base, "forums"), "forum")
            for position, forum in enumerate(version.get("forums", [])):
                path = (*base, "forums", position)
                checker.post(index, forum.get("chair"), (*path, "chair"))
                checker.units_list(index, forum.get("member_units", []), (*path, "member_units"))
                checker.posts_list(index, forum.get("member_posts", []), (*path, "member_posts"))
            checker.unique(version.get("networks", []), (*base, "networks"), "network")
            for position, network in enumerate(version.get("networks", [])):
                path = (*base, "networks", position)
                checker.post(index, network.get("leader"), (*path, "leader"))
                checker.post(index, network.get("owner"), (*path, "owner"))
                checker.units_list(index, network.get("member_units", []), (*path, "member_units"))
            for position, budget in enumerate(version.get("budget_responsibilities", [])):
                path = (*base, "budget_responsibilities", position)
                checker.post(index, budget.get("holder"), (*path, "holder"))
                checker.unit(index, budget["scope"], (*path, "scope"))
                checker.unit(index, budget.get("supported_by"), (*path, "supported_by"))

    def write(self, context: LoadContext) -> None:
        municipality, versions = context.municipality, context.versions
        units, posts = context.units, context.posts
        record = context.record  # the loader records a history baseline of every row recorded here
        if context.new_municipality:
            committees = self._write_committees(context)
        else:
            committees = {committee.key: committee for committee in Committee.objects.filter(municipality=municipality)}
        for spec_version in context.version_specs:
            version = versions[spec_version["key"]]
            unit, post = units[version.key].get, posts[version.key].get
            record(
                insert(
                    CommitteeService(
                        version=version,
                        committee=committees[spec["committee"]],
                        unit=unit(spec.get("unit")),
                        post=post(spec.get("post")),
                        role=spec["role"],
                        source=stored_text(spec.get("source")),
                        note=stored_text(spec.get("note")),
                    )
                    for spec in spec_version.get("committee_services", [])
                )
            )
            record(
                insert(
                    BudgetResponsibility(
                        version=version,
                        level=spec["level"],
                        name=stored_text(spec.get("name")),
                        holder=post(spec.get("holder")),
                        scope=unit(spec["scope"]),
                        supported_by=unit(spec.get("supported_by")),
                        source=stored_text(spec.get("source")),
                        note=stored_text(spec.get("note")),
                    )
                    for spec in spec_version.get("budget_responsibilities", [])
                )
            )
            forum_specs = spec_version.get("forums", [])
            forums = record(
                insert(
                    Forum(
                        version=version,
                        key=spec["key"],
                        name=spec["name"],
                        name_en=stored_text(spec.get("name_en")),
                        kind=spec["kind"],
                        chair=post(spec.get("chair")),
                        members_text=stored_text(spec.get("members_text")),
                        frequency=stored_text(spec.get("frequency")),
                        purpose=stored_text(spec.get("purpose")),
                        source=stored_text(spec.get("source")),
                        note=stored_text(spec.get("note")),
                    )
                    for spec in forum_specs
                )
            )
            insert(
                Forum.member_units.through(forum=forum, unit=unit(key))
                for forum, spec in zip(forums, forum_specs, strict=True)
                for key in spec.get("member_units", [])
            )
            insert(
                Forum.member_posts.through(forum=forum, post=post(key))
                for forum, spec in zip(forums, forum_specs, strict=True)
                for key in spec.get("member_posts", [])
            )
            network_specs = spec_version.get("networks", [])
            networks = record(
                insert(
                    Network(
                        version=version,
                        key=spec["key"],
                        name=spec["name"],
                        name_en=stored_text(spec.get("name_en")),
                        kind=spec["kind"],
                        leader=post(spec.get("leader")),
                        leader_text=stored_text(spec.get("leader_text")),
                        owner=post(spec.get("owner")),
                        members_text=stored_text(spec.get("members_text")),
                        purpose=stored_text(spec.get("purpose")),
                        frequency=stored_text(spec.get("frequency")),
                        source=stored_text(spec.get("source")),
                        note=stored_text(spec.get("note")),
                    )
                    for spec in network_specs
                )
            )
            insert(
                Network.member_units.through(network=network, unit=unit(key))
                for network, spec in zip(networks, network_specs, strict=True)
                for key in spec.get("member_units", [])
            )

    def _write_committees(self, context: LoadContext) -> dict[str, Committee]:
        """A new municipality's committees and memberships."""
        data, record = context.data, context.record
        committees = {
            committee.key: committee
            for committee in record(
                insert(
                    Committee(
                        municipality=context.municipality,
                        key=spec["key"],
                        name=spec["name"],
                        name_en=stored_text(spec.get("name_en")),
                        kind=spec["kind"],
                        source=stored_text(spec.get("source")),
                        note=stored_text(spec.get("note")),
                    )
                    for spec in data.get("committees", [])
                )
            )
        }
        record(
            insert(
                Membership(
                    committee=committees[spec["committee"]],
                    person=context.people[spec["person"]],
                    role=stored_text(spec.get("role")),
                    party=stored_text(spec.get("party")),
                    start=parse_date(spec.get("start")),
                    end=parse_date(spec.get("end")),
                    source=stored_text(spec.get("source")),
                )
                for spec in data.get("memberships", [])
            )
        )
        return committees

    def export(self, municipality, versions: list) -> SectionExport:
        committees = list(municipality.committees.order_by("pk"))
        top_level = {
            "committees": [
                {
                    "key": committee.key,
                    "name": committee.name,
                    "name_en": document_text(committee.name_en),
                    "kind": committee.kind,
                    "source": document_text(committee.source),
                    "note": document_text(committee.note),
                }
                for committee in committees
            ],
            "memberships": [
                {
                    "person": membership.person.key,
                    "committee": membership.committee.key,
                    "role": document_text(membership.role),
                    "party": document_text(membership.party),
                    "start": format_date(membership.start),
                    "end": format_date(membership.end),
                    "source": document_text(membership.source),
                }
                for membership in Membership.objects.filter(committee__municipality=municipality)
                .select_related("person", "committee")
                .order_by("pk")
            ],
        }
        version_ids = [version.pk for version in versions]
        per_version: dict[int, dict] = {
            version.pk: {
                "committee_services": [],
                "forums": [],
                "networks": [],
                "budget_responsibilities": [],
            }
            for version in versions
        }
        services = CommitteeService.objects.filter(version_id__in=version_ids).select_related(
            "committee", "unit", "post"
        )
        for service in services.order_by("pk"):
            per_version[service.version_id]["committee_services"].append(
                {
                    "committee": service.committee.key,
                    "unit": service.unit.key if service.unit_id else None,
                    "post": service.post.key if service.post_id else None,
                    "role": service.role,
                    "source": document_text(service.source),
                    "note": document_text(service.note),
                }
            )
        forums = Forum.objects.filter(version_id__in=version_ids).select_related("chair")
        for forum in forums.prefetch_related("member_units", "member_posts").order_by("pk"):
            per_version[forum.version_id]["forums"].append(
                {
                    "key": forum.key,
                    "name": forum.name,
                    "name_en": document_text(forum.name_en),
                    "kind": forum.kind,
                    "chair": forum.chair.key if forum.chair_id else None,
                    "member_units": [unit.key for unit in forum.member_units.all()],
                    "member_posts": [post.key for post in forum.member_posts.all()],
                    "members_text": document_text(forum.members_text),
                    "frequency": document_text(forum.frequency),
                    "purpose": document_text(forum.purpose),
                    "source": document_text(forum.source),
                    "note": document_text(forum.note),
                }
            )
        networks = Network.objects.filter(version_id__in=version_ids).select_related("leader", "owner")
        for network in networks.prefetch_related("member_units").order_by("pk"):
            per_version[network.version_id]["networks"].append(
                {
                    "key": network.key,
                    "name": network.name,
                    "name_en": document_text(network.name_en),
                    "kind": network.kind,
                    "leader": network.leader.key if network.leader_id else None,
                    "leader_text": document_text(network.leader_text),
                    "owner": network.owner.key if network.owner_id else None,
                    "member_units": [unit.key for unit in network.member_units.all()],
                    "members_text": document_text(network.members_text),
                    "purpose": document_text(network.purpose),
                    "frequency": document_text(network.frequency),
                    "source": document_text(network.source),
                    "note": document_text(network.note),
                }
            )
        budgets = BudgetResponsibility.objects.filter(version_id__in=version_ids).select_related(
            "holder", "scope", "supported_by"
        )
        for budget in budgets.order_by("pk"):
            per_version[budget.version_id]["budget_responsibilities"].append(
                {
                    "level": budget.level,
                    "name": document_text(budget.name),
                    "holder": budget.holder.key if budget.holder_id else None,
                    "scope": budget.scope.key,
                    "supported_by": budget.supported_by.key if budget.supported_by_id else None,
                    "source": document_text(budget.source),
                    "note": document_text(budget.note),
                }
            )
        return SectionExport(top_level, per_version)
