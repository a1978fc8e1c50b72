"""The comparison of two versions (centers.comparison): every kind of change once, with its sentence in Danish and
English; Lejre 2011 → 2014; properties of random edits of a clone; the compare_versions command.

English assertions sit in `with english():` blocks: they pass once /tmp/po/comparison.po is merged into
locale/en and compiled.
"""

import copy
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from centers import structure_format
from centers.comparison import CHANGE_KINDS, INVERSE_KINDS, Change, compare, compare_versions
from centers.models import OrgVersion
from centers.synthetic import synthetic_document

from ..conftest import FIXTURES

COMMITTEES = {
    "oeu": {"key": "oeu", "name": "Økonomiudvalget", "name_en": "Finance Committee"},
    "kb": {"key": "kb", "name": "Kommunalbestyrelsen", "name_en": "Municipal Council"},
}


def english():
    """English sentences: they need /tmp/po/comparison.po merged into locale/en."""
    return translation.override("en")


# Small hand-made versions.


def unit(key, name, name_en, parent=None, kind="centre", head=None, responsible=None, tasks=(), formed_from=()):
    return {
        "key": key,
        "name": name,
        "name_en": name_en,
        "kind": kind,
        "parent": parent,
        "head": head,
        "responsible": responsible,
        "formed_from": list(formed_from),
        "tasks": list(tasks),
        "source": None,
        "note": None,
    }


def task(key, name, name_en):
    return {"key": key, "name": name, "name_en": name_en, "source": None, "note": None}


def post(key, title, title_en, kind, unit_key, reports_to=None, holder=None):
    return {
        "key": key,
        "title": title,
        "title_en": title_en,
        "kind": kind,
        "unit": unit_key,
        "holder": holder,
        "reports_to": reports_to,
        "source": None,
        "note": None,
    }


def base() -> dict:
    """Version 2011: a directorate, three centres and a school, with posts and every governance row."""
    return {
        "key": "2011",
        "based_on": None,
        "units": [
            unit(
                "direktion",
                "Direktionen",
                "Executive Board",
                kind="directorate",
                head="kommunaldirektoer",
                tasks=[task("sekretariat", "Sekretariatsbetjening", "Secretariat services")],
            ),
            unit("center-veje", "Center for Veje", "Centre for Roads", parent="direktion"),
            unit("center-ejendomme", "Center for Ejendomme", "Centre for Property", parent="direktion"),
            unit(
                "center-skole",
                "Center for Skole",
                "Centre for Schools",
                parent="direktion",
                head="chef-skole",
                responsible="direktoer-teknik",
                tasks=[task("skoledrift", "Skoledrift", "School operations")],
            ),
            unit("skolen", "Skolen", "The School", parent="center-skole", kind="institution"),
        ],
        "posts": [
            post("kommunaldirektoer", "Kommunaldirektør", "Chief Executive", "chief_executive", "direktion"),
            post("direktoer-teknik", "Teknisk direktør", "Technical Director", "director", "direktion"),
            post("direktoer-social", "Social direktør", "Director of Social Affairs", "director", "direktion"),
            post("chef-skole", "Skolechef", "Head of Schools", "head", "center-skole", reports_to="direktoer-teknik"),
            post("souschef-skole", "Souschef", "Deputy Head", "leader", "center-skole", reports_to="chef-skole"),
        ],
        "committee_services": [
            {"committee": "oeu", "unit": None, "post": "kommunaldirektoer", "role": "serves"},
            {"committee": "kb", "unit": "direktion", "post": None, "role": "secretariat"},
        ],
        "forums": [
            {
                "key": "koncernledelse",
                "name": "Koncernledelsen",
                "name_en": "Corporate Management Group",
                "kind": "management_group",
                "chair": "kommunaldirektoer",
                "member_units": ["direktion"],
                "member_posts": ["kommunaldirektoer"],
                "members_text": None,
                "frequency": None,
                "purpose": None,
            }
        ],
        "networks": [
            {
                "key": "skolenetvaerk",
                "name": "Skolenetværket",
                "name_en": "Schools' network",
                "kind": "network",
                "leader": None,
                "leader_text": None,
                "owner": "chef-skole",
                "member_units": ["center-skole"],
                "members_text": None,
                "purpose": None,
                "frequency": None,
            }
        ],
        "budget_responsibilities": [
            {
                "level": 1,
                "name": "Direktionen",
                "holder": "kommunaldirektoer",
                "scope": "direktion",
                "supported_by": None,
            }
        ],
    }


def successor(version: dict) -> dict:
    """Version 2014, based on `version` and equal to it."""
    after = copy.deepcopy(version)
    after["key"], after["based_on"] = "2014", version["key"]
    return after


def units_of(version: dict) -> dict[str, dict]:
    return {spec["key"]: spec for spec in version["units"]}


def posts_of(version: dict) -> dict[str, dict]:
    return {spec["key"]: spec for spec in version["posts"]}


