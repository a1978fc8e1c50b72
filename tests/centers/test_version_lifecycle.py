"""The life of an organisation version: a draft cloned from any version (services.clone_version, through the
loader's validated bulk path structure_format.add_versions) and the adoption of a draft or proposal on a date
(services.adopt_version); the default version agrees with `?dato=` of today; the commands and the admin actions
go through the same services. A refused clone or adoption writes nothing."""

import copy
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centers import rules as roles
from centers import selectors, services, structure_format
from centers.models import Duty, Municipality, OrgVersion, Person, Post, Task, Unit
from governance.models import BudgetResponsibility, CommitteeService, Forum, Network
from tests.builders import database_state, two_area_document, with_duties, with_governance

pytestmark = pytest.mark.django_db

FIXTURES = ("ltk", "lejre", "assens", "albertslund")
# What a clone does not take over from its source: who it is, and when and by whom it was decided.
ORIGIN = ("key", "label", "label_en", "status", "effective_from", "effective_to", "decided_on", "decided_by")
VERSIONED_MODELS = (Unit, Post, Task, Duty, CommitteeService, Forum, Network, BudgetResponsibility)
CHANGELIST = reverse("admin:centers_orgversion_changelist")
TODAY = timezone.localdate()
PAST, FUTURE = TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=30)


def without_origin(spec: dict) -> dict:
    """A version's export without its key, label, status, dates, decision, based_on and formed_from."""
    spec = copy.deepcopy(spec)
    for name in (*ORIGIN, "based_on"):
        spec.pop(name)
    for unit in spec["units"]:
        unit.pop("formed_from")
    return spec


def exported_version(municipality: Municipality, key: str) -> dict:
    (spec,) = (spec for spec in structure_format.export(municipality)["versions"] if spec["key"] == key)
    return spec


