"""The editing services' rules, history and revert (centers/services.py): one test per validation rule, each
naming the refused field and leaving the database as it was."""

import pytest
from django.contrib.auth.models import Group, User

from centers import rules as roles
from centers import selectors, services, structure_format
from centers.models import Municipality, OrgVersion, Person, Unit
from centers.synthetic import synthetic_structure
from tests.builders import database_state, post, two_area_document, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tovby():
    return structure_format.load(two_area_document())


@pytest.fixture
def chief_executive(tovby):
    user = User.objects.create_user("karen", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.CHIEF_EXECUTIVE))
    user.municipalities.set(Municipality.objects.all())
    return user


def refused(field: str, change) -> services.EditRefused:
    """Run a change that must be refused on `field`, and check that nothing was written."""
    before = database_state()
    with pytest.raises(services.EditRefused) as excinfo:
        change()
    assert field in excinfo.value.message_dict, excinfo.value.message_dict
    assert database_state() == before
    assert selectors.tree_is_consistent(OrgVersion.objects.get(municipality__slug="tovby", key="2023"))
    return excinfo.value


# --- validation ------------------------------------------------------------------------------------------


def test_no_cycle_moving_a_unit_under_its_own_descendant(tovby, chief_executive):
    error = refused("parent", lambda: services.move_unit(unit("omraade-a"), unit("afdeling-a1"), actor=chief_executive))
    assert "under sig selv" in error.message_dict["parent"][0]


@pytest.mark.parametrize("position", ["last-child", "first-child", "left", "right"])
def test_no_cycle_moving_a_unit_onto_itself(tovby, position):
    refused("parent", lambda: services.move_unit(unit("center-a1"), unit("center-a1"), position, actor=services.SYSTEM))


def test_no_cycle_next_to_own_child(tovby):
    """Left of its own child means under itself."""
    refused("parent", lambda: services.move_unit(unit("center-a1"), unit("afdeling-a1"), "left", actor=services.SYSTEM))


def test_an_institution_holds_no_centre(tovby, chief_executive):
    error = refused("parent", lambda: services.move_unit(unit("center-b2"), unit("skole-a"), actor=chief_executive))
    assert "institution" in error.message_dict["parent"][0]


def test_an_institution_holds_no_centre_placed_next_to_its_child(tovby):
    """Any position that ends with the institution as parent is refused, not only `last-child`."""
    services.move_unit(
        unit("afdeling-b1"), unit("skole-a"), actor=services.SYSTEM
    )  # a department may sit in an institution
    refused("parent", lambda: services.move_unit(unit("center-b2"), unit("afdeling-b1"), "left", actor=services.SYSTEM))


def test_a_directorate_is_not_moved_under_anything(tovby, chief_executive):
    error = refused("parent", lambda: services.move_unit(unit("direktion"), unit("omraade-a"), actor=chief_executive))
    assert "direktion" in error.message_dict["parent"][0]


@pytest.mark.parametrize("position", ["left", "right"])
def test_only_a_directorate_is_a_root(tovby, chief_executive, position):
    """Next to the directorate is the top of a tree: a centre may not go there."""
    refused("parent", lambda: services.move_unit(unit("center-a1"), unit("direktion"), position, actor=chief_executive))


def test_the_responsible_post_is_a_director_post(tovby, chief_executive):
    error = refused(
        "responsible",
        lambda: services.set_responsible(unit("center-a1"), post("centerchef-a1"), actor=chief_executive),
    )
    assert "direktørstilling" in error.message_dict["responsible"][0]


def test_the_responsible_post_belongs_to_the_same_version(tovby, chief_executive):
    refused(
        "responsible",
        lambda: services.set_responsible(unit("center-a1"), post("direktoer-b", "2025"), actor=chief_executive),
    )


def test_a_director_post_of_the_same_version_is_accepted_as_responsible(tovby, chief_executive):
    changed = services.set_responsible(unit("center-a1"), post("direktoer-b"), actor=chief_executive)
    assert changed.responsible.key == "direktoer-b"


def test_the_head_post_belongs_to_the_unit(tovby, chief_executive):
    refused("head", lambda: services.set_head(unit("center-a1"), post("centerchef-b1"), actor=chief_executive))
    refused("head", lambda: services.set_head(unit("center-a1"), post("centerchef-a1", "2025"), actor=chief_executive))


