"""Structure documents and helpers shared by the tests: every test loads its data through the real loader."""

from __future__ import annotations

import functools

from django.contrib.auth.models import Group, User

from centers import structure_format
from centers.models import Municipality, Person, Post, Unit

AREAS = ("a", "b")


def _version(key: str, label: str, status: str, **extra) -> dict:
    """Direktionen with director areas A and B; each area a director, two centres, a department, a school."""
    units = [{"key": "direktion", "name": "Direktionen", "kind": "directorate", "head": "kommunaldirektoer"}]
    posts = [
        {
            "key": "kommunaldirektoer",
            "title": "Kommunaldirektør",
            "kind": "chief_executive",
            "unit": "direktion",
            "holder": "karen",
        }
    ]
    for area, director in (("a", "anders"), ("b", "bente")):
        name = area.upper()
        units += [
            {
                "key": f"omraade-{area}",
                "name": f"Område {name}",
                "kind": "director_area",
                "parent": "direktion",
                "head": f"direktoer-{area}",
                "responsible": f"direktoer-{area}",
            },
            {
                "key": f"center-{area}1",
                "name": f"Center {name}1",
                "kind": "centre",
                "parent": f"omraade-{area}",
                "head": f"centerchef-{area}1",
            },
            {"key": f"center-{area}2", "name": f"Center {name}2", "kind": "centre", "parent": f"omraade-{area}"},
            {
                "key": f"afdeling-{area}1",
                "name": f"Afdeling {name}1",
                "kind": "department",
                "parent": f"center-{area}1",
            },
            {"key": f"skole-{area}", "name": f"Skole {name}", "kind": "institution", "parent": f"center-{area}1"},
        ]
        posts += [
            {
                "key": f"direktoer-{area}",
                "title": f"Direktør for område {name}",
                "kind": "director",
                "unit": f"omraade-{area}",
                "holder": director,
                "reports_to": "kommunaldirektoer",
            },
            {
                "key": f"centerchef-{area}1",
                "title": f"Centerchef {name}1",
                "kind": "head",
                "unit": f"center-{area}1",
                "reports_to": f"direktoer-{area}",
            },
        ]
    return {"key": key, "label": label, "status": status, "units": units, "posts": posts, **extra}


def two_area_document() -> structure_format.Document:
    """Tovby: a previous, a current and a proposed version, each with director areas A (Anders) and B (Bente)."""
    data = {
        "format": structure_format.FORMAT,
        "municipality": {"slug": "tovby", "name": "Tovby Kommune", "kommunekode": 997},
        "people": [
            {"key": "karen", "name": "Karen Kommunaldirektør"},
            {"key": "anders", "name": "Anders Direktør"},
            {"key": "bente", "name": "Bente Direktør"},
            {"key": "carl", "name": "Carl Centerchef"},
        ],
        "versions": [
            _version("2019", "Organisation 2019", "previous", effective_from="2019-01-01", effective_to="2022-12-31"),
            _version("2023", "Organisation 2023", "current", effective_from="2023-01-01", based_on="2019"),
            _version("2025", "Forslag 2025", "proposed", effective_from="2025-01-01", based_on="2023"),
        ],
    }
    return structure_format.Document(data, "tests:tovby")


def with_governance(document: structure_format.Document) -> structure_format.Document:
    """Tovby with a source, two committees and a membership, and in every version for each area a committee
    service, a forum, a network and a budget row that name only that area's units and posts."""
    data = document.data
    data["sources"] = [{"key": "s1", "title": "Organisationsplan"}]
    data["people"].append({"key": "pia", "name": "Pia Politiker"})
    data["committees"] = [
        {"key": "oeu", "name": "Økonomiudvalget", "kind": "finance"},
        {"key": "kb", "name": "Kommunalbestyrelsen", "kind": "council"},
    ]
    data["memberships"] = [{"person": "pia", "committee": "oeu", "role": "medlem"}]
    for version in data["versions"]:
        version["committee_services"] = [
            {"committee": "oeu", "unit": f"omraade-{area}", "post": None, "role": "serves"} for area in AREAS
        ]
        version["forums"] = [
            {
                "key": f"forum-{area}",
                "name": f"Ledergruppe {area.upper()}",
                "kind": "management_group",
                "chair": f"direktoer-{area}",
                "member_units": [f"center-{area}1"],
                "member_posts": [f"centerchef-{area}1"],
            }
            for area in AREAS
        ]
        version["networks"] = [
            {
                "key": f"netvaerk-{area}",
                "name": f"Netværk {area.upper()}",
                "kind": "network",
                "leader": f"centerchef-{area}1",
                "member_units": [f"center-{area}1", f"center-{area}2"],
            }
            for area in AREAS
        ]
        version["budget_responsibilities"] = [
            {"level": 1, "holder": f"direktoer-{area}", "scope": f"omraade-{area}"} for area in AREAS
        ]
    return document