def make_user(username: str, role: str | None, municipality: str | None, person: str | None = None) -> User:
    user = User.objects.create_user(username, password="ikke-brugt-42", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if municipality:
        user.municipalities.add(Municipality.objects.get(slug=municipality))
    if person:
        Person.objects.filter(municipality__slug=municipality, key=person).update(user=user)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def tovby():
    """Tovby (tests/builders.py): 2019 previous (2019-01-01 to 2022-12-31), 2023 current (from 2023-01-01), 2025
    proposed; governance rows, duties and two tasks in every version. Andeby is a second municipality."""
    document = with_duties(with_governance(two_area_document()))
    for spec in document.data["versions"]:
        (centre,) = (unit for unit in spec["units"] if unit["key"] == "center-a1")
        centre["tasks"] = [{"key": "byggesager", "name": "Byggesager"}, {"key": "vejdrift", "name": "Vejdrift"}]
    municipality = structure_format.load(document)
    other = two_area_document()
    other.data["municipality"] = {"slug": "andeby", "name": "Andeby Kommune", "kommunekode": 996}
    structure_format.load(other)
    return municipality


@pytest.fixture
def users(tovby):
    return {
        "anonymous": AnonymousUser(),
        "reader": make_user("laeser", roles.READER, "tovby"),
        "director": make_user("anders", roles.DIRECTOR, "tovby", "anders"),
        "chief": make_user("karen", roles.CHIEF_EXECUTIVE, "tovby", "karen"),
        "chief_other": make_user("andeby-kd", roles.CHIEF_EXECUTIVE, "andeby"),
        "administrator": make_user("admin", roles.ADMINISTRATOR, None),
    }


def version(key: str, slug: str = "tovby") -> OrgVersion:
    return OrgVersion.objects.select_related("municipality").get(municipality__slug=slug, key=key)


def client_of(user: User, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- cloning ----------------------------------------------------------------------------------------------------


def test_a_clone_of_the_test_documents_2014_exports_as_2014_but_for_its_origin(valid_document):
    testby = structure_format.load(valid_document)
    source = exported_version(testby, "2014")

    clone = services.clone_version(version("2014", "testby"), "2015-udkast", actor=services.SYSTEM)

    exported = exported_version(testby, "2015-udkast")
    assert without_origin(exported) == without_origin(source)
    assert exported["key"] == clone.key == "2015-udkast"
    assert exported["label"] == "Udkast baseret på Organisation fra 1. maj 2014"
    assert exported["status"] == "draft"
    assert exported["based_on"] == "2014"
    assert [unit["formed_from"] for unit in exported["units"]] == [[unit["key"]] for unit in source["units"]]
    assert {name: exported[name] for name in ORIGIN[4:]} == dict.fromkeys(ORIGIN[4:])
    assert exported_version(testby, "2014") == source  # the source is untouched
    assert selectors.tree_is_consistent(clone)


@pytest.mark.parametrize("slug", FIXTURES)
def test_every_version_of_every_fixture_clones_to_a_draft_that_exports_as_it(load_fixture, slug):
    municipality = load_fixture(slug)
    before = structure_format.export(municipality)
    sources = before["versions"]
    clones = [
        services.clone_version(version(spec["key"], slug), f"udkast-{index}", actor=services.SYSTEM)
        for index, spec in enumerate(sources)
    ]

    after = structure_format.export(municipality)
    assert {name: part for name, part in after.items() if name != "versions"} == {
        name: part for name, part in before.items() if name != "versions"
    }
    assert after["versions"][: len(sources)] == sources  # only the clones were written
    for source, exported, clone in zip(sources, after["versions"][len(sources) :], clones, strict=True):
        assert without_origin(exported) == without_origin(source), source["key"]
        assert (exported["status"], exported["based_on"], exported["effective_from"]) == ("draft", source["key"], None)
        assert all(unit["formed_from"] == [unit["key"]] for unit in exported["units"])
        assert selectors.tree_is_consistent(clone)
    structure_format.validate(structure_format.Document(after, f"{slug} with its clones"))


def test_a_clone_is_a_draft_with_a_history_baseline_by_its_actor_and_editable(tovby, users):
    chief = users["chief"]
    clone = services.clone_version(version("2023"), "2027", actor=chief, label="Organisation 2027")

    assert (clone.status, clone.label, clone.label_en, clone.based_on.key) == ("draft", "Organisation 2027", "", "2023")
    for model in VERSIONED_MODELS:
        rows = model.objects.filter(version=clone).count()
        records = model.history.filter(version_id=clone.pk)
        assert rows and records.count() == rows, model
        assert set(records.values_list("history_type", "history_change_reason", "history_user")) == {
            ("+", "clone", chief.pk)
        }
    (record,) = clone.history.all()
    assert (record.history_change_reason, record.history_user) == ("clone", chief)
    # Every unit continues its namesake in 2023.
    links = Unit.formed_from.through.objects.filter(from_unit__version=clone)
    assert sorted(links.values_list("from_unit__key", "to_unit__key", "to_unit__version__key")) == sorted(
        (key, key, "2023") for key in Unit.objects.filter(version=clone).values_list("key", flat=True)
    )

    # Edited like the current version: the kommunaldirektør moves a department to the other area.
    department = Unit.objects.get(version=clone, key="afdeling-a1")
    target = Unit.objects.get(version=clone, key="center-b2")
    source_before = exported_version(tovby, "2023")
    services.move_unit(department, target, actor=chief)
    assert Unit.objects.get(pk=department.pk).parent_id == target.pk
    assert selectors.tree_is_consistent(clone)
    assert exported_version(tovby, "2023") == source_before
    assert Unit.history.filter(id=department.pk).latest().history_change_reason == "move"


def test_a_previous_version_can_be_cloned_and_the_draft_is_editable(tovby, users):
    clone = services.clone_version(version("2019"), "genbrug-2019", actor=users["administrator"])
    assert clone.status == "draft" and not clone.is_read_only
    assert clone.label == "Udkast baseret på Organisation 2019"
    assert without_origin(exported_version(tovby, "genbrug-2019")) == without_origin(exported_version(tovby, "2019"))
    services.rename_unit(Unit.objects.get(version=clone, key="center-a1"), "Center Ny", actor=users["chief"])


@pytest.mark.parametrize(
    ("actor", "new_key", "refused", "message"),
    [
        ("director", "udkast", services.NotPermitted, "Din rolle (Direktør) giver ikke ret til at oprette"),
        ("reader", "udkast", services.NotPermitted, "Din rolle (Læser) giver ikke ret til at oprette"),
        ("chief_other", "udkast", services.NotPermitted, "Du kan kun ændre i din egen kommune: Andeby Kommune."),
        ("anonymous", "udkast", services.NotPermitted, "Log ind for at ændre organisationen."),
        ("chief", "2025", services.EditRefused, "Nøglen «2025» er allerede brugt af en version i kommunen."),
        ("chief", "personer", services.EditRefused, "«personer» er forbeholdt"),
        ("chief", "Nyt udkast", services.EditRefused, "Nøglen må kun bestå af små bogstaver (a–z)"),
        ("chief", "u" * 51, services.EditRefused, "højst have 50 tegn"),
    ],
    ids=["director", "reader", "other-municipality", "anonymous", "key-taken", "reserved-key", "bad-key", "long-key"],
)
def test_a_refused_clone_writes_nothing(tovby, users, actor, new_key, refused, message):
    before = database_state()
    with pytest.raises(refused) as error:
        services.clone_version(version("2023"), new_key, actor=users[actor])
    assert message in " ".join(getattr(error.value, "messages", [str(error.value)]))
    assert database_state() == before


def test_a_clone_without_an_actor_is_refused(tovby):
    before = database_state()
    with pytest.raises(TypeError):
        services.clone_version(version("2023"), "udkast", actor=None)
    with pytest.raises(TypeError):
        services.adopt_version(version("2025"), FUTURE, actor=None)
    assert database_state() == before


# --- add_versions: the loader's path for new versions ----------------------------------------------------------


def draft_spec(document: dict, source: str, key: str, **changes) -> dict:
    (spec,) = (copy.deepcopy(spec) for spec in document["versions"] if spec["key"] == source)
    spec.update({"key": key, "label": f"Udkast {key}", "status": "draft", "based_on": source, **changes})
    for unit in spec["units"]:
        unit["formed_from"] = [unit["key"]]
    return spec


def test_add_versions_writes_only_the_new_versions_which_may_build_on_each_other(tovby):
    data = structure_format.export(tovby)
    before = copy.deepcopy(data)
    data["versions"].append(draft_spec(data, "2023", "trin-1"))
    second = draft_spec(data, "2023", "trin-2", based_on="trin-1")
    second["units"] = [unit for unit in second["units"] if unit["key"] != "skole-a"]
    second["budget_responsibilities"] = []
    data["versions"].append(second)

    added = structure_format.add_versions(tovby, structure_format.Document(data, "tovby+2"), ["trin-1", "trin-2"])

    assert [row.key for row in added] == ["trin-1", "trin-2"]
    after = structure_format.export(tovby)
    assert after["versions"][:3] == before["versions"]
    assert after["versions"][3:] == data["versions"][3:]
    links = Unit.formed_from.through.objects.filter(from_unit__version__key="trin-2", from_unit__key="center-a1")
    assert list(links.values_list("to_unit__version__key", "to_unit__key")) == [("trin-1", "center-a1")]
    assert set(Unit.history.filter(version_id__in=[row.pk for row in added]).values_list("history_change_reason")) == {
        ("load",)
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data["people"].append({"key": "ny", "name": "Ny Person", "note": None}), "people: differs"),
        (lambda data: data["versions"][1].update(label="Ændret"), "versions[1]: differs from the stored version"),
        (lambda data: data["versions"].pop(2), "the stored version '2025' is missing"),
        (lambda data: data["versions"][-1].update(key="2025"), "duplicate version key '2025'"),
        (lambda data: data["versions"][-1]["units"][1].update(parent="ukendt"), "unknown unit 'ukendt'"),
    ],
    ids=["other-people", "stale-version", "missing-version", "existing-key", "invalid"],
)
def test_add_versions_refuses_a_document_that_is_not_the_stored_one_plus_valid_versions(tovby, change, message):
    data = structure_format.export(tovby)
    data["versions"].append(draft_spec(data, "2023", "udkast"))
    change(data)
    before = database_state()
    with pytest.raises(structure_format.StructureInvalid) as error:
        structure_format.add_versions(tovby, structure_format.Document(data, "tovby+udkast"), ["udkast"])
    assert message in str(error.value)
    assert database_state() == before