def only_change(before: dict, after: dict) -> Change:
    changes = compare(before, after, committees=COMMITTEES).changes
    assert len(changes) == 1, [(change.kind, change.key) for change in changes]
    return changes[0]


def test_a_version_compared_with_itself_has_no_changes():
    assert compare(base(), base()).changes == []
    assert compare(base(), successor(base())).changes == []


# One test per kind of change.


def test_unit_added():
    after = successor(base())
    after["units"].append(unit("center-kultur", "Center for Kultur", "Centre for Culture", parent="direktion"))
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "unit_added",
        "center-kultur",
        (),
        ("center-kultur",),
    )
    assert change.before is None and change.after["name"] == "Center for Kultur"
    assert change.describe() == "Ny enhed: Center for Kultur under Direktionen"
    with english():
        assert change.describe() == "New unit: Centre for Culture under Executive Board"


def test_unit_removed():
    after = successor(base())
    after["units"] = [spec for spec in after["units"] if spec["key"] != "skolen"]
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "unit_removed",
        "skolen",
        ("skolen",),
        (),
    )
    assert change.describe() == "Skolen nedlægges"
    with english():
        assert change.describe() == "The School is closed down"


def test_unit_renamed():
    after = successor(base())
    units_of(after)["center-ejendomme"].update(name="Center for Bygninger", name_en="Centre for Buildings")
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("unit_renamed", "center-ejendomme", ("name", "name_en"))
    assert change.describe() == "Center for Ejendomme omdøbes til Center for Bygninger"
    with english():
        assert change.describe() == "Centre for Property is renamed Centre for Buildings"


def test_unit_renamed_in_english_only_says_so_in_danish():
    after = successor(base())
    units_of(after)["center-ejendomme"]["name_en"] = "Centre for Real Estate"
    change = only_change(base(), after)
    assert (change.kind, change.fields) == ("unit_renamed", ("name_en",))
    assert change.describe() == (
        "Det engelske navn på Center for Ejendomme ændres fra Centre for Property til Centre for Real Estate"
    )
    with english():
        assert change.describe() == "Centre for Property is renamed Centre for Real Estate"


def test_unit_moved():
    after = successor(base())
    units_of(after)["skolen"]["parent"] = "center-ejendomme"
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before, change.units_after, change.fields) == (
        "unit_moved",
        "skolen",
        ("skolen",),
        ("skolen",),
        ("parent",),
    )
    assert change.describe() == "Skolen flyttes fra Center for Skole til Center for Ejendomme"
    with english():
        assert change.describe() == "The School is moved from Centre for Schools to Centre for Property"


def test_unit_renamed_and_moved_is_two_changes():
    after = successor(base())
    units_of(after)["skolen"].update(parent="center-ejendomme", name="Byskolen")
    changes = compare(base(), after).changes
    assert [(change.kind, change.key) for change in changes] == [("unit_moved", "skolen"), ("unit_renamed", "skolen")]
    assert compare(base(), after).marks() == {"before": {"skolen": "moved"}, "after": {"skolen": "moved"}}


def test_unit_kind_changed():
    after = successor(base())
    units_of(after)["center-ejendomme"]["kind"] = "shared_centre"
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("unit_kind_changed", "center-ejendomme", ("kind",))
    assert change.describe() == "Center for Ejendomme skifter type fra fagcenter til tværgående center"
    with english():
        assert change.describe() == "Centre for Property changes type from specialist centre to cross-cutting centre"


def test_unit_responsible_changed():
    after = successor(base())
    units_of(after)["center-skole"]["responsible"] = "direktoer-social"
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("unit_responsible_changed", "center-skole", ("responsible",))
    assert change.describe() == "Ny ansvarlig direktør for Center for Skole: Social direktør (før: Teknisk direktør)"
    with english():
        assert change.describe() == (
            "New responsible director for Centre for Schools: Director of Social Affairs (before: Technical Director)"
        )


def test_unit_head_changed():
    after = successor(base())
    units_of(after)["center-skole"]["head"] = "souschef-skole"
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("unit_head_changed", "center-skole", ("head",))
    assert change.describe() == "Ny leder af Center for Skole: Souschef (før: Skolechef)"
    with english():
        assert change.describe() == "New head of Centre for Schools: Deputy Head (before: Head of Schools)"


def merged_roads_and_property(formed_from=("center-veje", "center-ejendomme")) -> dict:
    after = successor(base())
    after["units"] = [spec for spec in after["units"] if spec["key"] not in ("center-veje", "center-ejendomme")]
    after["units"].append(
        unit(
            "center-trafik-ejendomme",
            "Center for Trafik og Ejendomme",
            "Centre for Traffic and Property",
            parent="direktion",
            formed_from=formed_from,
        )
    )
    return after


