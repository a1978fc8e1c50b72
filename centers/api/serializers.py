"""The API's representations. Fields carry the structure format's names (STRUCTURE_FORMAT.md: `key`, `name`,
`name_en`, `parent` as a key ...), so a unit from the API reads like a unit of the structure file; `*_label` is
the vocabulary's word in the request's language, `url` the element's page, `api_url` its address in the API."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from centers import selectors
from centers.choices import PostKind, UnitKind
from centers.models import Duty, Municipality, OrgVersion, Person, Post, Task, Unit
from centers.services import MOVE_POSITIONS


def api_url(request, name: str, **kwargs) -> str:
    path = reverse(f"api:{name}", kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


def site_url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


KEY_PLACEHOLDER = "__key__"  # never part of a key, a slug or a version key (lowercase letters, digits, hyphens)


def keyed_address(serializer: serializers.Serializer, name: str, build: Callable[[str], str], key: str) -> str:
    """`build(key)`: an address that differs between the rows of a list only by the element's key, built once per
    serializer with a placeholder and then filled in (reversing it for every row cost more than the row)."""
    templates = serializer.__dict__.setdefault("_address_templates", {})
    if name not in templates:
        templates[name] = build(KEY_PLACEHOLDER)
    return templates[name].replace(KEY_PLACEHOLDER, key)


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice in the request's language, as `get_FOO_display` gives it, from a table made once per
    serializer and language (`get_FOO_display` rebuilds the model field's choices for every row)."""

    def __init__(self, choices, **kwargs):
        super().__init__(read_only=True, **kwargs)
        self.choices = choices
        self.labels: dict[str, dict] = {}

    def to_representation(self, value):
        language = get_language()
        if language not in self.labels:
            self.labels[language] = {choice: str(label) for choice, label in self.choices}
        return self.labels[language].get(value, value)