def test_add_versions_refuses_a_key_that_exists_or_is_not_in_the_document(tovby):
    data = structure_format.export(tovby)
    before = database_state()
    for keys, message in ((["2023"], "version '2023' already exists"), (["nyt"], "there is no version 'nyt'")):
        with pytest.raises(structure_format.StructureInvalid) as error:
            structure_format.add_versions(tovby, structure_format.Document(data, "tovby"), keys)
        assert message in str(error.value)
    assert database_state() == before


# --- adoption ---------------------------------------------------------------------------------------------------


def assert_default_is_in_force_today(municipality: Municipality) -> OrgVersion:
    municipality = Municipality.objects.get(pk=municipality.pk)
    shown = selectors.default_version(municipality)
    assert shown == selectors.version_in_force(municipality, TODAY) == selectors.version_on(municipality, TODAY).version
    return shown


@pytest.mark.parametrize("effective_from", [PAST, FUTURE], ids=["past", "future"])
def test_adopting_a_clone_makes_it_current_and_ends_the_current_version_the_day_before(tovby, users, effective_from):
    chief = users["chief"]
    draft = services.clone_version(version("2023"), "2027", actor=chief, label="Organisation 2027")
    assert assert_default_is_in_force_today(tovby).key == "2023"

    adopted = services.adopt_version(
        draft, effective_from, actor=chief, decided_on=datetime.date(2026, 11, 30), decided_by=" Kommunalbestyrelsen "
    )

    old, new = version("2023"), version("2027")
    assert adopted == new
    assert (new.status, new.effective_from, new.effective_to) == ("current", effective_from, None)
    assert (new.decided_on, new.decided_by) == (datetime.date(2026, 11, 30), "Kommunalbestyrelsen")
    assert (old.status, old.effective_from) == ("previous", datetime.date(2023, 1, 1))
    assert old.effective_to == effective_from - datetime.timedelta(days=1)
    assert OrgVersion.objects.filter(municipality=tovby, status="current").get() == new
    for row in (old, new):
        record = row.history.latest()
        assert (record.history_type, record.history_change_reason, record.history_user) == ("~", "adopt", chief)
    # Until the new organisation applies, the old one is shown first; from then on the new one.
    shown = assert_default_is_in_force_today(tovby)
    assert shown.key == ("2027" if effective_from <= TODAY else "2023")
    assert selectors.version_in_force(tovby, effective_from) == new
    assert selectors.version_in_force(tovby, effective_from - datetime.timedelta(days=1)) == old
    response = Client().get(reverse("centers:municipality", args=["tovby"]))
    assert response["Location"] == reverse("centers:chart", args=["tovby", shown.key])


