"""The structure document of a municipality or one version, in canonical order: load → export → load is identity."""

from __future__ import annotations

from collections import defaultdict

from centers import extensions
from centers.models import Duty, Municipality, OrgVersion, Post, Task, Unit

from .parsing import FORMAT, document_text, format_date


def _export_version(
    version: OrgVersion,
    units: list[Unit],
    posts: list[Post],
    tasks: list[Task],
    duties: list[Duty],
    formed_from: dict[int, list[str]],
) -> dict:
    keys = {unit.pk: unit.key for unit in units}
    post_keys = {post.pk: post.key for post in posts}
    tasks_by_unit: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        tasks_by_unit[task.unit_id].append(task)
    duties_by_post: dict[int, list[Duty]] = defaultdict(list)
    for duty in duties:
        duties_by_post[duty.post_id].append(duty)
    return {
        "key": version.key,
        "label": version.label,
        "label_en": document_text(version.label_en),
        "status": version.status,
        "effective_from": format_date(version.effective_from),
        "effective_to": format_date(version.effective_to),
        "decided_on": format_date(version.decided_on),
        "decided_by": document_text(version.decided_by),
        "based_on": version.based_on.key if version.based_on_id else None,
        "source": document_text(version.source),
        "note": document_text(version.note),
        "units": [
            {
                "key": unit.key,
                "name": unit.name,
                "name_en": document_text(unit.name_en),
                "kind": unit.kind,
                "parent": keys.get(unit.parent_id),
                "head": post_keys.get(unit.head_id),
                "responsible": post_keys.get(unit.responsible_id),
                "formed_from": formed_from.get(unit.pk, []),
                "tasks": [
                    {
                        "key": task.key,
                        "name": task.name,
                        "name_en": document_text(task.name_en),
                        "source": document_text(task.source),
                        "note": document_text(task.note),
                    }
                    for task in tasks_by_unit[unit.pk]
                ],
                "source": document_text(unit.source),
                "note": document_text(unit.note),
            }
            for unit in units
        ],
        "posts": [_export_post(post, keys, post_keys, duties_by_post[post.pk]) for post in posts],
    }


def _export_post(post: Post, unit_keys: dict[int, str], post_keys: dict[int, str], duties: list[Duty]) -> dict:
    """A post; `duties` only when it has some, so that documents without duties export as they always have."""
    exported = {
        "key": post.key,
        "title": post.title,
        "title_en": document_text(post.title_en),
        "kind": post.kind,
        "unit": unit_keys.get(post.unit_id),
        "holder": post.holder.key if post.holder_id else None,
        "reports_to": post_keys.get(post.reports_to_id),
    }
    if duties:
        exported["duties"] = [
            {
                "key": duty.key,
                "name": duty.name,
                "name_en": document_text(duty.name_en),
                "source": document_text(duty.source),
                "note": document_text(duty.note),
            }
            for duty in duties
        ]
    exported["source"] = document_text(post.source)
    exported["note"] = document_text(post.note)
    return exported


def export(municipality: Municipality, version_key: str | None = None) -> dict:
    """The structure document of a municipality (or of one version of it), in canonical order.

    A single-version export is a standalone document: `based_on` and `formed_from` point outside it and
    are left out.
    """
    versions = list(municipality.versions.select_related("based_on").order_by("pk"))
    if version_key is not None:
        versions = [version for version in versions if version.key == version_key]
        if not versions:
            raise OrgVersion.DoesNotExist(f"{municipality.slug} has no version '{version_key}'")
    version_ids = [version.pk for version in versions]
    units_by_version: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(version_id__in=version_ids).order_by("tree_id", "lft"):
        units_by_version[unit.version_id].append(unit)
    posts_by_version: dict[int, list[Post]] = defaultdict(list)
    for post in Post.objects.filter(version_id__in=version_ids).select_related("holder").order_by("pk"):
        posts_by_version[post.version_id].append(post)
    tasks_by_version: dict[int, list[Task]] = defaultdict(list)
    for task in Task.objects.filter(version_id__in=version_ids).order_by("pk"):
        tasks_by_version[task.version_id].append(task)
    duties_by_version: dict[int, list[Duty]] = defaultdict(list)
    for duty in Duty.objects.filter(version_id__in=version_ids).order_by("pk"):
        duties_by_version[duty.version_id].append(duty)
    formed_from: dict[int, list[str]] = defaultdict(list)
    if version_key is None:
        links = Unit.formed_from.through.objects.filter(from_unit__version_id__in=version_ids)
        for from_id, key in links.order_by("pk").values_list("from_unit_id", "to_unit__key"):
            formed_from[from_id].append(key)
    exported_versions = [
        _export_version(
            version,
            units_by_version[version.pk],
            posts_by_version[version.pk],
            tasks_by_version[version.pk],
            duties_by_version[version.pk],
            formed_from,
        )
        for version in versions
    ]
    if version_key is not None:
        exported_versions[0]["based_on"] = None
    people = list(municipality.people.order_by("pk"))
    document = {
        "format": FORMAT,
        "municipality": {
            "slug": municipality.slug,
            "name": municipality.name,
            "kommunekode": municipality.kommunekode,
        },
        "sources": [
            {
                "key": source.key,
                "title": source.title,
                "file": document_text(source.file),
                "url": document_text(source.url),
                "note": document_text(source.note),
            }
            for source in municipality.sources.order_by("pk")
        ],
        "people": [{"key": person.key, "name": person.name, "note": document_text(person.note)} for person in people],
    }
    for section in extensions.registry.structure_sections:
        part = section.export(municipality, versions)
        document.update(part.top_level)
        for exported, version in zip(exported_versions, versions, strict=True):
            exported.update(part.per_version.get(version.pk, {}))
    document["versions"] = exported_versions
    return document
