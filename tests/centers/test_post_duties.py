"""The duties of a post (`posts[].duties` in the structure format): loaded, exported only where a post has some,
refused with file, line and path when malformed, edited through the services within a director's portfolio."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centers import rules as roles
from centers import services, structure_format
from centers.models import Duty, Municipality, OrgVersion, Person
from tests.builders import post, two_area_document, with_duties

pytestmark = pytest.mark.django_db

POST_KEYS = ["key", "title", "title_en", "kind", "unit", "holder", "reports_to", "duties", "source", "note"]


def exported_text(fmt: str, slug: str = "tovby", version_key: str | None = None) -> str:
    return structure_format.dump(structure_format.export(Municipality.objects.get(slug=slug), version_key), fmt)


def exported_posts(document: dict) -> list[dict]:
    return [spec_post for version in document["versions"] for spec_post in version["posts"]]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Municipality, OrgVersion, Duty, Duty.history.model)}


def refuse(tmp_path, text: str) -> str:
    """Load `text` over the loaded Tovby with --replace; return the error, asserting that nothing changed."""
    before = (row_counts(), exported_text("yaml"))
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(path), "--replace", stdout=io.StringIO())
    assert (row_counts(), exported_text("yaml")) == before
    return str(raised.value)


def current_version(document: structure_format.Document) -> dict:
    return next(version for version in document.data["versions"] if version["key"] == "2023")


def current_post(document: structure_format.Document, key: str) -> dict:
    return next(spec for spec in current_version(document)["posts"] if spec["key"] == key)


def test_a_document_with_duties_loads_them_on_their_posts():
    structure_format.load(with_duties(two_area_document()))
    head = post("centerchef-a1")
    assert list(head.duties.values_list("key", "name", "name_en", "source", "note")) == [
        ("ansvar-1", "Ansvar nr. 1", "Responsibility no. 1", "002 afsnit 4.1", ""),
        ("ansvar-2", "Ansvar nr. 2", "Responsibility no. 2", "002 afsnit 4.2", ""),
    ]
    assert set(head.duties.values_list("version_id", flat=True)) == {head.version_id}
    director = post("direktoer-a")
    assert list(director.duties.values_list("key", "name", "name_en", "source")) == [
        ("personaleansvar", "Personaleansvar for centercheferne", "", "")
    ]
    assert not post("direktoer-b").duties.exists()
    # 3 versions × (2 heads × 2 duties + 1 director's duty), each with its history baseline.
    assert Duty.objects.count() == 15
    baseline = Duty.history.all()
    assert sorted(baseline.values_list("id", flat=True)) == sorted(Duty.objects.values_list("pk", flat=True))
    assert set(baseline.values_list("history_type", "history_change_reason")) == {("+", "load")}


def test_the_same_duty_key_on_two_posts_is_accepted():
    structure_format.load(with_duties(two_area_document()))
    holders = Duty.objects.filter(version__key="2023", key="ansvar-1").values_list("post__key", flat=True)
    assert sorted(holders) == ["centerchef-a1", "centerchef-b1"]
    # The same post key and duty key in the next version: the same duty continuing.
    assert list(
        Duty.objects.filter(post__key="centerchef-a1", key="ansvar-1")
        .order_by("version__key")
        .values_list("version__key", flat=True)
    ) == ["2019", "2023", "2025"]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_load_export_is_byte_identical_with_duties(fmt):
    structure_format.load(with_duties(two_area_document()))
    first = exported_text(fmt)
    assert ("duties:" if fmt == "yaml" else '"duties": [') in first
    structure_format.load(structure_format.parse_text(first, f"tovby.{fmt}"), replace=True)
    assert exported_text(fmt) == first
    assert Duty.objects.count() == 15


def test_duties_are_exported_after_reports_to_and_only_on_posts_that_have_some():
    structure_format.load(with_duties(two_area_document()))
    posts = {spec["key"]: spec for spec in structure_format.export(Municipality.objects.get())["versions"][1]["posts"]}
    assert list(posts["centerchef-a1"]) == POST_KEYS
    assert posts["centerchef-a1"]["duties"][0] == {
        "key": "ansvar-1",
        "name": "Ansvar nr. 1",
        "name_en": "Responsibility no. 1",
        "source": "002 afsnit 4.1",
        "note": None,
    }
    assert posts["direktoer-a"]["duties"] == [
        {
            "key": "personaleansvar",
            "name": "Personaleansvar for centercheferne",
            "name_en": None,
            "source": None,
            "note": None,
        }
    ]
    assert list(posts["direktoer-b"]) == [key for key in POST_KEYS if key != "duties"]


def test_a_document_without_duties_exports_without_a_duties_key():
    structure_format.load(two_area_document())
    document = structure_format.export(Municipality.objects.get())
    assert all("duties" not in spec for spec in exported_posts(document))
    assert "duties" not in exported_text("yaml") and "duties" not in exported_text("json")


def test_a_single_version_export_keeps_its_duties_and_loads_on_its_own():
    structure_format.load(with_duties(two_area_document()))
    document = structure_format.export(Municipality.objects.get(), "2023")
    assert document["versions"][0]["based_on"] is None
    document["municipality"] = {"slug": "etby", "name": "Etby Kommune", "kommunekode": 995}
    structure_format.load(structure_format.parse_text(structure_format.dump(document, "yaml"), "etby.yaml"))
    assert Duty.objects.filter(version__municipality__slug="etby").count() == 5
    assert exported_text("yaml", "etby") == exported_text("yaml", "tovby", "2023").replace(
        "slug: tovby\n  name: Tovby Kommune\n  kommunekode: 997", "slug: etby\n  name: Etby Kommune\n  kommunekode: 995"
    )


def test_a_duplicate_duty_key_within_a_post_is_refused_naming_path_and_line(tmp_path):
    structure_format.load(with_duties(two_area_document()))
    document = with_duties(two_area_document())
    head = current_post(document, "centerchef-a1")
    head["duties"][0]["key"] = head["duties"][1]["key"] = "dobbelt-ansvar"
    text = structure_format.dump(document.data, "yaml")
    position = current_version(document)["posts"].index(head)
    message = refuse(tmp_path, text)
    first, second = line_of(text, "key: dobbelt-ansvar"), line_of(text, "key: dobbelt-ansvar", 2)
    assert (
        f"{tmp_path / 'bad.yaml'}:{second} versions[1].posts[{position}].duties[1].key: "
        f"duplicate duty key 'dobbelt-ansvar' (first on line {first})"
    ) in message, message


def test_an_unknown_key_inside_a_duty_is_refused(tmp_path):
    structure_format.load(with_duties(two_area_document()))
    document = with_duties(two_area_document())
    head = current_post(document, "centerchef-b1")
    head["duties"][1]["colour"] = "red"
    text = structure_format.dump(document.data, "yaml")
    position = current_version(document)["posts"].index(head)
    message = refuse(tmp_path, text)
    assert (
        f"{tmp_path / 'bad.yaml'}:{line_of(text, 'colour: red')} versions[1].posts[{position}].duties[1].colour: "
        "unknown key 'colour'; allowed keys: key, name, name_en, note, source"
    ) in message, message


@pytest.mark.parametrize(
    ("duty", "message"),
    [
        ({"name": "Uden nøgle"}, "missing required key 'key'"),
        ({"key": "uden-navn"}, "missing required key 'name'"),
        ({"key": "Ikke En Nøgle", "name": "Ansvar"}, "is not a valid key"),
        ({"key": "langt-navn", "name": "x" * 501}, "too long: 501 characters, at most 500"),
    ],
)
def test_a_malformed_duty_is_refused(duty, message):
    document = two_area_document()
    current_post(document, "centerchef-a1")["duties"] = [duty]
    with pytest.raises(structure_format.StructureInvalid) as raised:
        structure_format.load(document)
    assert message in str(raised.value) and "versions[1].posts[" in str(raised.value)
    assert not Municipality.objects.exists() and not Duty.objects.exists()


def export_queries(per_head: int, slug: str, kommunekode: int) -> int:
    document = with_duties(two_area_document(), per_head=per_head)
    document.data["municipality"] = {"slug": slug, "name": slug, "kommunekode": kommunekode}
    municipality = structure_format.load(document)
    with CaptureQueriesContext(connection) as queries:
        exported = structure_format.export(municipality)
    assert sum(len(spec.get("duties", [])) for spec in exported_posts(exported)) == 3 * (2 * per_head + 1)
    return len(queries.captured_queries)


def test_the_export_costs_the_same_number_of_queries_whatever_the_number_of_duties():
    municipality = structure_format.load(two_area_document())
    with CaptureQueriesContext(connection) as without:
        structure_format.export(municipality)
    few, many = export_queries(1, "faa", 990), export_queries(40, "mange", 991)
    assert few == many == len(without.captured_queries)


# --- editing through the services ---------------------------------------------------------------------------


def director(username: str, person: str) -> User:
    user = User.objects.create_user(username, password="ikke-brugt-42")
    user.groups.add(Group.objects.get(name=roles.DIRECTOR))
    user.municipalities.add(Municipality.objects.get(slug="tovby"))
    Person.objects.filter(key=person).update(user=user)
    return User.objects.get(pk=user.pk)


def test_a_director_edits_the_duties_of_posts_in_their_portfolio_only():
    structure_format.load(with_duties(two_area_document()))
    anders = director("anders", "anders")
    own = Duty.objects.get(version__key="2023", post__key="centerchef-a1", key="ansvar-1")
    own.name = "Ansvar for myndighedsudøvelse og lovlig forvaltning"
    services.save(own, actor=anders)
    record = Duty.history.filter(id=own.pk).latest()
    assert (record.history_type, record.history_user_id, record.name) == ("~", anders.pk, own.name)
    other = Duty.objects.get(version__key="2023", post__key="centerchef-b1", key="ansvar-1")
    other.name = "Ikke Anders' opgave"
    with pytest.raises(services.NotPermitted):
        services.save(other, actor=anders)
    moved = Duty.objects.get(pk=own.pk)
    moved.post = post("centerchef-b1")
    with pytest.raises(services.NotPermitted):
        services.save(moved, actor=anders)
    assert Duty.objects.get(pk=own.pk).post.key == "centerchef-a1"
    assert Duty.objects.get(pk=other.pk).name == "Ansvar nr. 1"


def test_a_duty_stays_with_a_post_of_its_version_and_keeps_its_key_unique_on_the_post():
    structure_format.load(with_duties(two_area_document()))
    version = OrgVersion.objects.get(key="2023")
    elsewhere = Duty(version=version, post=post("centerchef-a1", "2025"), key="nyt-ansvar", name="Nyt ansvar")
    with pytest.raises(services.EditRefused) as raised:
        services.save(elsewhere, actor=services.SYSTEM)
    assert "post" in raised.value.message_dict
    twice = Duty(version=version, post=post("centerchef-a1"), key="ansvar-1", name="Igen")
    with pytest.raises(services.EditRefused):
        services.save(twice, actor=services.SYSTEM)
    same_key_other_post = Duty(version=version, post=post("direktoer-b"), key="ansvar-1", name="Også her")
    services.save(same_key_other_post, actor=services.SYSTEM)
    assert Duty.objects.filter(version=version, key="ansvar-1").count() == 3
