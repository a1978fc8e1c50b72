"""Who may do what: actors × actions on the editing services and on the rules (centers/rules.py).

The structure has two director areas, A and B, whose responsible directors are different people linked to
different users. A director changes only their own area; the kommunaldirektør changes both; readers and
anonymous visitors change nothing; nobody changes a previous version. Every refused change leaves the database
as it was. (Reading has no service: the public pages need no login, so `view` is checked on the rules only.)
"""

import factory
import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from centers import rules as roles
from centers import selectors, services, structure_format
from centers.models import Municipality, OrgVersion, Person, Post, Unit
from tests.builders import AREAS, database_state, two_area_document, unit

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "reader", "director_a", "director_b", "chief_executive")
ACTIONS = ("move", "rename", "assign_chief", "revert")
# The areas in which an actor's changes go through; every other change is refused.
MAY_CHANGE = {
    "anonymous": set(),
    "reader": set(),
    "director_a": {"a"},
    "director_b": {"b"},
    "chief_executive": {"a", "b"},
}
MAY_VIEW = {"anonymous": False, "reader": True, "director_a": True, "director_b": True, "chief_executive": True}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger-{n}")
    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))
            user.municipalities.set(Municipality.objects.all())

    @factory.post_generation
    def person(user, create, extracted, **kwargs):
        if extracted:
            extracted.user = user
            extracted.save(update_fields=["user"])


@pytest.fixture
def tovby():
    return structure_format.load(two_area_document())


@pytest.fixture
def actors(tovby):
    people = {person.key: person for person in Person.objects.filter(municipality=tovby)}
    return {
        "anonymous": AnonymousUser(),
        "reader": UserFactory(username="laeser", role=roles.READER),
        "director_a": UserFactory(username="anders", role=roles.DIRECTOR, person=people["anders"]),
        "director_b": UserFactory(username="bente", role=roles.DIRECTOR, person=people["bente"]),
        "chief_executive": UserFactory(username="karen", role=roles.CHIEF_EXECUTIVE, person=people["karen"]),
    }


# Each action: prepare (as the system, before the actor acts) → perform as the actor → did it take effect?


def prepare_revert(area: str, version: str) -> dict:
    centre = unit(f"center-{area}1", version)
    if OrgVersion.objects.get(municipality__slug="tovby", key=version).is_read_only:
        for name in ("Gammelt navn", "Nyt navn"):  # history from before the version became read-only
            centre.name = name
            centre.save()
    else:
        services.rename_unit(centre, "Gammelt navn", actor=services.SYSTEM)
        services.rename_unit(centre, "Nyt navn", actor=services.SYSTEM)
    return {"centre": centre, "record": centre.history.get(name="Gammelt navn").history_id}


ACTION_STEPS = {
    "move": (
        lambda area, version: {"unit": unit(f"afdeling-{area}1", version), "target": unit(f"center-{area}2", version)},
        lambda ctx, actor: services.move_unit(ctx["unit"], ctx["target"], actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).parent_id == ctx["target"].pk,
    ),
    "rename": (
        lambda area, version: {"unit": unit(f"center-{area}1", version)},
        lambda ctx, actor: services.rename_unit(ctx["unit"], "Omdøbt center", actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).name == "Omdøbt center",
    ),
    "assign_chief": (
        lambda area, version: {"post": unit(f"center-{area}1", version).head, "person": Person.objects.get(key="carl")},
        lambda ctx, actor: services.assign_holder(ctx["post"], ctx["person"], actor=actor),
        lambda ctx: Post.objects.get(pk=ctx["post"].pk).holder_id == ctx["person"].pk,
    ),
    "revert": (
        prepare_revert,
        lambda ctx, actor: services.revert_unit(ctx["centre"], ctx["record"], actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["centre"].pk).name == "Gammelt navn",
    ),
}