def test_adopting_a_proposal_records_today_and_keeps_its_decision_maker(tovby, users):
    OrgVersion.objects.filter(pk=version("2025").pk).update(decided_by="Byrådet")
    services.adopt_version(version("2025"), datetime.date(2025, 1, 1), actor=users["administrator"])
    adopted = version("2025")
    assert (adopted.status, adopted.decided_on, adopted.decided_by) == ("current", TODAY, "Byrådet")
    assert version("2023").effective_to == datetime.date(2024, 12, 31)
    assert assert_default_is_in_force_today(tovby) == adopted


def test_the_old_version_may_last_a_single_day(tovby, users):
    services.adopt_version(version("2025"), datetime.date(2023, 1, 2), actor=users["chief"])
    old = version("2023")
    assert (old.effective_from, old.effective_to) == (datetime.date(2023, 1, 1), datetime.date(2023, 1, 1))


def test_without_a_current_version_the_adopted_one_is_simply_current(valid_document):
    valid_document.data["versions"][1]["status"] = "proposed"
    testby = structure_format.load(valid_document)
    services.adopt_version(version("2014", "testby"), datetime.date(2014, 5, 1), actor=services.SYSTEM)
    assert list(testby.versions.order_by("key").values_list("key", "status", "effective_to")) == [
        ("2011", "previous", datetime.date(2014, 4, 30)),
        ("2014", "current", None),
    ]