def test_no_parent_in_another_version(tovby, chief_executive):
    error = refused(
        "parent",
        lambda: services.move_unit(unit("center-a2"), unit("omraade-b", "2025"), actor=chief_executive),
    )
    assert "samme version" in error.message_dict["parent"][0]


def test_no_parent_in_a_previous_version_either(tovby, chief_executive):
    """A target in a read-only version is a cross-version parent, named on the field."""
    refused("parent", lambda: services.move_unit(unit("center-a2"), unit("omraade-b", "2019"), actor=chief_executive))


def test_previous_versions_are_read_only(tovby, chief_executive):
    before = database_state()
    for change in (
        lambda: services.move_unit(unit("afdeling-a1", "2019"), unit("center-a2", "2019"), actor=chief_executive),
        lambda: services.rename_unit(unit("center-a1", "2019"), "Nyt navn", actor=chief_executive),
        lambda: services.set_responsible(unit("center-a1", "2019"), post("direktoer-a", "2019"), actor=services.SYSTEM),
        lambda: services.set_head(unit("center-a1", "2019"), None, actor=services.SYSTEM),
        lambda: services.assign_holder(
            post("centerchef-a1", "2019"), Person.objects.get(key="carl"), actor=services.SYSTEM
        ),
    ):
        with pytest.raises(services.NotPermitted, match="historisk"):
            change()
    assert database_state() == before


def test_unknown_position(tovby):
    error = refused(
        "position", lambda: services.move_unit(unit("afdeling-a1"), unit("center-a2"), "inside", actor=services.SYSTEM)
    )
    assert "inside" in error.message_dict["position"][0]


def test_a_unit_keeps_a_name(tovby):
    refused("name", lambda: services.rename_unit(unit("center-a1"), "   ", actor=services.SYSTEM))


def test_a_holder_from_another_municipality_is_refused(tovby, valid_document, chief_executive):
    structure_format.load(valid_document)
    anne = Person.objects.get(municipality__slug="testby", key="anne")
    refused("holder", lambda: services.assign_holder(post("centerchef-a1"), anne, actor=chief_executive))


def test_unknown_history_record(tovby):
    refused("history", lambda: services.revert_unit(unit("center-a1"), 10**9, actor=services.SYSTEM))


# --- what an accepted edit writes -------------------------------------------------------------------------


def test_a_move_keeps_the_tree_consistent_in_every_position(tovby):
    version = OrgVersion.objects.get(key="2023")
    for position, target, parent in [
        ("last-child", "center-a2", "center-a2"),
        ("first-child", "center-b1", "center-b1"),
        ("left", "skole-a", "center-a1"),
        ("right", "center-b2", "omraade-b"),
    ]:
        moved = services.move_unit(unit("afdeling-a1"), unit(target), position, actor=services.SYSTEM)
        assert moved.parent.key == parent
        assert selectors.tree_is_consistent(version)
    assert [child.key for child in unit("omraade-b").get_children()] == ["center-b1", "center-b2", "afdeling-a1"]


def test_a_move_records_who_and_why(tovby, chief_executive):
    department = unit("afdeling-a1")
    services.move_unit(department, unit("center-a2"), actor=chief_executive)
    latest = department.history.first()
    assert latest.history_user == chief_executive
    assert latest.history_change_reason == "move"
    assert latest.parent_id == unit("center-a2").pk
    assert department.history.filter(history_change_reason="move").count() == 1


def test_a_rename_records_who_and_why(tovby, chief_executive):
    centre = unit("center-a1")
    services.rename_unit(centre, "Center for Læring", "Centre for Learning", actor=chief_executive)
    latest = centre.history.first()
    assert (latest.name, latest.name_en) == ("Center for Læring", "Centre for Learning")
    assert latest.history_user == chief_executive
    assert latest.history_change_reason == "rename"


def test_an_appointment_records_who_and_why(tovby, chief_executive):
    chief = post("centerchef-a1")
    services.assign_holder(chief, Person.objects.get(key="carl"), actor=chief_executive)
    latest = chief.history.first()
    assert latest.holder.key == "carl"
    assert (latest.history_user, latest.history_change_reason) == (chief_executive, "holder")


def test_the_loaded_state_is_the_first_history_record(tovby, chief_executive):
    """Loading records every unit as it was loaded, so the first edit can be reverted."""
    department = unit("afdeling-a1")
    services.move_unit(department, unit("center-a2"), actor=chief_executive)
    records = list(department.history.order_by("history_date", "history_id"))
    assert [(record.parent_id, record.history_change_reason, record.history_user) for record in records] == [
        (unit("center-a1").pk, "load", None),
        (unit("center-a2").pk, "move", chief_executive),
    ]


