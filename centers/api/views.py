"""The organisation's API views. Elements are found by their keys under their municipality and version
(`/api/municipalities/{slug}/versions/{version}/units/{key}/`); every write is an action that calls a service
with the caller as actor, so the API refuses what the admin refuses, in the same words."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from centers import comparison, filtersets, selectors, services
from centers.models import Municipality, OrgVersion, Person, Post, Task, Unit
from centers.structure_format import parse_date

from . import serializers as api

KEY = r"[^/]+"


def not_found(model, key: str) -> NotFound:
    return NotFound(_("Ingen %(what)s med nøglen «%(key)s».") % {"what": model._meta.verbose_name, "key": key})


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and elements by key; a missing element is a 404 that says what was looked for."""

    lookup_field = "key"
    lookup_value_regex = KEY

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        found = self.filter_queryset(self.get_queryset()).filter(**{self.lookup_field: key}).first()
        if found is None:
            raise not_found(self.get_queryset().model, key)
        self.check_object_permissions(self.request, found)
        return found


PATH_PARAMETERS = {
    "slug": "The municipality's slug (`ltk`, `lejre`, `assens`, `albertslund`).",
    "version": "The version's key (see the municipality's versions).",
    "key": "The element's key, its stable identity across versions.",
    "unit": "The unit's key.",
    "post": "The post's key.",
}


def described(viewset, prefix: str):
    """`viewset` with the path parameters of `prefix` (and its own lookup) described in the OpenAPI schema."""
    names = [name for name in PATH_PARAMETERS if f"(?P<{name}>" in prefix]
    if getattr(viewset, "lookup_field", None) == "key":
        names.append("key")
    parameters = [
        OpenApiParameter(name, str, OpenApiParameter.PATH, description=PATH_PARAMETERS[name]) for name in names
    ]
    return extend_schema(parameters=parameters)(viewset) if parameters else viewset


class MunicipalityScoped:
    """Views under `/api/municipalities/{slug}/`: the municipality, read once per request. Subclasses give their
    rows in `scoped_queryset`; the schema generator gets none."""

    kwargs: dict

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.scoped_queryset()

    @property
    def municipality(self) -> Municipality:
        if not hasattr(self, "_municipality"):
            self._municipality = Municipality.objects.filter(slug=self.kwargs["slug"]).first()
            if self._municipality is None:
                raise NotFound(_("Ingen kommune med nøglen «%(slug)s».") % {"slug": self.kwargs["slug"]})
        return self._municipality

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "slug": self.kwargs["slug"]}


class VersionScoped(MunicipalityScoped):
    """Views under `/api/municipalities/{slug}/versions/{version}/`: the version, read once per request."""

    @property
    def version(self) -> OrgVersion:
        if not hasattr(self, "_version"):
            self._version = (
                OrgVersion.objects.select_related("municipality", "based_on")
                .filter(municipality=self.municipality, key=self.kwargs["version"])
                .first()
            )
            if self._version is None:
                raise NotFound(
                    _("%(municipality)s har ingen version «%(key)s».")
                    % {"municipality": self.municipality.name, "key": self.kwargs["version"]}
                )
        return self._version

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "version": self.kwargs["version"]}

    def element(self, model, key: str):
        """The version's unit or post with `key`, or a 404 naming it."""
        found = model.objects.filter(version=self.version, key=key).first()
        if found is None:
            raise not_found(model, key)
        return found

    def references(self, **querysets) -> dict:
        """Context entries for the KeyFields of a write: `<field>_queryset` limited to this version."""
        return {f"{field}_queryset": queryset for field, queryset in querysets.items()}

    def validated(self, serializer_class, **querysets) -> dict:
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **self.references(**querysets)}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def day(value: str, parameter: str):
    try:
        found = parse_date(value)
        if found is None:
            raise ValueError(value)
        return found
    except ValueError:
        raise ValidationError(
            {parameter: [_("«%(value)s» er ikke en dato (ÅÅÅÅ-MM-DD).") % {"value": value}]}
        ) from None


# --- municipalities and versions ---------------------------------------------------------------------------