@pytest.mark.parametrize(
    ("actor", "key", "effective_from", "refused", "message"),
    [
        ("director", "2025", FUTURE, services.NotPermitted, "Kun kommunens kommunaldirektør eller en administrator"),
        ("reader", "2025", FUTURE, services.NotPermitted, "Kun kommunens kommunaldirektør eller en administrator"),
        ("chief_other", "2025", FUTURE, services.NotPermitted, "Du kan kun ændre i din egen kommune: Andeby"),
        ("anonymous", "2025", FUTURE, services.NotPermitted, "Log ind for at ændre organisationen."),
        ("chief", "2019", FUTURE, services.NotPermitted, "Versionen «Organisation 2019» er historisk"),
        ("administrator", "2023", FUTURE, services.EditRefused, "«Organisation 2023» er allerede den gældende"),
        ("chief", "2025", datetime.date(2022, 6, 1), services.EditRefused, "vælg en dato efter 1. januar 2023"),
        ("chief", "2025", datetime.date(2023, 1, 1), services.EditRefused, "skal slutte dagen før den nye"),
        ("chief", "2025", None, services.EditRefused, "Angiv den dato, organisationen gælder fra."),
    ],
    ids=[
        "director",
        "reader",
        "other-municipality",
        "anonymous",
        "previous",
        "current",
        "before-the-old-start",
        "on-the-old-start",
        "no-date",
    ],
)
def test_a_refused_adoption_changes_nothing(tovby, users, actor, key, effective_from, refused, message):
    before = database_state()
    with pytest.raises(refused) as error:
        services.adopt_version(version(key), effective_from, actor=users[actor])
    assert message in " ".join(getattr(error.value, "messages", [str(error.value)]))
    assert database_state() == before


def test_a_decision_maker_too_long_for_its_column_is_refused(tovby, users):
    before = database_state()
    with pytest.raises(services.EditRefused) as error:
        services.adopt_version(version("2025"), FUTURE, actor=users["chief"], decided_by="K" * 201)
    assert "decided_by" in error.value.message_dict
    assert database_state() == before


def test_the_generic_save_still_refuses_a_status_change(tovby, users):
    """Adoption is the one path that changes a status; saving a version with another status stays refused."""
    proposal = version("2025")
    proposal.status = "current"
    before = database_state()
    with pytest.raises(services.EditRefused, match="Status ændres kun ved vedtagelse"):
        services.save_row(proposal, actor=users["chief"])
    assert database_state() == before


def test_default_version_is_the_current_one_when_no_decided_version_covers_today(valid_document):
    """2011 ended in 2014; a current 2014 that starts after today covers nothing yet: it is still shown first."""
    valid_document.data["versions"][1]["effective_from"] = FUTURE.isoformat()
    testby = structure_format.load(valid_document)
    assert selectors.version_in_force(testby, TODAY) is None
    assert selectors.default_version(testby).key == "2014"


@pytest.mark.parametrize("slug", FIXTURES)
def test_every_fixture_opens_on_the_version_in_force_today(load_fixture, slug):
    municipality = load_fixture(slug)
    if selectors.version_in_force(municipality, TODAY) is not None:
        assert_default_is_in_force_today(municipality)
    else:
        assert selectors.default_version(municipality).status == "current"


# --- the commands -----------------------------------------------------------------------------------------------


