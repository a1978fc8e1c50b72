"""Every door leads to the same rules: actors × every write of every model × current, proposed and previous
versions, through the services and through the admin. A refused write leaves the database as it was.

Tovby (tests/builders.py) has director areas A and B in a previous (2019), a current (2023) and a proposed (2025)
version, each with governance rows that name only one area. Andeby is a second municipality. "area" writes name
only area A's units; "municipality" writes belong to the whole municipality (new or deleted units, versions,
committees, memberships, people, sources, the municipality itself).
"""

import copy
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from centers import services, structure_format
from centers.models import Duty, Municipality, OrgVersion, Person, Post, Source, Task, Unit
from governance.models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network
from tests.builders import (
    admin_form_data,
    database_state,
    post,
    role_users,
    two_area_document,
    unit,
    with_governance,
)

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "reader", "director_a", "director_b", "chief", "chief_other", "administrator")
VERSIONS = {"current": "2023", "proposed": "2025", "previous": "2019"}


def permitted(actor: str, scope: str, status: str) -> bool:
    if status == "previous":
        return False
    if actor in {"chief", "administrator"}:
        return True
    return actor == "director_a" and scope == "area"


@pytest.fixture(scope="module")
def tovby_and_users(module_db, django_db_blocker) -> dict[str, int]:
    """Tovby, Andeby and a user of every role, written once for the module (each test rolls back to them):
    the users' primary keys by actor."""
    with django_db_blocker.unblock():
        structure_format.load(with_governance(two_area_document()))
        other = two_area_document()
        other.data["municipality"] = {"slug": "andeby", "name": "Andeby Kommune", "kommunekode": 996}
        structure_format.load(other)
        users = role_users()
    return {actor: user.pk for actor, user in users.items()}


@pytest.fixture
def tovby(tovby_and_users, db):
    return Municipality.objects.get(slug="tovby")


@pytest.fixture
def actors(tovby_and_users, db):
    """Each test's own user objects (roles are cached per user object)."""
    return {"anonymous": AnonymousUser()} | {actor: User.objects.get(pk=pk) for actor, pk in tovby_and_users.items()}


def fresh(actor):
    """A new user object, as in a new request (roles are cached per user object)."""
    return actor if isinstance(actor, AnonymousUser) else User.objects.get(pk=actor.pk)


def version(key: str) -> OrgVersion:
    return OrgVersion.objects.get(municipality__slug="tovby", key=key)


def renamed(instance, field: str, value: str):
    changed = copy.copy(type(instance).objects.get(pk=instance.pk))
    setattr(changed, field, value)
    return changed


def prepare_revert(key: str) -> dict:
    centre = unit("center-a1", key)
    if version(key).is_read_only:
        for name in ("Gammelt navn", "Nyt navn"):
            centre.name = name
            centre.save()
    else:
        services.rename_unit(centre, "Gammelt navn", actor=services.SYSTEM)
        services.rename_unit(centre, "Nyt navn", actor=services.SYSTEM)
    return {"unit": centre, "record": centre.history.get(name="Gammelt navn").history_id}


def prepare_task(key: str) -> dict:
    task = Task(version=version(key), key="opgave-a", name="Opgave A", unit=unit("center-a1", key))
    if version(key).is_read_only:
        task.save()
    else:
        services.save_task(task, actor=services.SYSTEM)
    return {"task": task}


def prepare_duty(key: str) -> dict:
    duty = Duty(version=version(key), post=post("centerchef-a1", key), key="ansvar-a", name="Ansvar A")
    if version(key).is_read_only:
        duty.save()
    else:
        services.save(duty, actor=services.SYSTEM)
    return {"duty": duty}


def service_row(key: str):
    return CommitteeService.objects.get(version=version(key), unit=unit("omraade-a", key))


ADOPTED_FROM = datetime.date(2026, 1, 1)