# Lejre 2011 → 2014, cut to one of its 93 changes and a few of its marks and counts.
COMPARISON_EXAMPLE = OpenApiExample(
    "Lejre 2011 → 2014 (abridged)",
    value={
        "before": "2011",
        "after": "2014",
        "changes": [
            {
                "kind": "task_moved",
                "key": "it",
                "before": {
                    "key": "it",
                    "name": "IT",
                    "name_en": "IT",
                    "source": "001 afsnit 5",
                    "note": None,
                    "unit": "servicecenter-allerslev",
                },
                "after": {
                    "key": "it",
                    "name": "IT",
                    "name_en": "IT",
                    "source": "001 afsnit 5",
                    "note": None,
                    "unit": "koncernsekretariat-udvikling",
                },
                "units_before": ["servicecenter-allerslev"],
                "units_after": ["koncernsekretariat-udvikling"],
                "fields": ["unit"],
                "text": "Opgaven «IT» flytter fra Servicecenter Allerslev til Koncernsekretariat & Udvikling (KSU)",
            }
        ],
        "marks": {
            "before": {"koncernsekretariatet": "merged", "servicecenter-allerslev": "split"},
            "after": {"koncernsekretariat-udvikling": "merged", "koncernoekonomi-analyse": "merged"},
        },
        "counts": {"units_merged": 3, "unit_split": 2, "unit_moved": 2, "task_moved": 36, "post_added": 8},
    },
    response_only=True,
)


def default_side(side: str, versions: list[OrgVersion], after: OrgVersion | None) -> OrgVersion | None:
    """As the comparison page chooses: after, the newest draft or proposal; before, the version it is based on."""
    if side == "after":
        undecided = [version for version in versions if version.status in ("proposed", "draft")]
        return undecided[-1] if undecided else None
    return next((version for version in versions if after is not None and version.pk == after.based_on_id), None)


COMPARISON_PARAMETERS = [
    OpenApiParameter("fra", str, description="The key of the version before (default: the one `til` is based on)."),
    OpenApiParameter("til", str, description="The key of the version after (default: the newest draft or proposal)."),
    OpenApiParameter("fra-dato", OpenApiTypes.DATE, description="Instead of `fra`: the version in force then."),
    OpenApiParameter("til-dato", OpenApiTypes.DATE, description="Instead of `til`: the version in force then."),
]


@extend_schema_view(
    list=extend_schema(summary="Municipalities", description="Every municipality, by name; `?q=` name or slug."),
    retrieve=extend_schema(summary="A municipality"),
)
class MunicipalityViewSet(ReadViewSet):
    serializer_class = api.MunicipalitySerializer
    queryset = Municipality.objects.prefetch_related("versions")
    filterset_class = filtersets.MunicipalityFilterSet
    lookup_field = "slug"

    @extend_schema(
        summary="Comparison of two versions",
        description="What changed from one version to another, as the comparison page lists it "
        "(`sammenlign/data.json`); a version compared with itself has no changes. An unknown version, or a date "
        "no version was in force on, is a 404.",
        parameters=COMPARISON_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        examples=[COMPARISON_EXAMPLE],
    )
    @action(detail=True, url_path="comparison", pagination_class=None, filterset_class=None)
    def comparison(self, request, slug):
        municipality = self.get_object()
        versions = list(municipality.versions.order_by("effective_from", "pk"))
        chosen = {}
        for side, key_name, date_name in (("after", "til", "til-dato"), ("before", "fra", "fra-dato")):
            key, on = request.query_params.get(key_name, "").strip(), request.query_params.get(date_name, "").strip()
            if on or date_name in request.query_params:
                found = selectors.in_force(versions, day(on, date_name))
                if found is None:
                    raise NotFound(_("Ingen version var i kraft den %(date)s.") % {"date": on})
            elif key:
                found = next((version for version in versions if version.key == key), None)
                if found is None:
                    known = ", ".join(version.key for version in versions)
                    raise NotFound(
                        _("Ukendt version «%(key)s» (versionerne: %(known)s).") % {"key": key, "known": known}
                    )
            else:
                found = default_side(side, versions, chosen.get("after"))
                if found is None:
                    raise NotFound(
                        _("Angiv «%(parameter)s»: der er ingen version at vælge af sig selv.") % {"parameter": key_name}
                    )
            chosen[side] = found
        result = comparison.compare_versions(municipality, chosen["before"].key, chosen["after"].key)
        return Response(result.as_dict())