def test_the_clone_version_command_makes_a_draft(tovby):
    out = io.StringIO()
    call_command("clone_version", "tovby", "2023", "2027", "--label", "Organisation 2027", stdout=out)
    assert (
        out.getvalue()
        == "tovby: made draft '2027' (Organisation 2027) from version '2023': 11 units, 5 posts, 2 tasks\n"
    )
    clone = version("2027")
    assert (clone.status, clone.based_on.key) == ("draft", "2023")
    assert clone.history.get().history_user is None  # the system


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["tovby", "2023", "2025"], "tovby: version '2025' was not made: Nøglen «2025» er allerede brugt"),
        (["tovby", "2023", "personer"], "«personer» er forbeholdt"),
        (["tovby", "1999", "udkast"], "tovby has no version '1999'; its versions: 2019, 2023, 2025"),
        (["nowhere", "2023", "udkast"], "unknown municipality 'nowhere'"),
    ],
    ids=["key-taken", "reserved-key", "unknown-version", "unknown-municipality"],
)
def test_a_refused_clone_version_command_exits_1_and_writes_nothing(tovby, arguments, message):
    before = database_state()
    with pytest.raises(CommandError) as error:
        call_command("clone_version", *arguments, stdout=io.StringIO())
    assert message in str(error.value)
    assert error.value.returncode == 1
    assert database_state() == before


def test_the_adopt_version_command_adopts_from_a_date(tovby):
    out = io.StringIO()
    call_command(
        "adopt_version",
        "tovby",
        "2025",
        "--fra",
        "2027-01-01",
        "--besluttet-den",
        "2026-11-30",
        "--besluttet-af",
        "Kommunalbestyrelsen",
        stdout=out,
    )
    assert out.getvalue().splitlines() == [
        "tovby: version '2025' (Forslag 2025) is current from 2027-01-01, decided on 2026-11-30 by Kommunalbestyrelsen",
        "tovby: version '2023' (Organisation 2023) is previous, ending 2026-12-31",
    ]
    assert version("2025").history.latest().history_change_reason == "adopt"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["tovby", "2023", "--fra", "2027-01-01"], "version '2023' was not adopted: «Organisation 2023» er allerede"),
        (["tovby", "2019", "--fra", "2027-01-01"], "Versionen «Organisation 2019» er historisk"),
        (["tovby", "2025", "--fra", "2022-01-01"], "vælg en dato efter 1. januar 2023"),
        (["tovby", "2025", "--fra", "1. januar 2027"], "bad date '1. januar 2027': write it as YYYY-MM-DD"),
        (["tovby", "2025", "--fra", "2027-01-01", "--besluttet-den", "i går"], "bad date 'i går'"),
        (["tovby", "2030", "--fra", "2027-01-01"], "tovby has no version '2030'"),
    ],
    ids=["current", "previous", "before-the-old-start", "bad-date", "bad-decision-date", "unknown-version"],
)
def test_a_refused_adopt_version_command_exits_1_and_writes_nothing(tovby, arguments, message):
    before = database_state()
    with pytest.raises(CommandError) as error:
        call_command("adopt_version", *arguments, stdout=io.StringIO())
    assert message in str(error.value)
    assert error.value.returncode == 1
    assert database_state() == before


# --- the admin actions ------------------------------------------------------------------------------------------


def run_action(client: Client, action: str, row: OrgVersion, **answer):
    data = {"action": action, "_selected_action": [row.pk]}
    return client.post(CHANGELIST, {**data, "apply": "1", **answer} if answer else data)


def test_the_clone_action_asks_for_key_and_label_then_makes_the_draft(tovby, users):
    chief = client_of(users["chief"])
    before = database_state()
    page = run_action(chief, "clone", version("2023"))
    assert page.status_code == 200
    assert [template.name for template in page.templates][0] == "admin/centers/orgversion/clone_form.html"
    html = page.content.decode()
    assert "Lav udkast ud fra «Organisation 2023»" in html
    assert "dens 11 enheder med stillinger, opgaver, udvalgsbetjening, fora, netværk og økonomiansvar" in html
    assert 'value="Udkast baseret på Organisation 2023"' in html
    assert database_state() == before

    done = run_action(chief, "clone", version("2023"), key="2027", label="Organisation 2027")
    clone = version("2027")
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:centers_orgversion_change", args=[clone.pk])
    assert messages_of(done) == ["Udkastet «Organisation 2027» er oprettet ud fra «Organisation 2023» med 11 enheder."]
    assert clone.history.get().history_user == users["chief"]