@extend_schema_field(OpenApiTypes.STR)
class KeyField(serializers.SlugRelatedField):
    """A reference by key to an element of the same version (or municipality), given by the view in the
    serializer's context as `<name>_queryset`; None is allowed where the field allows null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "key")
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.context[f"{self.field_name}_queryset"]


# --- municipalities and versions ---------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Lejre",
            value={
                "slug": "lejre",
                "name": "Lejre Kommune",
                "kommunekode": 350,
                "default_version": "2011",
                "url": "http://127.0.0.1:8000/lejre/",
                "api_url": "http://127.0.0.1:8000/api/municipalities/lejre/",
                "versions_url": "http://127.0.0.1:8000/api/municipalities/lejre/versions/",
                "people_url": "http://127.0.0.1:8000/api/municipalities/lejre/people/",
            },
            response_only=True,
        )
    ]
)
class MunicipalitySerializer(serializers.ModelSerializer):
    default_version = serializers.SerializerMethodField(
        help_text="The key of the version shown first (in force today)."
    )
    url = serializers.SerializerMethodField(help_text="The municipality's page.")
    api_url = serializers.SerializerMethodField()
    versions_url = serializers.SerializerMethodField()
    people_url = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = ["slug", "name", "kommunekode", "default_version", "url", "api_url", "versions_url", "people_url"]

    def get_default_version(self, municipality: Municipality) -> str | None:
        version = selectors.default_version(municipality)
        return version.key if version else None

    def get_url(self, municipality: Municipality) -> str:
        return site_url(self.context.get("request"), municipality.get_absolute_url())

    def get_api_url(self, municipality: Municipality) -> str:
        return api_url(self.context.get("request"), "municipality-detail", slug=municipality.slug)

    def get_versions_url(self, municipality: Municipality) -> str:
        return api_url(self.context.get("request"), "version-list", slug=municipality.slug)

    def get_people_url(self, municipality: Municipality) -> str:
        return api_url(self.context.get("request"), "person-list", slug=municipality.slug)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Lejre 2014",
            value={
                "key": "2014",
                "label": "Justeret organisation fra 1. maj 2014 (forslag til høring)",
                "label_en": "Adjusted organisation from 1 May 2014 (proposal for hearing)",
                "status": "proposed",
                "status_label": "foreslået",
                "effective_from": "2014-05-01",
                "effective_to": None,
                "decided_on": None,
                "decided_by": "",
                "based_on": "2011",
                "source": "001 afsnit 1-10",
                "note": 'Står som foreslået: dokumentet er et "Beslutningsoplæg til høring". …',
                "unit_count": 7,
                "url": "http://127.0.0.1:8000/lejre/2014/",
                "api_url": "http://127.0.0.1:8000/api/municipalities/lejre/versions/2014/",
                "units_url": "http://127.0.0.1:8000/api/municipalities/lejre/versions/2014/units/",
                "tree_url": "http://127.0.0.1:8000/api/municipalities/lejre/versions/2014/tree/",
            },
            response_only=True,
        )
    ]
)
class VersionSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField(OrgVersion.Status.choices, source="status")
    based_on = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    unit_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The version's chart.")
    api_url = serializers.SerializerMethodField()
    units_url = serializers.SerializerMethodField()
    tree_url = serializers.SerializerMethodField()

    class Meta:
        model = OrgVersion
        fields = [
            "key",
            "label",
            "label_en",
            "status",
            "status_label",
            "effective_from",
            "effective_to",
            "decided_on",
            "decided_by",
            "based_on",
            "source",
            "note",
            "unit_count",
            "url",
            "api_url",
            "units_url",
            "tree_url",
        ]

    def _keys(self, version: OrgVersion) -> dict:
        return {"slug": self.context["slug"], "key": version.key}

    def get_url(self, version: OrgVersion) -> str:
        path = reverse("centers:chart", args=[self.context["slug"], version.key])
        return site_url(self.context.get("request"), path)

    def get_api_url(self, version: OrgVersion) -> str:
        return api_url(self.context.get("request"), "version-detail", **self._keys(version))

    def get_units_url(self, version: OrgVersion) -> str:
        return api_url(self.context.get("request"), "unit-list", slug=self.context["slug"], version=version.key)

    def get_tree_url(self, version: OrgVersion) -> str:
        return api_url(self.context.get("request"), "version-tree", **self._keys(version))


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A row",
            value={
                "id": "koncernsekretariat-udvikling",
                "parentId": "koncerndirektion",
                "name": "Koncernsekretariat & Udvikling (KSU)",
                "nameEn": "Corporate Secretariat and Development",
                "kind": "shared_centre",
                "level": 1,
                "headTitle": "Chef for Koncernsekretariat & Udvikling",
                "headTitleEn": "Head of Corporate Secretariat and Development",
                "holder": None,
                "childCount": 2,
                "descendantCount": 2,
            },
            response_only=True,
        )
    ]
)
class TreeRowSerializer(serializers.Serializer):
    """One row of the chart's data (`organisation.json`): the same rows, from `selectors.version_tree`."""

    id = serializers.CharField(help_text="The unit's key.")
    parentId = serializers.CharField(allow_null=True, help_text="The key of the unit above it.")  # noqa: N815
    name = serializers.CharField()
    nameEn = serializers.CharField()  # noqa: N815
    kind = serializers.CharField()
    level = serializers.IntegerField()
    headTitle = serializers.CharField(allow_null=True)  # noqa: N815
    headTitleEn = serializers.CharField(allow_null=True)  # noqa: N815
    holder = serializers.CharField(allow_null=True)
    childCount = serializers.IntegerField()  # noqa: N815
    descendantCount = serializers.IntegerField()  # noqa: N815


# --- the elements of a version -------------------------------------------------------------------------------