def test_units_merged():
    change = only_change(base(), merged_roads_and_property())
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "units_merged",
        "center-trafik-ejendomme",
        ("center-veje", "center-ejendomme"),
        ("center-trafik-ejendomme",),
    )
    assert change.before is None and change.after["key"] == "center-trafik-ejendomme"
    assert (
        change.describe() == "Center for Veje og Center for Ejendomme lægges sammen til Center for Trafik og Ejendomme"
    )
    with english():
        assert change.describe() == (
            "Centre for Roads and Centre for Property are merged into Centre for Traffic and Property"
        )


def test_a_merge_into_a_continuing_unit_is_one_units_merged():
    after = successor(base())
    after["units"] = [spec for spec in after["units"] if spec["key"] != "center-ejendomme"]
    units_of(after)["center-veje"]["formed_from"] = ["center-veje", "center-ejendomme"]
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "units_merged",
        "center-veje",
        ("center-veje", "center-ejendomme"),
        ("center-veje",),
    )
    assert change.describe() == "Center for Ejendomme indgår i Center for Veje"
    with english():
        assert change.describe() == "Centre for Property becomes part of Centre for Roads"


def split_roads(keep: bool = False) -> dict:
    after = successor(base())
    after["units"] = [spec for spec in after["units"] if keep or spec["key"] != "center-veje"]
    first = [] if keep else [unit("center-vejdrift", "Center for Vejdrift", "Centre for Road Operations")]
    for spec in [*first, unit("center-trafik", "Center for Trafik", "Centre for Traffic")]:
        spec.update(parent="direktion", formed_from=["center-veje"])
        after["units"].append(spec)
    return after


def test_unit_split():
    change = only_change(base(), split_roads())
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "unit_split",
        "center-veje",
        ("center-veje",),
        ("center-vejdrift", "center-trafik"),
    )
    assert change.before["key"] == "center-veje" and change.after is None
    assert change.describe() == "Center for Veje deles i Center for Vejdrift og Center for Trafik"
    with english():
        assert change.describe() == "Centre for Roads is split into Centre for Road Operations and Centre for Traffic"


def test_a_split_that_keeps_the_unit_is_one_unit_split():
    change = only_change(base(), split_roads(keep=True))
    assert (change.kind, change.key, change.units_after) == (
        "unit_split",
        "center-veje",
        ("center-veje", "center-trafik"),
    )
    assert change.describe() == "Center for Trafik udskilles fra Center for Veje"
    with english():
        assert change.describe() == "Centre for Traffic is split off from Centre for Roads"


def test_a_unit_under_a_new_key_formed_from_the_old_one_continues():
    """Its tasks, its children and the rows naming it stay where they were; its own changes carry the newer key."""
    before = base()
    units_of(before)["center-ejendomme"]["tasks"] = [task("bygningsdrift", "Bygningsdrift", "Building operations")]
    units_of(before)["skolen"]["parent"] = "center-ejendomme"
    before["networks"][0]["member_units"] = ["center-ejendomme"]
    after = successor(before)
    units_of(after)["center-ejendomme"].update(key="center-bygninger", formed_from=["center-ejendomme"])
    units_of(after)["skolen"]["parent"] = "center-bygninger"
    after["networks"][0]["member_units"] = ["center-bygninger"]
    assert compare(before, after).changes == []
    assert compare(after, before).changes == []
    units_of(after)["center-bygninger"]["name"] = "Center for Bygninger"
    change = only_change(before, after)
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "unit_renamed",
        "center-bygninger",
        ("center-ejendomme",),
        ("center-bygninger",),
    )
    assert change.describe() == "Center for Ejendomme omdøbes til Center for Bygninger"
    reverse = compare(after, before).changes
    assert [(change.kind, change.key, change.units_before) for change in reverse] == [
        ("unit_renamed", "center-bygninger", ("center-bygninger",))
    ]


def test_formed_from_counts_only_between_a_version_and_its_base():
    after = merged_roads_and_property()
    after["based_on"] = "2009"
    changes = compare(base(), after).changes
    assert [(change.kind, change.key) for change in changes] == [
        ("unit_added", "center-trafik-ejendomme"),
        ("unit_removed", "center-veje"),
        ("unit_removed", "center-ejendomme"),
    ]


def test_task_moved():
    after = successor(base())
    units_of(after)["center-veje"]["tasks"] = units_of(after)["center-skole"]["tasks"]
    units_of(after)["center-skole"]["tasks"] = []
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "task_moved",
        "skoledrift",
        ("center-skole",),
        ("center-veje",),
    )
    assert (change.before["unit"], change.after["unit"]) == ("center-skole", "center-veje")
    assert change.describe() == "Opgaven «Skoledrift» flytter fra Center for Skole til Center for Veje"
    with english():
        assert change.describe() == "The task “School operations” moves from Centre for Schools to Centre for Roads"


def test_task_added():
    after = successor(base())
    units_of(after)["center-veje"]["tasks"].append(task("vejdrift", "Vejdrift", "Road operations"))
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before, change.units_after) == (
        "task_added",
        "vejdrift",
        (),
        ("center-veje",),
    )
    assert change.describe() == "Ny opgave i Center for Veje: «Vejdrift»"
    with english():
        assert change.describe() == "New task in Centre for Roads: “Road operations”"