def with_duties(document: structure_format.Document, per_head: int = 2) -> structure_format.Document:
    """Tovby with duties of posts: in every version each centre head has `per_head` duties (the same keys on
    both heads), and the director of area A one duty of their own."""
    for version in document.data["versions"]:
        for spec_post in version["posts"]:
            if spec_post["kind"] == "head":
                spec_post["duties"] = [
                    {
                        "key": f"ansvar-{number}",
                        "name": f"Ansvar nr. {number}",
                        "name_en": f"Responsibility no. {number}",
                        "source": f"002 afsnit 4.{number}",
                        "note": None,
                    }
                    for number in range(1, per_head + 1)
                ]
            elif spec_post["key"] == "direktoer-a":
                spec_post["duties"] = [{"key": "personaleansvar", "name": "Personaleansvar for centercheferne"}]
    return document


def unit(key: str, version: str = "2023", slug: str = "tovby") -> Unit:
    return Unit.objects.get(version__municipality__slug=slug, version__key=version, key=key)


def post(key: str, version: str = "2023", slug: str = "tovby") -> Post:
    return Post.objects.get(version__municipality__slug=slug, version__key=version, key=key)


@functools.cache
def _history_models() -> dict[str, type]:
    """The historical model of every model with a history, by the model's label (`Model.history` builds a new
    manager class at every access: too slow to repeat for every snapshot)."""
    from simple_history.models import registered_models

    return {model._meta.label: model.history.model for model in registered_models.values() if hasattr(model, "history")}


def database_state() -> tuple:
    """Everything an edit could change: every municipality's exported structure, the people's users, the
    members of every municipality, and the size of every history table."""
    history_counts = {label: history._default_manager.count() for label, history in _history_models().items()}
    return (
        {municipality.slug: structure_format.export(municipality) for municipality in Municipality.objects.all()},
        list(Person.objects.order_by("pk").values_list("pk", "user_id")),
        list(Municipality.members.through.objects.order_by("pk").values_list("municipality_id", "user_id")),
        list(Unit.objects.order_by("pk").values_list("pk", "lft", "rght", "tree_id", "level")),
        history_counts,
    )


def admin_form_data(response) -> dict:
    """What a browser posts back from an admin change form as rendered (inlines included)."""
    data = {}

    def put(form, name):
        value = form[name].value()
        if value is None or value is False:
            return
        data[form.add_prefix(name)] = [str(item) for item in value] if isinstance(value, list) else str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        for name in inline.formset.management_form.fields:
            put(inline.formset.management_form, name)
        for inline_form in inline.formset.forms:
            for name in inline_form.fields:
                put(inline_form, name)
    return data


def make_user(username: str, role: str | None, municipality: str | None, person: str | None = None) -> User:
    """A staff user with a role group, working in `municipality`, linked to the person `person` of Tovby."""
    user = User.objects.create_user(username, password="ikke-brugt-42", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if municipality:
        user.municipalities.add(Municipality.objects.get(slug=municipality))
    if person:
        Person.objects.filter(municipality__slug="tovby", key=person).update(user=user)
    return user


def role_users() -> dict:
    """A user of every role in Tovby (and Andeby's kommunaldirektør), by actor; Tovby and Andeby must exist."""
    from centers import rules as roles

    return {
        "reader": make_user("laeser", roles.READER, "tovby"),
        "director_a": make_user("anders", roles.DIRECTOR, "tovby", "anders"),
        "director_b": make_user("bente", roles.DIRECTOR, "tovby", "bente"),
        "chief": make_user("karen", roles.CHIEF_EXECUTIVE, "tovby", "karen"),
        "chief_other": make_user("andeby-kd", roles.CHIEF_EXECUTIVE, "andeby"),
        "administrator": make_user("admin", roles.ADMINISTRATOR, None),
    }


def tovby_actors() -> dict:
    """Tovby with governance, a second municipality (Andeby), and a user of every role: readers, directors of area
    A and B, Tovby's and Andeby's kommunaldirektør, an administrator, and nobody signed in."""
    from django.contrib.auth.models import AnonymousUser

    structure_format.load(with_governance(two_area_document()))
    Municipality.objects.create(slug="andeby", name="Andeby Kommune", kommunekode=996)
    return {"anonymous": AnonymousUser(), **role_users()}