class VersionElementSerializer(serializers.ModelSerializer):
    """An element of a version; the view gives `slug` and `version` (keys) in the context."""

    url_name = ""
    api_name = ""

    url = serializers.SerializerMethodField(help_text="The element's page.")
    api_url = serializers.SerializerMethodField()

    def get_url(self, element) -> str:
        slug, version = self.context["slug"], self.context["version"]
        return keyed_address(
            self,
            "url",
            lambda key: site_url(
                self.context.get("request"), reverse(f"centers:{self.url_name}", args=[slug, version, key])
            ),
            element.key,
        )

    def get_api_url(self, element) -> str:
        slug, version = self.context["slug"], self.context["version"]
        return keyed_address(
            self,
            "api_url",
            lambda key: api_url(
                self.context.get("request"), f"{self.api_name}-detail", slug=slug, version=version, key=key
            ),
            element.key,
        )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A centre formed by a merger",
            value={
                "key": "center-trafik-ejendomsdrift",
                "name": "Center for Trafik & Ejendomsdrift",
                "name_en": "Centre for Traffic and Property Operations",
                "kind": "centre",
                "kind_label": "fagcenter",
                "parent": "koncerndirektion",
                "head": "centerchef-trafik-ejendomsdrift",
                "responsible": None,
                "formed_from": ["center-veje-trafik", "center-ejendomsdrift"],
                "source": "001 afsnit 4, afsnit 6",
                "note": "Sammenlægning af Center for Veje & Trafik og Center for Ejendomsdrift (afsnit 4 og 6). …",
                "url": "http://127.0.0.1:8000/lejre/2014/enheder/center-trafik-ejendomsdrift/",
                "api_url": "http://127.0.0.1:8000/api/municipalities/lejre/versions/2014/units/center-trafik-ejendomsdrift/",
            },
            response_only=True,
        )
    ]
)
class UnitSerializer(VersionElementSerializer):
    url_name = "unit"
    api_name = "unit"

    kind_label = ChoiceLabelField(UnitKind.choices, source="kind")
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    head = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="The key of the head's post."
    )
    responsible = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="The key of the responsible director's post."
    )
    formed_from = serializers.SerializerMethodField(
        help_text="Keys of the units of the version this one is based on that this unit continues."
    )

    class Meta:
        model = Unit
        fields = [
            "key",
            "name",
            "name_en",
            "kind",
            "kind_label",
            "parent",
            "head",
            "responsible",
            "formed_from",
            "source",
            "note",
            "url",
            "api_url",
        ]

    def get_formed_from(self, unit: Unit) -> list[str]:
        return self.context["formed_from"].get(unit.pk, [])


class DutySerializer(serializers.ModelSerializer):
    class Meta:
        model = Duty
        fields = ["key", "name", "name_en", "source", "note"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A head of a shared centre",
            value={
                "key": "chef-ksu",
                "title": "Chef for Koncernsekretariat & Udvikling",
                "title_en": "Head of Corporate Secretariat and Development",
                "kind": "head",
                "kind_label": "chef",
                "unit": "koncernsekretariat-udvikling",
                "holder": None,
                "reports_to": None,
                "duties": [],
                "source": "001 afsnit 4, afsnit 5, afsnit 8",
                "note": "Titlen er ikke angivet; den er derfor neutral ligesom for KØA. …",
                "url": "http://127.0.0.1:8000/lejre/2014/stillinger/chef-ksu/",
                "api_url": "http://127.0.0.1:8000/api/municipalities/lejre/versions/2014/posts/chef-ksu/",
            },
            response_only=True,
        )
    ]
)
class PostSerializer(VersionElementSerializer):
    url_name = "post"
    api_name = "post"

    kind_label = ChoiceLabelField(PostKind.choices, source="kind")
    unit = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    holder = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="The key of the person."
    )
    reports_to = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    duties = DutySerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = [
            "key",
            "title",
            "title_en",
            "kind",
            "kind_label",
            "unit",
            "holder",
            "reports_to",
            "duties",
            "source",
            "note",
            "url",
            "api_url",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A task",
            value={
                "key": "borgmestersekretariat",
                "name": "Borgmestersekretariat (direkte servicering af borgmester, kommunalbestyrelse/fagudvalg og "
                "direktion)",
                "name_en": "Mayor's secretariat (direct service to the mayor, council/committees and executive board)",
                "unit": "koncernsekretariat-udvikling",
                "source": "001 afsnit 5",
                "note": "",
            },
            response_only=True,
        )
    ]
)
class TaskSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Task
        fields = ["key", "name", "name_en", "unit", "source", "note"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A person",
            value={
                "key": "henrik-brade-johansen",
                "name": "Henrik Brade Johansen",
                "note": "Medlem af Økonomiudvalget (B); fraværende 2. februar 2012 (002 ØU 2./3.2.2012).",
                "url": "http://127.0.0.1:8000/ltk/personer/henrik-brade-johansen/",
                "api_url": "http://127.0.0.1:8000/api/municipalities/ltk/people/henrik-brade-johansen/",
            },
            response_only=True,
        )
    ]
)
class PersonSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The person's page.")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["key", "name", "note", "url", "api_url"]

    def get_url(self, person: Person) -> str:
        request, slug = self.context.get("request"), self.context["slug"]
        return keyed_address(
            self, "url", lambda key: site_url(request, reverse("centers:person", args=[slug, key])), person.key
        )

    def get_api_url(self, person: Person) -> str:
        request, slug = self.context.get("request"), self.context["slug"]
        return keyed_address(
            self, "api_url", lambda key: api_url(request, "person-detail", slug=slug, key=key), person.key
        )