def test_task_removed():
    after = successor(base())
    units_of(after)["center-skole"]["tasks"] = []
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before) == ("task_removed", "skoledrift", ("center-skole",))
    assert change.describe() == "Opgaven «Skoledrift» i Center for Skole bortfalder"
    with english():
        assert change.describe() == "The task “School operations” in Centre for Schools is discontinued"


def test_task_renamed():
    after = successor(base())
    units_of(after)["center-skole"]["tasks"][0].update(name="Drift af skoler", name_en="Running schools")
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("task_renamed", "skoledrift", ("name", "name_en"))
    assert change.describe() == "Opgaven «Skoledrift» i Center for Skole omdøbes til «Drift af skoler»"
    with english():
        assert change.describe() == "The task “School operations” in Centre for Schools is renamed “Running schools”"


def test_post_added():
    after = successor(base())
    after["posts"].append(post("direktoer-oekonomi", "Økonomidirektør", "Finance Director", "director", "direktion"))
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_after) == ("post_added", "direktoer-oekonomi", ("direktion",))
    assert change.describe() == "Ny stilling: «Økonomidirektør» i Direktionen"
    with english():
        assert change.describe() == "New post: “Finance Director” in Executive Board"


def test_post_removed():
    after = successor(base())
    after["posts"] = [spec for spec in after["posts"] if spec["key"] != "souschef-skole"]
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before) == ("post_removed", "souschef-skole", ("center-skole",))
    assert change.describe() == "Stillingen «Souschef» i Center for Skole nedlægges"
    with english():
        assert change.describe() == "The post “Deputy Head” in Centre for Schools is discontinued"


def test_post_changed():
    after = successor(base())
    posts_of(after)["chef-skole"].update(holder="anne", reports_to="direktoer-social")
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("post_changed", "chef-skole", ("holder", "reports_to"))
    assert (change.units_before, change.units_after) == (("center-skole",), ("center-skole",))
    assert change.describe() == "Stillingen «Skolechef» ændres: indehaver og refererer til"
    with english():
        assert change.describe() == "The post “Head of Schools” changes: holder and reports to"


def test_post_duties_changed():
    after = successor(base())
    posts_of(after)["chef-skole"]["duties"] = [{"key": "tilsyn", "name": "Tilsyn", "name_en": "Supervision"}]
    change = only_change(base(), after)
    assert (change.kind, change.fields) == ("post_changed", ("duties",))
    assert change.describe() == "Stillingen «Skolechef» ændres: ansvarsområder"
    with english():
        assert change.describe() == "The post “Head of Schools” changes: duties"


def test_committee_service_added():
    after = successor(base())
    after["committee_services"].append({"committee": "kb", "unit": "center-skole", "post": None, "role": "attends"})
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_after) == (
        "committee_service_added",
        "kb/center-skole/attends",
        ("center-skole",),
    )
    assert change.describe() == "Ny udvalgsbetjening: Center for Skole deltager i møderne i Kommunalbestyrelsen"
    with english():
        assert (
            change.describe() == "New committee service: Centre for Schools attends the meetings of Municipal Council"
        )


def test_committee_service_removed():
    after = successor(base())
    after["committee_services"] = after["committee_services"][1:]
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before) == (
        "committee_service_removed",
        "oeu/kommunaldirektoer/serves",
        (),
    )
    assert change.describe() == "Udvalgsbetjening ophører: Kommunaldirektør betjener Økonomiudvalget"
    with english():
        assert change.describe() == "Committee service ends: Chief Executive serves Finance Committee"


def test_committee_service_changed():
    after = successor(base())
    after["committee_services"][1]["post"] = "kommunaldirektoer"
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == (
        "committee_service_changed",
        "kb/direktion/secretariat",
        ("post",),
    )
    assert change.describe() == (
        "Udvalgsbetjening ændres: Direktionen (Kommunaldirektør) er sekretariat for Kommunalbestyrelsen (stilling)"
    )
    with english():
        assert change.describe() == (
            "Committee service changes: Executive Board (Chief Executive) is the secretariat of "
            "Municipal Council (post)"
        )


def test_forum_added():
    after = successor(base())
    after["forums"].append({"key": "lederforum", "name": "Lederforum", "name_en": "Leaders' Forum", "kind": "other"})
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_after) == ("forum_added", "lederforum", ())
    assert change.describe() == "Nyt forum: «Lederforum»"
    with english():
        assert change.describe() == "New forum: “Leaders' Forum”"


def test_forum_removed():
    after = successor(base())
    after["forums"] = []
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before) == ("forum_removed", "koncernledelse", ("direktion",))
    assert change.describe() == "Forummet «Koncernledelsen» nedlægges"
    with english():
        assert change.describe() == "The forum “Corporate Management Group” is discontinued"