@extend_schema_view(
    list=extend_schema(
        summary="Versions of a municipality",
        description="Oldest first. `?dato=YYYY-MM-DD` gives the version in force on that date (none if none was), "
        "by the rule of the site's `?dato=`; `?status=`.",
    ),
    retrieve=extend_schema(summary="A version"),
)
class VersionViewSet(MunicipalityScoped, ReadViewSet):
    serializer_class = api.VersionSerializer
    filterset_class = filtersets.VersionFilterSet

    def scoped_queryset(self):
        return (
            OrgVersion.objects.filter(municipality=self.municipality)
            .select_related("based_on")
            .annotate(unit_count=Count("units"))
            .order_by("effective_from", "pk")
        )

    @extend_schema(
        summary="The whole tree of a version",
        description="Every unit as the chart draws it (the rows of `organisation.json`), in tree order.",
        responses=api.TreeRowSerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def tree(self, request, slug, key):
        return Response(selectors.version_tree(self.get_object()))

    @extend_schema(
        summary="Draft a new version from this one",
        description="A draft in which every unit continues under its own key, with the same posts, tasks and "
        "services (`services.clone_version`). Needs the right to add versions in the municipality.",
        request=api.CloneSerializer,
        responses={201: api.VersionSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def clone(self, request, slug, key):
        data = api.CloneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.clone_version(
            self.get_object(), data.validated_data["key"], actor=request.user, label=data.validated_data.get("label")
        )
        return Response(self._shown(draft), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Adopt this version",
        description="Make a draft or proposed version current from `effective_from`; the current one becomes "
        "previous, ending the day before (`services.adopt_version`). For the kommunaldirektør or an administrator.",
        request=api.AdoptSerializer,
        responses={200: api.VersionSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def adopt(self, request, slug, key):
        data = api.AdoptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        adopted = services.adopt_version(self.get_object(), actor=request.user, **data.validated_data)
        return Response(self._shown(adopted))

    def _shown(self, version: OrgVersion) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=version.pk)).data


# --- units, posts, tasks, people ---------------------------------------------------------------------------


def unit_queryset(version: OrgVersion):
    return (
        Unit.objects.filter(version=version).select_related("parent", "head", "responsible").order_by("tree_id", "lft")
    )


def formed_from_keys(version: OrgVersion) -> dict[int, list[str]]:
    """Every unit's `formed_from` keys, in the structure file's order (one query for the version)."""
    links = Unit.formed_from.through.objects.filter(from_unit__version=version).order_by("pk")
    keys: dict[int, list[str]] = {}
    for unit_id, key in links.values_list("from_unit_id", "to_unit__key"):
        keys.setdefault(unit_id, []).append(key)
    return keys


WRITE = {"pagination_class": None, "filterset_class": None, "methods": ["post"], "detail": True}


@extend_schema_view(
    list=extend_schema(summary="Units of a version", description="In tree order."),
    retrieve=extend_schema(summary="A unit"),
)
class UnitViewSet(VersionScoped, ReadViewSet):
    serializer_class = api.UnitSerializer
    filterset_class = filtersets.UnitFilterSet

    def scoped_queryset(self):
        return unit_queryset(self.version)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "version" in self.kwargs:
            context["formed_from"] = formed_from_keys(self.version)
        return context

    def _unit(self) -> Unit:
        unit = self.get_object()
        unit.version = self.version
        return unit

    def _shown(self, unit: Unit) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=unit.pk)).data)

    @extend_schema(
        summary="A unit's subtree",
        description="The unit and every unit under it, as the chart's rows (the first row is the unit).",
        responses=api.TreeRowSerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def subtree(self, request, slug, version, key):
        return Response(selectors.version_tree(self.version, under=self._unit()))

    @extend_schema(
        summary="A unit's reporting line",
        description="From the unit up through heads and responsible directors to the kommunaldirektør and the "
        "political level; names in the request's language.",
        responses=api.ReportingStepSerializer(many=True),
    )
    @action(detail=True, url_path="reporting-line", pagination_class=None, filterset_class=None)
    def reporting_line(self, request, slug, version, key):
        steps = selectors.reporting_line(self._unit())
        return Response(api.ReportingStepSerializer(steps, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="A unit's recorded changes",
        description="Newest first (at most 20); an entry's `id` is what `revert` takes.",
        responses=api.HistoryEntrySerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def history(self, request, slug, version, key):
        entries = selectors.unit_history(self._unit())
        return Response(api.HistoryEntrySerializer(entries, many=True).data)

    @extend_schema(
        summary="Move a unit",
        description="Under `target` (position first-child/last-child) or next to it (left/right).",
        request=api.MoveSerializer,
        responses=api.UnitSerializer,
    )
    @action(**WRITE)
    def move(self, request, slug, version, key):
        data = self.validated(api.MoveSerializer, target=Unit.objects.filter(version=self.version))
        return self._shown(services.move_unit(self._unit(), data["target"], data["position"], actor=request.user))

    @extend_schema(summary="Rename a unit", request=api.RenameSerializer, responses=api.UnitSerializer)
    @action(**WRITE)
    def rename(self, request, slug, version, key):
        data = self.validated(api.RenameSerializer)
        return self._shown(services.rename_unit(self._unit(), data["name"], data.get("name_en"), actor=request.user))

    @extend_schema(summary="Set a unit's head", request=api.HeadSerializer, responses=api.UnitSerializer)
    @action(**WRITE, url_path="set-head")
    def set_head(self, request, slug, version, key):
        data = self.validated(api.HeadSerializer, head=Post.objects.filter(version=self.version))
        return self._shown(services.set_head(self._unit(), data["head"], actor=request.user))

    @extend_schema(
        summary="Set a unit's responsible director", request=api.ResponsibleSerializer, responses=api.UnitSerializer
    )
    @action(**WRITE, url_path="set-responsible")
    def set_responsible(self, request, slug, version, key):
        data = self.validated(api.ResponsibleSerializer, responsible=Post.objects.filter(version=self.version))
        return self._shown(services.set_responsible(self._unit(), data["responsible"], actor=request.user))

    @extend_schema(
        summary="Undo a change of a unit",
        description="Bring the unit's parent, names, head and responsible director back to a history entry.",
        request=api.RevertSerializer,
        responses=api.UnitSerializer,
    )
    @action(**WRITE)
    def revert(self, request, slug, version, key):
        data = self.validated(api.RevertSerializer)
        return self._shown(services.revert_unit(self._unit(), data["history_id"], actor=request.user))


@extend_schema_view(
    list=extend_schema(summary="Posts of a version"),
    retrieve=extend_schema(summary="A post"),
)
class PostViewSet(VersionScoped, ReadViewSet):
    serializer_class = api.PostSerializer
    filterset_class = filtersets.PostFilterSet

    def scoped_queryset(self):
        return (
            Post.objects.filter(version=self.version)
            .select_related("unit", "holder", "reports_to")
            .prefetch_related("duties")
            .order_by("pk")
        )

    def _post(self) -> Post:
        post = self.get_object()
        post.version = self.version
        return post

    @extend_schema(
        summary="A post's reporting line",
        description="From the post through whom it reports to, up to the kommunaldirektør and the political level.",
        responses=api.ReportingStepSerializer(many=True),
    )
    @action(detail=True, url_path="reporting-line", pagination_class=None, filterset_class=None)
    def reporting_line(self, request, slug, version, key):
        steps = selectors.reporting_line(self._post())
        return Response(api.ReportingStepSerializer(steps, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Appoint a post's holder",
        description="`holder` a person's key, or null to leave the post vacant.",
        request=api.HolderSerializer,
        responses=api.PostSerializer,
    )
    @action(**WRITE, url_path="assign-holder")
    def assign_holder(self, request, slug, version, key):
        data = self.validated(api.HolderSerializer, holder=Person.objects.filter(municipality=self.municipality))
        post = services.assign_holder(self._post(), data["holder"], actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=post.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Tasks of a version"),
    retrieve=extend_schema(summary="A task"),
)
class TaskViewSet(VersionScoped, ReadViewSet):
    serializer_class = api.TaskSerializer
    filterset_class = filtersets.TaskFilterSet

    def scoped_queryset(self):
        return (
            Task.objects.filter(version=self.version)
            .select_related("unit")
            .order_by("unit__tree_id", "unit__lft", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="People of a municipality", description="Post holders and committee members."),
    retrieve=extend_schema(summary="A person"),
)
class PersonViewSet(MunicipalityScoped, ReadViewSet):
    serializer_class = api.PersonSerializer
    filterset_class = filtersets.PersonFilterSet

    def scoped_queryset(self):
        return Person.objects.filter(municipality=self.municipality).order_by("name", "pk")


MUNICIPALITY = r"municipalities/(?P<slug>[^/.]+)"
VERSION = rf"{MUNICIPALITY}/versions/(?P<version>{KEY})"


def register_routes(router, routes) -> None:
    """Each (prefix, viewset, basename) on the router, its path parameters described in the schema."""
    for prefix, viewset, basename in routes:
        router.register(prefix, described(viewset, prefix), basename=basename)


def register(router) -> None:
    """The organisation's routes on the project's API router (orgmodel.api_urls)."""
    register_routes(
        router,
        [
            (r"municipalities", MunicipalityViewSet, "municipality"),
            (rf"{MUNICIPALITY}/versions", VersionViewSet, "version"),
            (rf"{VERSION}/units", UnitViewSet, "unit"),
            (rf"{VERSION}/posts", PostViewSet, "post"),
            (rf"{VERSION}/tasks", TaskViewSet, "task"),
            (rf"{MUNICIPALITY}/people", PersonViewSet, "person"),
        ],
    )