# name: (scope, versioned, prepare(version key) -> ctx, perform(ctx, actor), took_effect(ctx))
WRITES = {
    "unit.move": (
        "area",
        True,
        lambda key: {"unit": unit("afdeling-a1", key), "target": unit("center-a2", key)},
        lambda ctx, actor: services.move_unit(ctx["unit"], ctx["target"], actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).parent_id == ctx["target"].pk,
    ),
    "unit.update": (
        "area",
        True,
        lambda key: {"unit": unit("center-a1", key)},
        lambda ctx, actor: services.update_unit(ctx["unit"], {"name": "Nyt navn", "note": "En note"}, actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).name == "Nyt navn",
    ),
    "unit.set_head": (
        "area",
        True,
        lambda key: {"unit": unit("center-a1", key)},
        lambda ctx, actor: services.set_head(ctx["unit"], None, actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).head_id is None,
    ),
    "unit.set_responsible": (
        "area",
        True,
        lambda key: {"unit": unit("center-a1", key), "post": post("direktoer-a", key)},
        lambda ctx, actor: services.set_responsible(ctx["unit"], ctx["post"], actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).responsible_id == ctx["post"].pk,
    ),
    "unit.revert": (
        "area",
        True,
        prepare_revert,
        lambda ctx, actor: services.revert_unit(ctx["unit"], ctx["record"], actor=actor),
        lambda ctx: Unit.objects.get(pk=ctx["unit"].pk).name == "Gammelt navn",
    ),
    "unit.create": (
        "municipality",
        True,
        lambda key: {"version": version(key), "parent": unit("center-a1", key)},
        lambda ctx, actor: services.create_unit(
            Unit(
                version=ctx["version"], key="ny-afdeling", name="Ny afdeling", kind="department", parent=ctx["parent"]
            ),
            actor=actor,
        ),
        lambda ctx: Unit.objects.filter(version=ctx["version"], key="ny-afdeling").exists(),
    ),
    "unit.delete": (
        "municipality",
        True,
        lambda key: {"unit": unit("skole-a", key)},
        lambda ctx, actor: services.delete_unit(ctx["unit"], actor=actor),
        lambda ctx: not Unit.objects.filter(pk=ctx["unit"].pk).exists(),
    ),
    "post.save": (
        "area",
        True,
        lambda key: {"post": post("centerchef-a1", key)},
        lambda ctx, actor: services.save_post(renamed(ctx["post"], "title", "Ny titel"), actor=actor),
        lambda ctx: Post.objects.get(pk=ctx["post"].pk).title == "Ny titel",
    ),
    "post.assign_holder": (
        "area",
        True,
        lambda key: {
            "post": post("centerchef-a1", key),
            "person": Person.objects.get(municipality__slug="tovby", key="carl"),
        },
        lambda ctx, actor: services.assign_holder(ctx["post"], ctx["person"], actor=actor),
        lambda ctx: Post.objects.get(pk=ctx["post"].pk).holder_id == ctx["person"].pk,
    ),
    "post.create": (
        "area",
        True,
        lambda key: {"version": version(key), "unit": unit("center-a1", key)},
        lambda ctx, actor: services.save_post(
            Post(version=ctx["version"], key="ny-stilling", title="Konsulent", kind="other", unit=ctx["unit"]),
            actor=actor,
        ),
        lambda ctx: Post.objects.filter(version=ctx["version"], key="ny-stilling").exists(),
    ),
    "post.delete": (
        "area",
        True,
        lambda key: {"post": post("centerchef-a1", key)},
        lambda ctx, actor: services.delete(ctx["post"], actor=actor),
        lambda ctx: not Post.objects.filter(pk=ctx["post"].pk).exists(),
    ),
    "task.create": (
        "area",
        True,
        lambda key: {"version": version(key), "unit": unit("center-a1", key)},
        lambda ctx, actor: services.save_task(
            Task(version=ctx["version"], key="ny-opgave", name="Ny opgave", unit=ctx["unit"]), actor=actor
        ),
        lambda ctx: Task.objects.filter(version=ctx["version"], key="ny-opgave").exists(),
    ),
    "task.save": (
        "area",
        True,
        prepare_task,
        lambda ctx, actor: services.save_task(renamed(ctx["task"], "name", "Omdøbt opgave"), actor=actor),
        lambda ctx: Task.objects.get(pk=ctx["task"].pk).name == "Omdøbt opgave",
    ),
    "task.delete": (
        "area",
        True,
        prepare_task,
        lambda ctx, actor: services.delete(ctx["task"], actor=actor),
        lambda ctx: not Task.objects.filter(pk=ctx["task"].pk).exists(),
    ),
    "duty.create": (
        "area",
        True,
        lambda key: {"version": version(key), "post": post("centerchef-a1", key)},
        lambda ctx, actor: services.save(
            Duty(version=ctx["version"], post=ctx["post"], key="nyt-ansvar", name="Nyt ansvar"), actor=actor
        ),
        lambda ctx: Duty.objects.filter(post=ctx["post"], key="nyt-ansvar").exists(),
    ),
    "duty.save": (
        "area",
        True,
        prepare_duty,
        lambda ctx, actor: services.save(renamed(ctx["duty"], "name", "Omdøbt ansvar"), actor=actor),
        lambda ctx: Duty.objects.get(pk=ctx["duty"].pk).name == "Omdøbt ansvar",
    ),
    "duty.delete": (
        "area",
        True,
        prepare_duty,
        lambda ctx, actor: services.delete(ctx["duty"], actor=actor),
        lambda ctx: not Duty.objects.filter(pk=ctx["duty"].pk).exists(),
    ),
    "version.save": (
        "municipality",
        True,
        lambda key: {"version": version(key)},
        lambda ctx, actor: services.save_row(renamed(ctx["version"], "label", "Ny betegnelse"), actor=actor),
        lambda ctx: OrgVersion.objects.get(pk=ctx["version"].pk).label == "Ny betegnelse",
    ),
    "version.clone": (
        "municipality",
        True,
        lambda key: {"version": version(key)},
        lambda ctx, actor: services.clone_version(ctx["version"], "udkast", actor=actor),
        lambda ctx: OrgVersion.objects.filter(municipality__slug="tovby", key="udkast", status="draft").exists(),
    ),
    "version.adopt": (
        "municipality",
        True,
        lambda key: {"version": version(key)},
        lambda ctx, actor: services.adopt_version(ctx["version"], ADOPTED_FROM, actor=actor),
        lambda ctx: OrgVersion.objects.filter(
            pk=ctx["version"].pk, status="current", effective_from=ADOPTED_FROM
        ).exists(),
    ),
    "committee_service.save": (
        "area",
        True,
        lambda key: {"row": service_row(key)},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "note", "Ny note"), actor=actor),
        lambda ctx: CommitteeService.objects.get(pk=ctx["row"].pk).note == "Ny note",
    ),
    "committee_service.create": (
        "area",
        True,
        lambda key: {"version": version(key), "unit": unit("center-a1", key)},
        lambda ctx, actor: services.save_row(
            CommitteeService(
                version=ctx["version"],
                committee=Committee.objects.get(municipality__slug="tovby", key="kb"),
                unit=ctx["unit"],
                role="attends",
            ),
            actor=actor,
        ),
        lambda ctx: CommitteeService.objects.filter(unit=ctx["unit"], role="attends").exists(),
    ),
    "committee_service.delete": (
        "area",
        True,
        lambda key: {"row": service_row(key)},
        lambda ctx, actor: services.delete(ctx["row"], actor=actor),
        lambda ctx: not CommitteeService.objects.filter(pk=ctx["row"].pk).exists(),
    ),
    "forum.save": (
        "area",
        True,
        lambda key: {"row": Forum.objects.get(version=version(key), key="forum-a")},
        lambda ctx, actor: services.save_row(
            renamed(ctx["row"], "name", "Nyt forum"),
            actor=actor,
            m2m={"member_units": list(ctx["row"].member_units.all()), "member_posts": []},
        ),
        lambda ctx: Forum.objects.get(pk=ctx["row"].pk).name == "Nyt forum",
    ),
    "network.save": (
        "area",
        True,
        lambda key: {"row": Network.objects.get(version=version(key), key="netvaerk-a")},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "name", "Nyt netværk"), actor=actor),
        lambda ctx: Network.objects.get(pk=ctx["row"].pk).name == "Nyt netværk",
    ),
    "budget.save": (
        "area",
        True,
        lambda key: {"row": BudgetResponsibility.objects.get(version=version(key), scope=unit("omraade-a", key))},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "name", "Områdebudget"), actor=actor),
        lambda ctx: BudgetResponsibility.objects.get(pk=ctx["row"].pk).name == "Områdebudget",
    ),
    "committee.save": (
        "municipality",
        False,
        lambda key: {"row": Committee.objects.get(municipality__slug="tovby", key="oeu")},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "name", "Økonomi- og Erhvervsudvalget"), actor=actor),
        lambda ctx: Committee.objects.get(pk=ctx["row"].pk).name == "Økonomi- og Erhvervsudvalget",
    ),
    "membership.create": (
        "municipality",
        False,
        lambda key: {
            "committee": Committee.objects.get(municipality__slug="tovby", key="kb"),
            "person": Person.objects.get(municipality__slug="tovby", key="pia"),
        },
        lambda ctx, actor: services.save_row(
            Membership(committee=ctx["committee"], person=ctx["person"], role="formand"), actor=actor
        ),
        lambda ctx: Membership.objects.filter(committee=ctx["committee"], role="formand").exists(),
    ),
    "person.save": (
        "municipality",
        False,
        lambda key: {"row": Person.objects.get(municipality__slug="tovby", key="carl")},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "name", "Carl Carlsen"), actor=actor),
        lambda ctx: Person.objects.get(pk=ctx["row"].pk).name == "Carl Carlsen",
    ),
    "source.save": (
        "municipality",
        False,
        lambda key: {"row": Source.objects.get(municipality__slug="tovby")},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "title", "Ny plan"), actor=actor),
        lambda ctx: Source.objects.get(pk=ctx["row"].pk).title == "Ny plan",
    ),
    "municipality.save": (
        "municipality",
        False,
        lambda key: {"row": Municipality.objects.get(slug="tovby")},
        lambda ctx, actor: services.save_row(renamed(ctx["row"], "name", "Tovby Storkommune"), actor=actor),
        lambda ctx: Municipality.objects.get(pk=ctx["row"].pk).name == "Tovby Storkommune",
    ),
}