def test_forum_changed():
    after = successor(base())
    after["forums"][0].update(member_units=["direktion", "center-skole"], frequency="hver uge")
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == (
        "forum_changed",
        "koncernledelse",
        ("member_units", "frequency"),
    )
    assert (change.units_before, change.units_after) == ((), ("center-skole",))
    assert change.describe() == "Forummet «Koncernledelsen» ændres: medlemsenheder og hyppighed"
    with english():
        assert change.describe() == "The forum “Corporate Management Group” changes: member units and frequency"


def test_network_added():
    after = successor(base())
    after["networks"].append(
        {"key": "vejnetvaerk", "name": "Vejnetværket", "name_en": "Roads network", "member_units": ["center-veje"]}
    )
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_after) == ("network_added", "vejnetvaerk", ("center-veje",))
    assert change.describe() == "Nyt netværk: «Vejnetværket»"
    with english():
        assert change.describe() == "New network: “Roads network”"


def test_network_removed():
    after = successor(base())
    after["networks"] = []
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before) == ("network_removed", "skolenetvaerk", ("center-skole",))
    assert change.describe() == "Netværket «Skolenetværket» nedlægges"
    with english():
        assert change.describe() == "The network “Schools' network” is discontinued"


def test_network_changed():
    after = successor(base())
    after["networks"][0].update(owner=None, purpose="Vidensdeling")
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("network_changed", "skolenetvaerk", ("owner", "purpose"))
    assert change.describe() == "Netværket «Skolenetværket» ændres: ejer og formål"
    with english():
        assert change.describe() == "The network “Schools' network” changes: owner and purpose"


def test_budget_added():
    after = successor(base())
    after["budget_responsibilities"].append({"level": 2, "holder": "chef-skole", "scope": "center-skole"})
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_after) == ("budget_added", "2/center-skole", ("center-skole",))
    assert change.describe() == "Nyt økonomiansvar på niveau 2 for Center for Skole: Skolechef"
    with english():
        assert change.describe() == "New budget responsibility at level 2 for Centre for Schools: Head of Schools"


def test_budget_removed():
    after = successor(base())
    after["budget_responsibilities"] = []
    change = only_change(base(), after)
    assert (change.kind, change.key, change.units_before) == ("budget_removed", "1/direktion", ("direktion",))
    assert change.describe() == "Økonomiansvaret på niveau 1 for Direktionen bortfalder"
    with english():
        assert change.describe() == "The budget responsibility at level 1 for Executive Board is discontinued"


def test_budget_changed():
    after = successor(base())
    after["budget_responsibilities"][0]["holder"] = "direktoer-teknik"
    change = only_change(base(), after)
    assert (change.kind, change.key, change.fields) == ("budget_changed", "1/direktion", ("holder",))
    assert change.describe() == "Økonomiansvaret på niveau 1 for Direktionen ændres: ansvarlig stilling"
    with english():
        assert change.describe() == "The budget responsibility at level 1 for Executive Board changes: responsible post"


def test_every_kind_has_a_test_above():
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert set(CHANGE_KINDS) <= tested


def test_groups_marks_and_json_of_a_merge():
    after = merged_roads_and_property()
    units_of(after)["skolen"]["parent"] = "center-trafik-ejendomme"
    units_of(after)["center-trafik-ejendomme"]["tasks"] = units_of(after)["center-skole"]["tasks"]
    units_of(after)["center-skole"]["tasks"] = []
    result = compare(base(), after, committees=COMMITTEES)
    assert [(heading, [change.kind for change in changes]) for heading, changes in result.groups()] == [
        ("Sammenlægninger", ["units_merged"]),
        ("Flyttede enheder", ["unit_moved"]),
        ("Opgaver der flytter", ["task_moved"]),
    ]
    assert result.marks() == {
        "before": {"center-veje": "merged", "center-ejendomme": "merged", "skolen": "moved", "center-skole": "changed"},
        "after": {"center-trafik-ejendomme": "merged", "skolen": "moved"},
    }
    data = json.loads(json.dumps(result.as_dict()))
    assert (data["before"], data["after"]) == ("2011", "2014")
    assert data["counts"]["units_merged"] == 1 and sum(data["counts"].values()) == 3
    assert data["changes"][0]["text"] == result.changes[0].describe()
    with english():
        assert [heading for heading, _ in result.groups()] == ["Mergers", "Moved units", "Tasks that move"]


def test_sentences_name_committees_by_key_without_the_municipality():
    after = successor(base())
    after["committee_services"] = after["committee_services"][1:]
    assert compare(base(), after).changes[0].describe() == "Udvalgsbetjening ophører: Kommunaldirektør betjener oeu"


# Lejre 2011 → 2014 (fixtures/lejre.yaml, source 001).