def test_a_refused_clone_action_says_why_and_writes_nothing(tovby, users):
    chief = client_of(users["chief"])
    before = database_state()
    refused = run_action(chief, "clone", version("2023"), key="2025", label="Igen")
    assert refused.status_code == 200  # the page again, the reason on the field and as a message
    assert messages_of(refused) == ["Nøglen «2025» er allerede brugt af en version i kommunen."]
    assert refused.context["form"].errors["key"] == ["Nøglen «2025» er allerede brugt af en version i kommunen."]
    assert database_state() == before


def test_the_version_actions_are_csrf_protected_and_offered_only_to_who_may_use_them(tovby, users):
    csrf_checked = client_of(users["chief"], enforce_csrf_checks=True)
    before = database_state()
    assert run_action(csrf_checked, "clone", version("2023"), key="2027", label="Udkast").status_code == 403
    assert run_action(csrf_checked, "adopt", version("2025"), effective_from=FUTURE.isoformat()).status_code == 403
    assert database_state() == before

    chief_page = client_of(users["chief"]).get(CHANGELIST).content.decode()
    assert 'value="clone"' in chief_page and 'value="adopt"' in chief_page
    for actor in ("director", "reader"):
        client = client_of(users[actor])
        page = client.get(CHANGELIST)
        assert page.status_code == 200
        assert 'value="clone"' not in page.content.decode() and 'value="adopt"' not in page.content.decode()
        # A forged action is not one of theirs: the list is shown again, and nothing is done.
        assert run_action(client, "adopt", version("2025"), effective_from=PAST.isoformat()).status_code == 200
        assert run_action(client, "clone", version("2023"), key="2027", label="Udkast").status_code == 200
    assert database_state() == before


def test_the_adopt_action_says_what_becomes_of_the_current_version_then_adopts(tovby, users):
    chief = client_of(users["chief"])
    before = database_state()
    page = run_action(chief, "adopt", version("2025"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "«Forslag 2025» bliver den gældende version fra den dato, du angiver." in html
    assert (
        "Den gældende version, «Organisation 2023» (gældende fra 1. januar 2023), bliver en tidligere version, der "
        "gælder til og med dagen før; som tidligere version kan den ikke længere ændres." in html
    )
    assert database_state() == before

    done = run_action(
        chief,
        "adopt",
        version("2025"),
        effective_from="2027-01-01",
        decided_on="2026-11-30",
        decided_by="Kommunalbestyrelsen",
    )
    assert done.status_code == 302
    assert messages_of(done) == [
        "«Forslag 2025» er vedtaget og gælder fra 1. januar 2027. «Organisation 2023» er nu en tidligere version, "
        "der gælder til og med 31. december 2026."
    ]
    adopted, old = version("2025"), version("2023")
    assert (adopted.status, adopted.effective_from, adopted.decided_on, adopted.decided_by) == (
        "current",
        datetime.date(2027, 1, 1),
        datetime.date(2026, 11, 30),
        "Kommunalbestyrelsen",
    )
    assert (old.status, old.effective_to) == ("previous", datetime.date(2026, 12, 31))
    assert adopted.history.latest().history_user == users["chief"]


def test_a_refused_adopt_action_says_why_and_changes_nothing(tovby, users):
    chief = client_of(users["chief"])
    before = database_state()
    current = run_action(chief, "adopt", version("2023"))
    assert current.status_code == 302
    assert messages_of(current) == ["«Organisation 2023» er allerede den gældende version."]
    too_early = run_action(chief, "adopt", version("2025"), effective_from="2022-06-01")
    assert too_early.status_code == 200
    message = messages_of(too_early)[-1]
    assert message.endswith("vælg en dato efter 1. januar 2023.")
    assert too_early.context["form"].errors["effective_from"] == [message]
    several = chief.post(CHANGELIST, {"action": "adopt", "_selected_action": [version("2025").pk, version("2023").pk]})
    assert messages_of(several) == ["Vælg netop én version for at bruge handlingen."]
    assert database_state() == before