# --- relations ---------------------------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A step",
            value={
                "kind": "post",
                "key": "centerchef-trafik-ejendomsdrift",
                "label": "Centerchef, Center for Trafik & Ejendomsdrift",
                "detail": "",
                "url": "http://127.0.0.1:8000/lejre/2014/stillinger/centerchef-trafik-ejendomsdrift/",
            },
            response_only=True,
        )
    ]
)
class ReportingStepSerializer(serializers.Serializer):
    """One step of a reporting line, from the subject up to the political level."""

    kind = serializers.CharField(help_text="unit, post, or a political body (committee, council).")
    key = serializers.SerializerMethodField(help_text="The unit's or post's key; null for a political body.")
    label = serializers.CharField()
    detail = serializers.CharField(help_text="The kind of unit or body, or a post's holder.")
    url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_key(self, step: selectors.ReportingStep) -> str | None:
        element = step.unit or step.post
        return element.key if element is not None else None

    def get_url(self, step: selectors.ReportingStep) -> str:
        return site_url(self.context.get("request"), step.url) if step.url else ""


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A move",
            value={
                "id": 412,
                "when": "2026-12-03T11:02:41.512000+01:00",
                "reason": "move",
                "reason_label": "flyttet",
                "who": "redaktør",
                "changes": [
                    {
                        "field": "overordnet enhed",
                        "before": "Koncerndirektionen (KCD)",
                        "after": "Koncernsekretariat & Udvikling (KSU)",
                    }
                ],
            },
            response_only=True,
        )
    ]
)
class HistoryEntrySerializer(serializers.Serializer):
    """A recorded change of a unit; `id` is what `revert` takes."""

    id = serializers.IntegerField(source="record_id")
    when = serializers.DateTimeField()
    reason = serializers.CharField(source="reason_code")
    reason_label = serializers.CharField(source="reason")
    who = serializers.CharField()
    changes = serializers.SerializerMethodField()

    def get_changes(self, entry: selectors.HistoryEntry) -> list[dict[str, str]]:
        return [{"field": field, "before": before, "after": after} for field, before, after in entry.changes]


# --- writes: each names the elements it refers to by key -------------------------------------------------------


class MoveSerializer(serializers.Serializer):
    target = KeyField(help_text="The key of the unit to move under (or next to, with position left/right).")
    position = serializers.ChoiceField(choices=MOVE_POSITIONS, default="last-child")


class RenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)


class HeadSerializer(serializers.Serializer):
    head = KeyField(allow_null=True, help_text="The key of a post of the unit; null: no head.")


class ResponsibleSerializer(serializers.Serializer):
    responsible = KeyField(allow_null=True, help_text="The key of a director's post; null: nobody.")


class RevertSerializer(serializers.Serializer):
    history_id = serializers.IntegerField(help_text="The `id` of an entry of the unit's history.")


class HolderSerializer(serializers.Serializer):
    holder = KeyField(allow_null=True, help_text="The key of a person of the municipality; null: vacant.")


class CloneSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=50, help_text="The new draft's key.")
    label = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AdoptSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    decided_on = serializers.DateField(required=False, allow_null=True)
    decided_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