@pytest.mark.django_db
def test_lejre_2014_merges_veje_trafik_and_ejendomsdrift_and_moves_their_tasks(load_fixture):
    """001 afsnit 3 and 6: Center for Veje & Trafik and Center for Ejendomsdrift become one centre; afsnit 5:
    indkøb moves from Servicecenter Allerslev to KSU."""
    municipality = load_fixture("lejre")
    result = compare_versions(municipality, "2011", "2014")
    changes = {(change.kind, change.key): change for change in result.changes}
    merge = changes["units_merged", "center-trafik-ejendomsdrift"]
    assert merge.units_before == ("center-veje-trafik", "center-ejendomsdrift")
    assert merge.describe() == (
        "Center for Veje & Trafik og Center for Ejendomsdrift lægges sammen til Center for Trafik & Ejendomsdrift"
    )
    assert not {("unit_removed", "center-veje-trafik"), ("unit_removed", "center-ejendomsdrift")} & set(changes)
    assert ("unit_added", "center-trafik-ejendomsdrift") not in changes
    purchasing = changes["task_moved", "indkoeb"]
    assert (purchasing.units_before, purchasing.units_after) == (
        ("servicecenter-allerslev",),
        ("koncernsekretariat-udvikling",),
    )
    assert purchasing.describe() == (
        "Opgaven «Indkøb (tværgående ansvar)» flytter fra Servicecenter Allerslev til "
        "Koncernsekretariat & Udvikling (KSU)"
    )
    roads = changes["task_moved", "drift-af-veje"]
    assert roads.describe() == (
        "Opgaven «Drift af veje» flytter fra Center for Veje & Trafik til Center for Trafik & Ejendomsdrift"
    )
    split = changes["unit_split", "servicecenter-allerslev"]
    assert split.units_after == ("koncernsekretariat-udvikling", "koncernoekonomi-analyse")
    assert result.marks()["after"]["center-trafik-ejendomsdrift"] == "merged"
    assert result.marks()["before"]["servicecenter-allerslev"] == "split"
    with english():
        assert merge.describe() == (
            "Centre for Roads and Traffic and Centre for Property Operations are merged into "
            "Centre for Traffic and Property Operations"
        )
        assert roads.describe() == (
            "The task “Road operation” moves from Centre for Roads and Traffic to "
            "Centre for Traffic and Property Operations"
        )


@pytest.mark.django_db
def test_compare_versions_exports_once(load_fixture):
    municipality = load_fixture("lejre")
    with CaptureQueriesContext(connection) as export_queries:
        structure_format.export(municipality)
    with CaptureQueriesContext(connection) as compare_queries:
        compare_versions(municipality, "2011", "2014")
    assert len(compare_queries) == len(export_queries)
    with pytest.raises(OrgVersion.DoesNotExist, match="lejre has no version '2099'"):
        compare_versions(municipality, "2011", "2099")


# Properties, on plain dicts: random edits of a clone of a synthetic version.


def synthetic_version(size: int, fan_out: int) -> dict:
    return synthetic_document("egenskab", size, fan_out=fan_out)["versions"][0]


def clone(version: dict) -> dict:
    """What cloning a version gives: another key, based on it, every unit formed from itself."""
    copied = copy.deepcopy(version)
    copied["key"], copied["based_on"] = "klon", version["key"]
    for spec in copied["units"]:
        spec["formed_from"] = [spec["key"]]
    return copied


