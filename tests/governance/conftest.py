"""A synthetic municipality a few hundred units large, with governance rows on every level, for query ceilings."""

import json

import pytest

from centers import structure_format

AREAS, CENTRES_PER_AREA, INSTITUTIONS_PER_CENTRE = 10, 3, 10


def synthetic_document() -> dict:
    """341 units (1 directorate, 10 areas, 30 centres, 300 institutions), 41 posts, 90 committee services,
    10 forums and 10 networks with many members, and a three-level budget chain over every centre."""
    units = [{"key": "direktion", "name": "Direktionen", "kind": "directorate", "head": "kd"}]
    posts = [{"key": "kd", "title": "Kommunaldirektør", "kind": "chief_executive", "unit": "direktion"}]
    services_ = []
    budget = [{"level": 1, "name": "Koncernen", "holder": "kd", "scope": "direktion"}]
    centres = []
    for area in range(AREAS):
        area_key, director = f"omraade-{area}", f"direktoer-{area}"
        units.append(
            {
                "key": area_key,
                "name": f"Område {area}",
                "kind": "director_area",
                "parent": "direktion",
                "head": director,
            }
        )
        posts.append({"key": director, "title": f"Direktør {area}", "kind": "director", "unit": area_key})
        budget.append({"level": 2, "holder": director, "scope": area_key, "supported_by": "direktion"})
        for centre in range(CENTRES_PER_AREA):
            centre_key, chief = f"center-{area}-{centre}", f"centerchef-{area}-{centre}"
            centres.append(centre_key)
            units.append(
                {
                    "key": centre_key,
                    "name": f"Center {area}.{centre}",
                    "kind": "centre",
                    "parent": area_key,
                    "head": chief,
                    "responsible": director,
                }
            )
            posts.append({"key": chief, "title": f"Centerchef {area}.{centre}", "kind": "head", "unit": centre_key})
            budget.append({"level": 3, "holder": chief, "scope": centre_key, "supported_by": area_key})
            for role in ("serves", "attends", "prepares_agenda"):
                services_.append({"committee": "fagudvalg", "unit": centre_key, "post": chief, "role": role})
            units.extend(
                {
                    "key": f"inst-{area}-{centre}-{number}",
                    "name": f"Institution {area}.{centre}.{number}",
                    "kind": "institution",
                    "parent": centre_key,
                }
                for number in range(INSTITUTIONS_PER_CENTRE)
            )
    all_posts = [post["key"] for post in posts]
    return {
        "format": structure_format.FORMAT,
        "municipality": {"slug": "syntetisk", "name": "Syntetisk Kommune", "kommunekode": 998},
        "people": [{"key": f"person-{number}", "name": f"Person {number}"} for number in range(30)],
        "committees": [
            {"key": "kb", "name": "Kommunalbestyrelsen", "kind": "council"},
            {"key": "oeu", "name": "Økonomiudvalget", "kind": "finance"},
            {"key": "fagudvalg", "name": "Fagudvalget", "kind": "standing"},
        ],
        "memberships": [{"person": f"person-{number}", "committee": "fagudvalg"} for number in range(30)],
        "versions": [
            {
                "key": "1",
                "label": "Syntetisk organisation",
                "status": "current",
                "units": units,
                "posts": posts,
                "committee_services": services_,
                "forums": [
                    {
                        "key": f"forum-{number}",
                        "name": f"Forum {number}",
                        "kind": "management_group",
                        "chair": "kd",
                        "member_units": centres,
                        "member_posts": all_posts,
                    }
                    for number in range(10)
                ],
                "networks": [
                    {
                        "key": f"netvaerk-{number}",
                        "name": f"Netværk {number}",
                        "kind": "knowledge_team",
                        "leader": "centerchef-0-0",
                        "owner": "kd",
                        "member_units": centres,
                    }
                    for number in range(10)
                ],
                "budget_responsibilities": budget,
            }
        ],
    }


@pytest.fixture
def load_synthetic(db):
    def load():
        text = json.dumps(synthetic_document())
        return structure_format.load(structure_format.parse_text(text, "synthetic.json", "json"))

    return load