def refusal(write: str, actor: str, scope: str, status: str) -> type[Exception] | None:
    """What the services answer a cell: None (done), NotPermitted or, for a permitted actor, EditRefused.
    A clone reads its source, so any version (a previous one too) may be cloned by whoever may add a version; a
    current version cannot be adopted (it is adopted already), whoever asks."""
    if write == "version.clone":
        return None if actor in {"chief", "administrator"} else services.NotPermitted
    if not permitted(actor, scope, status):
        return services.NotPermitted
    if write == "version.adopt" and status == "current":
        return services.EditRefused
    return None


SERVICE_CELLS = [
    (write, status)
    for write, (_scope, versioned, *_steps) in WRITES.items()
    for status in (VERSIONS if versioned else ["current"])
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("write", "status"), SERVICE_CELLS)
def test_every_write_through_the_services(actors, actor, write, status):
    scope, _versioned, prepare, perform, took_effect = WRITES[write]
    context = prepare(VERSIONS[status])
    before = database_state()
    refused = refusal(write, actor, scope, status)
    if refused is None:
        perform(context, fresh(actors[actor]))
        assert took_effect(context)
    else:
        with pytest.raises(refused):
            perform(context, fresh(actors[actor]))
        assert not took_effect(context)
        assert database_state() == before