def rule_checks(action: str, area: str, version: str = "2023") -> list[tuple[str, object]]:
    """The (permission, object) pairs an action needs, as the admin and the services ask them."""
    centre = unit(f"center-{area}1", version)
    return {
        "view": [("centers.view_unit", centre)],
        "move": [
            ("centers.change_unit", unit(f"afdeling-{area}1", version)),
            ("centers.change_unit", unit(f"center-{area}2", version)),
        ],
        "rename": [("centers.change_unit", centre)],
        "assign_chief": [("centers.change_post", centre.head)],
        "revert": [("centers.change_unit", centre)],
    }[action]


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ACTORS)
def test_service_permission_matrix(actors, actor, action, area):
    prepare, perform, took_effect = ACTION_STEPS[action]
    context = prepare(area, "2023")
    before = database_state()
    if area in MAY_CHANGE[actor]:
        perform(context, actors[actor])
        assert took_effect(context)
        assert selectors.tree_is_consistent(OrgVersion.objects.get(key="2023"))
    else:
        with pytest.raises(services.NotPermitted):
            perform(context, actors[actor])
        assert not took_effect(context)
        assert database_state() == before


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("action", ("view", *ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
def test_rule_permission_matrix(actors, actor, action, area):
    allowed = MAY_VIEW[actor] if action == "view" else area in MAY_CHANGE[actor]
    user = actors[actor]
    assert [user.has_perm(perm, obj) for perm, obj in rule_checks(action, area)] == [allowed] * len(
        rule_checks(action, area)
    )


def test_director_cannot_move_own_unit_under_other_area(actors):
    department, foreign = unit("afdeling-a1"), unit("center-b1")
    before = database_state()
    with pytest.raises(services.NotPermitted):
        services.move_unit(department, foreign, actor=actors["director_a"])
    with pytest.raises(services.NotPermitted):
        services.move_unit(department, foreign, "left", actor=actors["director_a"])
    assert database_state() == before
    assert actors["director_a"].has_perm("centers.change_unit", department)
    assert not actors["director_a"].has_perm("centers.change_unit", foreign)


def test_director_cannot_pull_a_unit_of_other_area_into_own(actors):
    before = database_state()
    with pytest.raises(services.NotPermitted):
        services.move_unit(unit("afdeling-b1"), unit("center-a2"), actor=actors["director_a"])
    assert database_state() == before


def test_director_cannot_move_own_area_out_from_under_the_directorate(actors):
    """The area itself is in the director's portfolio; Direktionen, its parent, is not."""
    before = database_state()
    with pytest.raises(services.NotPermitted):
        services.move_unit(unit("omraade-a"), unit("omraade-b"), "right", actor=actors["director_a"])
    assert database_state() == before


def test_kommunaldirektoer_moves_across_areas(actors):
    moved = services.move_unit(unit("center-a2"), unit("omraade-b"), actor=actors["chief_executive"])
    assert moved.parent.key == "omraade-b"
    assert selectors.tree_is_consistent(moved.version)


def test_portfolio_follows_a_move_into_the_area(actors):
    """A unit moved into area A by the kommunaldirektør becomes director A's to change, and no longer B's."""
    department = unit("afdeling-b1")
    assert not actors["director_a"].has_perm("centers.change_unit", department)
    services.move_unit(department, unit("center-a2"), actor=actors["chief_executive"])
    department = unit("afdeling-b1")
    assert actors["director_a"].has_perm("centers.change_unit", department)
    assert not actors["director_b"].has_perm("centers.change_unit", department)
    services.rename_unit(department, "Afdeling flyttet til A", actor=actors["director_a"])
    assert unit("afdeling-b1").name == "Afdeling flyttet til A"


def test_director_without_a_linked_person_changes_nothing(tovby):
    user = UserFactory(username="uden-person", role=roles.DIRECTOR)
    before = database_state()
    with pytest.raises(services.NotPermitted):
        services.rename_unit(unit("center-a1"), "Forsøg", actor=user)
    assert database_state() == before
    assert user.has_perm("centers.view_unit", unit("center-a1"))


def test_director_of_a_proposed_version_area_may_change_it(actors):
    """Proposed versions are editable; Anders holds the area A post there too."""
    renamed = services.rename_unit(unit("center-a1", "2025"), "Foreslået center", actor=actors["director_a"])
    assert renamed.name == "Foreslået center"
    with pytest.raises(services.NotPermitted):
        services.rename_unit(unit("center-b1", "2025"), "Foreslået center", actor=actors["director_a"])


@pytest.fixture
def superuser(tovby):
    return User.objects.create_superuser("superbruger", password="x")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", ("superuser", "chief_executive", "director_a"))
def test_nobody_changes_a_previous_version(actors, superuser, actor, action):
    user = superuser if actor == "superuser" else actors[actor]
    prepare, perform, took_effect = ACTION_STEPS[action]
    context = prepare("a", "2019")
    before = database_state()
    with pytest.raises(services.NotPermitted):
        perform(context, user)
    assert not took_effect(context)
    assert database_state() == before


@pytest.mark.parametrize("action", ("move", "rename", "assign_chief", "revert"))
@pytest.mark.parametrize("actor", ("chief_executive", "director_a"))
def test_rules_refuse_changes_to_a_previous_version(actors, actor, action):
    """(An active superuser passes every `has_perm` in Django itself; for them the services are the guard.)"""
    user = actors[actor]
    assert [user.has_perm(perm, obj) for perm, obj in rule_checks(action, "a", "2019")] == [False] * len(
        rule_checks(action, "a", "2019")
    )
    assert user.has_perm("centers.view_unit", unit("center-a1", "2019"))


def test_refused_for_the_system_too_on_a_previous_version(tovby):
    """Without an actor (commands, loaders) a previous version is still read-only."""
    before = database_state()
    with pytest.raises(services.NotPermitted):
        services.move_unit(unit("afdeling-a1", "2019"), unit("center-a2", "2019"), actor=services.SYSTEM)
    assert database_state() == before