class Edits:
    """Random edits of a clone, each recording the changes it must give. Merges and splits take leaves that no
    post, service or budget row names and that no earlier edit touched; a unit gets each other edit at most once."""

    def __init__(self, version: dict, data):
        self.version, self.data = version, data
        self.units = {spec["key"]: spec for spec in version["units"]}
        self.expected: Counter = Counter()
        self.touched: set[str] = set()  # in a merge, a split or a task move: no further edits
        self.edited: set[str] = set()  # moved, renamed or given another kind: not merged or split
        self.done: set[tuple[str, str]] = set()
        self.referenced = {spec.get("unit") for spec in version["posts"]}
        self.referenced |= {row.get("unit") for row in version.get("committee_services", [])}
        self.referenced |= {row["scope"] for row in version.get("budget_responsibilities", [])}

    def draw(self, options):
        return self.data.draw(st.sampled_from(sorted(options)))

    def children(self, key: str) -> list[str]:
        return [spec["key"] for spec in self.units.values() if spec.get("parent") == key]

    def subtree(self, key: str) -> set[str]:
        found, todo = set(), [key]
        while todo:
            current = todo.pop()
            found.add(current)
            todo.extend(self.children(current))
        return found

    def continuing(self, edit: str) -> list[str]:
        return [key for key in self.units if key not in self.touched and (edit, key) not in self.done]

    def free_leaves(self) -> list[str]:
        return [
            key
            for key in self.continuing("")
            if key not in self.edited
            and self.units[key].get("parent")
            and not self.children(key)
            and key not in self.referenced
        ]

    def apply(self, edit: str) -> bool:
        return getattr(self, edit)()

    def move(self) -> bool:
        movable = [key for key in self.continuing("move") if self.units[key].get("parent")]
        if not movable:
            return False
        key = self.draw(movable)
        spec = self.units[key]
        parents = set(self.units) - self.subtree(key) - {spec["parent"]}
        if not parents:
            return False
        spec["parent"] = self.draw(parents)
        self.finish("move", key, "unit_moved")
        return True

    def rename(self) -> bool:
        if not self.continuing("rename"):
            return False
        key = self.draw(self.continuing("rename"))
        self.units[key]["name"] += " (ny)"
        self.finish("rename", key, "unit_renamed")
        return True

    def kind(self) -> bool:
        if not self.continuing("kind"):
            return False
        key = self.draw(self.continuing("kind"))
        current = self.units[key]["kind"]
        self.units[key]["kind"] = self.draw({"team", "staff", "institution", "department"} - {current})
        self.finish("kind", key, "unit_kind_changed")
        return True

    def task(self) -> bool:
        holders = [key for key in self.continuing("") if self.units[key].get("tasks")]
        if not holders:
            return False
        source = self.draw(holders)
        targets = set(self.continuing("")) - {source}
        if not targets:
            return False
        target = self.draw(targets)
        moved = self.units[source]["tasks"].pop()
        self.units[target]["tasks"].append(moved)
        self.touched |= {source, target}
        self.expected["task_moved", moved["key"]] += 1
        return True

    def merge(self) -> bool:
        leaves = self.free_leaves()
        pairs = [(a, b) for a in leaves for b in leaves if a < b and self.units[a]["parent"] == self.units[b]["parent"]]
        if not pairs:
            return False
        first, second = self.data.draw(st.sampled_from(pairs))
        key = f"sammenlagt-{first}-{second}"
        tasks = self.units[first]["tasks"] + self.units[second]["tasks"]
        self.units[key] = {
            **self.units.pop(first),
            "key": key,
            "name": "Sammenlagt",
            "formed_from": [first, second],
            "tasks": tasks,
        }
        del self.units[second]
        self.touched |= {first, second, key}
        self.expected["units_merged", key] += 1
        self.expected.update(("task_moved", spec["key"]) for spec in tasks)
        return True

    def split(self) -> bool:
        leaves = self.free_leaves()
        if not leaves:
            return False
        key = self.draw(leaves)
        old = self.units.pop(key)
        for part, tasks in (("a", old["tasks"]), ("b", [])):
            self.units[f"{key}-{part}"] = {**old, "key": f"{key}-{part}", "formed_from": [key], "tasks": tasks}
            self.touched.add(f"{key}-{part}")
        self.touched.add(key)
        self.expected["unit_split", key] += 1
        self.expected.update(("task_moved", spec["key"]) for spec in old["tasks"])
        return True

    def finish(self, edit: str, key: str, kind: str) -> None:
        self.done.add((edit, key))
        self.edited.add(key)
        self.expected[kind, key] += 1

    def result(self) -> dict:
        self.version["units"] = list(self.units.values())
        return self.version


EDITS = ("move", "rename", "kind", "task", "merge", "split")
versions = st.builds(synthetic_version, st.integers(30, 80), st.sampled_from([2, 3]))


def reported(before: dict, after: dict) -> Counter:
    return Counter((change.kind, change.key) for change in compare(before, after).changes)


def as_inverse(change: Change) -> str:
    """A change as compare(B, A) must report it, written out for comparing."""
    inverse = (
        INVERSE_KINDS[change.kind],
        change.key,
        change.after,
        change.before,
        change.units_after,
        change.units_before,
        change.fields,
    )
    return json.dumps(inverse, sort_keys=True)


def as_is(change: Change) -> str:
    fields = (change.kind, change.key, change.before, change.after, change.units_before, change.units_after)
    return json.dumps((*fields, change.fields), sort_keys=True)


def assert_inverse(before: dict, after: dict) -> None:
    forward, backward = compare(before, after).changes, compare(after, before).changes
    assert Counter(map(as_inverse, forward)) == Counter(map(as_is, backward))


@settings(max_examples=60, deadline=None)
@given(versions)
def test_a_version_compared_with_itself_or_its_clone_has_no_changes(version):
    assert compare(version, version).changes == []
    assert compare(version, clone(version)).changes == []
    assert compare(clone(version), version).changes == []


@settings(max_examples=60, deadline=None)
@given(versions, st.sampled_from(EDITS), st.data())
def test_each_edit_of_a_clone_is_reported_exactly_once(version, edit, data):
    edits = Edits(clone(version), data)
    assume(edits.apply(edit))
    edited = edits.result()
    assert reported(version, edited) == edits.expected
    assert_inverse(version, edited)


@settings(max_examples=60, deadline=None)
@given(versions, st.lists(st.sampled_from(EDITS), min_size=2, max_size=8), st.data())
def test_several_edits_of_a_clone_are_each_reported_once(version, chosen, data):
    edits = Edits(clone(version), data)
    applied = [edit for edit in chosen if edits.apply(edit)]
    assume(applied)
    edited = edits.result()
    assert reported(version, edited) == edits.expected
    assert_inverse(version, edited)