# --- the admin door: the change form of one row of every model ---------------------------------------

ADMIN_ROWS = {
    "centers.Unit": ("area", True, lambda key: unit("center-a1", key), "name"),
    "centers.Post": ("area", True, lambda key: post("centerchef-a1", key), "title"),
    "centers.OrgVersion": ("municipality", True, version, "label"),
    "governance.CommitteeService": ("area", True, service_row, "note"),
    "governance.Forum": ("area", True, lambda key: Forum.objects.get(version=version(key), key="forum-a"), "name"),
    "governance.Network": (
        "area",
        True,
        lambda key: Network.objects.get(version=version(key), key="netvaerk-a"),
        "name",
    ),
    "governance.BudgetResponsibility": (
        "area",
        True,
        lambda key: BudgetResponsibility.objects.get(version=version(key), scope=unit("omraade-a", key)),
        "name",
    ),
    "governance.Committee": (
        "municipality",
        False,
        lambda key: Committee.objects.get(municipality__slug="tovby", key="oeu"),
        "name",
    ),
    "governance.Membership": ("municipality", False, lambda key: Membership.objects.get(role="medlem"), "role"),
    "centers.Person": (
        "municipality",
        False,
        lambda key: Person.objects.get(municipality__slug="tovby", key="carl"),
        "name",
    ),
    "centers.Source": ("municipality", False, lambda key: Source.objects.get(municipality__slug="tovby"), "title"),
    "centers.Municipality": ("municipality", False, lambda key: Municipality.objects.get(slug="tovby"), "name"),
}
ADMIN_CELLS = [
    (label, status)
    for label, (_scope, versioned, _row, _field) in ADMIN_ROWS.items()
    for status in (VERSIONS if versioned else ["current"])
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("label", "status"), ADMIN_CELLS)
def test_every_change_form_in_the_admin(actors, actor, label, status):
    scope, _versioned, row_of, field = ADMIN_ROWS[label]
    row = row_of(VERSIONS[status])
    opts = row._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
    administrator = Client()
    administrator.force_login(User.objects.create_superuser("rendering-superuser"))
    page = administrator.get(url)
    if status == "previous":  # rendered read-only: post the row's own values
        data = {name: "" if value is None else value for name, value in model_to_dict(row).items()}
    else:
        data = admin_form_data(page)
    data[field] = "Ændret i admin"
    client = Client()
    if not isinstance(actors[actor], AnonymousUser):
        client.force_login(actors[actor])
    before = database_state()
    response = client.post(url, data)
    if permitted(actor, scope, status):
        assert response.status_code == 302, (
            getattr(response, "context", None) and response.context["adminform"].form.errors
        )
        assert getattr(type(row).objects.get(pk=row.pk), field) == "Ændret i admin"
    else:
        assert response.status_code in {302, 403}
        if response.status_code == 302:  # to the login, or (a row of another municipality) to the admin index
            assert "/login/" in response["Location"] or response["Location"] == reverse("admin:index")
        assert database_state() == before


def test_a_write_without_an_actor_is_refused(tovby):
    """`actor=None` used to mean "no permission check"; a caller that forgets the actor now fails loudly."""
    before = database_state()
    with pytest.raises(TypeError):
        services.rename_unit(unit("center-a1"), "Uden aktør", actor=None)
    with pytest.raises(TypeError):
        services.save_row(renamed(version("2023"), "label", "Uden aktør"), actor=None)
    assert database_state() == before