def test_a_revert_to_a_deleted_parent_is_refused(tovby, chief_executive):
    department = unit("afdeling-a1")
    services.move_unit(department, unit("center-a2"), actor=chief_executive)
    loaded = department.history.get(history_change_reason="load")
    services.move_unit(unit("skole-a"), unit("center-a2"), actor=chief_executive)
    unit("center-a1").delete()
    refused("parent", lambda: services.revert_unit(unit("afdeling-a1"), loaded.history_id, actor=chief_executive))


def test_revert_the_first_move_and_a_rename(tovby, chief_executive):
    department = unit("afdeling-a1")
    services.move_unit(department, unit("center-b2"), actor=chief_executive)
    services.rename_unit(department, "Afdeling for Drift", actor=chief_executive)
    baseline = department.history.get(history_change_reason="load")

    reverted = services.revert_unit(department, baseline.history_id, actor=chief_executive)

    assert (reverted.parent.key, reverted.name) == ("center-a1", "Afdeling A1")
    assert selectors.tree_is_consistent(reverted.version)
    assert [child.key for child in unit("center-a1").get_children()] == ["skole-a", "afdeling-a1"]
    assert [child.key for child in unit("center-b2").get_children()] == []
    latest = department.history.first()
    assert (latest.history_user, latest.parent_id, latest.name) == (
        chief_executive,
        unit("center-a1").pk,
        "Afdeling A1",
    )


def test_revert_of_responsible_and_head(tovby, chief_executive):
    centre = unit("center-a1")
    services.set_responsible(centre, post("direktoer-b"), actor=chief_executive)
    services.set_head(centre, None, actor=chief_executive)
    baseline = centre.history.get(history_change_reason="load")
    reverted = services.revert_unit(centre, baseline.history_id, actor=chief_executive)
    assert reverted.responsible is None and reverted.head.key == "centerchef-a1"


def test_revert_goes_through_the_same_rules(tovby, chief_executive):
    """Reverting to a parent that has since moved under the unit would make a cycle: refused like a move."""
    centre = unit("center-a1")
    services.move_unit(centre, unit("omraade-b"), actor=chief_executive)
    services.move_unit(unit("omraade-a"), unit("center-a1"), actor=chief_executive)
    baseline = centre.history.get(history_change_reason="load")
    assert baseline.parent_id == unit("omraade-a").pk
    refused("parent", lambda: services.revert_unit(unit("center-a1"), baseline.history_id, actor=chief_executive))


def test_revert_to_a_root_is_refused(tovby):
    department = unit("afdeling-a1")
    department.parent = None
    department.save()  # a corrupt history entry: a department at the top
    record = department.history.first().history_id
    department = unit("afdeling-a1")
    services.move_unit(department, unit("center-a1"), actor=services.SYSTEM)
    refused("parent", lambda: services.revert_unit(unit("afdeling-a1"), record, actor=services.SYSTEM))


# --- cost -------------------------------------------------------------------------------------------------


# Lock (2 + the advisory lock on PostgreSQL), unit and target (2), rules (roles and municipalities once,
# portfolio), the rules of the new place (head, responsible),
# django-mptt's refresh and move (3), the save with its history record (2), the fresh unit (1), savepoint (2).
MOVE_QUERY_CEILING = 20


def test_move_unit_query_count_does_not_grow_with_the_tree(tovby, chief_executive, django_assert_max_num_queries):
    structure_format.load(synthetic_structure("syntetisk", 400))
    synthetic = OrgVersion.objects.get(municipality__slug="syntetisk")
    chief_executive.municipalities.add(synthetic.municipality)
    moves = [
        (unit("afdeling-a1"), unit("center-b2")),
        (
            Unit.objects.filter(version=synthetic, kind="department").last(),
            Unit.objects.filter(version=synthetic, kind="centre").first(),
        ),
    ]
    counts = []
    for department, target in moves:
        actor = type(chief_executive).objects.get(pk=chief_executive.pk)  # a fresh user, as in a new request
        with django_assert_max_num_queries(MOVE_QUERY_CEILING) as queries:
            services.move_unit(department, target, actor=actor)
        counts.append(len(queries))
        assert Unit.objects.get(pk=department.pk).parent_id == target.pk
        assert selectors.tree_is_consistent(department.version)
    assert counts[0] == counts[1], counts