@pytest.mark.parametrize("slug", ["lejre", "albertslund", "ltk", "assens"])
def test_every_fixture_compares_inversely_between_each_version_and_its_base(slug):
    versions = {spec["key"]: spec for spec in structure_format.read_file(FIXTURES / f"{slug}.yaml").data["versions"]}
    pairs = [(versions[spec["based_on"]], spec) for spec in versions.values() if spec.get("based_on") in versions]
    assert pairs
    for before, after in pairs:
        assert compare(before, after).changes
        assert_inverse(before, after)


def test_the_merge_of_the_test_document_is_the_inverse_of_a_split(valid_document):
    before, after = valid_document.data["versions"]
    backward = {(change.kind, change.key): change for change in compare(after, before).changes}
    split = backward["unit_split", "center-trafik-ejendomme"]
    assert split.units_after == ("center-veje", "center-ejendomme")
    assert split.describe() == "Center for Trafik og Ejendomme deles i Center for Veje og Center for Ejendomme"
    assert compare(after, before).marks()["before"]["center-trafik-ejendomme"] == "split"


# The command, on tests/data/valid.yaml (2011 → 2014 merges center-veje and center-ejendomme).

TESTBY_TEXT = """\
Sammenlægninger
  Center for Veje og Center for Ejendomme lægges sammen til Center for Trafik og Ejendomme

Nye enheder
  Ny enhed: Skolen under Center for Trafik og Ejendomme

Ny leder
  Ny leder af Direktionen: Kommunaldirektør (før: ingen)

Opgaver der flytter
  Opgaven «Vejdrift» flytter fra Center for Veje til Center for Trafik og Ejendomme

Omdøbte opgaver
  Det engelske navn på opgaven «Vejdrift» i Center for Trafik og Ejendomme ændres fra «–» til «Road operations»

Stillinger
  Ny stilling: «Direktør» i Direktionen
  Ny stilling: «Centerchef» i Center for Trafik og Ejendomme
  Stillingen «Kommunaldirektør» ændres: indehaver

Udvalgsbetjening
  Ny udvalgsbetjening: Kommunaldirektør betjener Økonomiudvalget
  Ny udvalgsbetjening: Direktionen er sekretariat for Kommunalbestyrelsen

Fora
  Nyt forum: «Koncernledelsen»

Netværk
  Nyt netværk: «Konsulentnetværket»

Økonomiansvar
  Nyt økonomiansvar på niveau 1 for Direktionen: Kommunaldirektør
  Nyt økonomiansvar på niveau 2 for Center for Trafik og Ejendomme: Centerchef
"""


def run_command(*arguments) -> str:
    out = io.StringIO()
    call_command("compare_versions", *arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_grouped_sentences_in_danish(valid_document):
    structure_format.load(valid_document)
    assert run_command("testby", "2011", "2014") == TESTBY_TEXT
    assert run_command("testby", "2014", "2014") == "Ingen ændringer\n"


@pytest.mark.django_db
def test_the_command_prints_english_on_request(valid_document):
    structure_format.load(valid_document)
    text = run_command("testby", "2011", "2014", "--language", "en")
    with english():
        assert text.splitlines()[:2] == [
            "Mergers",
            "  Centre for Roads and Centre for Property are merged into Centre for Traffic and Property",
        ]
        assert "  The task “Road operations” moves from Centre for Roads to Centre for Traffic and Property" in text


@pytest.mark.django_db
def test_the_command_prints_json(valid_document):
    structure_format.load(valid_document)
    data = json.loads(run_command("testby", "2011", "2014", "--format", "json"))
    assert (data["before"], data["after"]) == ("2011", "2014")
    merge = data["changes"][0]
    assert (merge["kind"], merge["key"], merge["units_before"], merge["units_after"]) == (
        "units_merged",
        "center-trafik-ejendomme",
        ["center-veje", "center-ejendomme"],
        ["center-trafik-ejendomme"],
    )
    assert merge["text"] == "Center for Veje og Center for Ejendomme lægges sammen til Center for Trafik og Ejendomme"
    assert data["marks"]["before"] == {"center-veje": "merged", "center-ejendomme": "merged", "direktion": "changed"}
    assert data["counts"]["units_merged"] == 1 and data["counts"]["unit_removed"] == 0
    assert sum(data["counts"].values()) == len(data["changes"]) == 14


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nowhere", "2011", "2014"], "unknown municipality 'nowhere' (loaded: testby)"),
        (["testby", "2011", "2099"], "testby has no version '2099' (versions: 2011, 2014)"),
    ],
)
def test_the_command_names_an_unknown_municipality_or_version_and_exits_1(valid_document, arguments, message):
    structure_format.load(valid_document)
    with pytest.raises(CommandError) as error:
        run_command(*arguments)
    assert str(error.value) == message
    assert error.value.returncode == 1
