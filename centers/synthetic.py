"""Synthetic structure documents of any size, for query-count tests and benchmarks."""

from __future__ import annotations

from . import structure_format


def synthetic_document(slug: str, unit_count: int, *, kommunekode: int = 998, fan_out: int = 8) -> dict:
    """A valid orgmodel/1 document with one current version of about `unit_count` units.

    The tree is a directorate with director areas, centres, departments and institutions, `fan_out` children
    per unit, a head post for every unit above the institutions and a task per unit.
    """
    kinds = ["directorate", "director_area", "centre", "department"]
    units: list[dict] = []
    posts: list[dict] = []
    frontier: list[tuple[str, int, str | None]] = []

    def add(parent: str | None, level: int, reports_to: str | None) -> None:
        index = len(units)
        key = f"enhed-{index}"
        kind = kinds[level] if level < len(kinds) else "institution"
        head = None
        if kind != "institution":
            head = f"leder-{index}"
            post_kind = "chief_executive" if level == 0 else "director" if level == 1 else "head"
            posts.append(
                {"key": head, "title": f"Leder {index}", "kind": post_kind, "unit": key, "reports_to": reports_to}
            )
        units.append(
            {
                "key": key,
                "name": f"Enhed {index}",
                "name_en": f"Unit {index}",
                "kind": kind,
                "parent": parent,
                "head": head,
                "responsible": reports_to if level == 2 else None,
                "tasks": [{"key": f"opgave-{index}", "name": f"Opgave {index}"}],
            }
        )
        frontier.append((key, level, head or reports_to))

    add(None, 0, None)
    cursor = 0
    while len(units) < unit_count:
        parent, level, head = frontier[cursor]
        cursor += 1
        for _ in range(fan_out):
            if len(units) >= unit_count:
                break
            add(parent, level + 1, head)
    return {
        "format": structure_format.FORMAT,
        "municipality": {"slug": slug, "name": f"Syntetisk {unit_count}", "kommunekode": kommunekode},
        "committees": [
            {"key": "oeu", "name": "Økonomiudvalget", "kind": "finance"},
            {"key": "kb", "name": "Kommunalbestyrelsen", "kind": "council"},
        ],
        "versions": [
            {
                "key": "syntetisk",
                "label": f"Syntetisk organisation med {unit_count} enheder",
                "status": "current",
                "units": units,
                "posts": posts,
                "committee_services": [
                    {"committee": "oeu", "post": "leder-0", "role": "serves"},
                    {"committee": "kb", "unit": "enhed-0", "role": "secretariat"},
                ],
                "budget_responsibilities": [{"level": 1, "holder": "leder-0", "scope": "enhed-0"}],
            }
        ],
    }


def synthetic_structure(slug: str, unit_count: int, **options) -> structure_format.Document:
    return structure_format.Document(synthetic_document(slug, unit_count, **options), f"synthetic:{slug}")
