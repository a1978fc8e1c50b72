"""The political and collaborative layer's API views, on the organisation's routes (`…/versions/{version}/units/
{unit}/committees/` answers what a unit serves, `…/committee-services/?committee=` who serves a committee)."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from centers import selectors as organisation
from centers.api.views import (
    KEY,
    MUNICIPALITY,
    VERSION,
    MunicipalityScoped,
    ReadViewSet,
    VersionScoped,
    register_routes,
)
from centers.models import Post, Unit

from .. import filtersets, selectors
from ..models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network
from . import serializers as api


class ListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    pass


def services_queryset():
    return CommitteeService.objects.select_related("committee", "unit", "post").order_by("committee_id", "pk")


@extend_schema_view(
    list=extend_schema(summary="Committees of a municipality", description="`?kind=`, `?q=` name or key."),
    retrieve=extend_schema(summary="A committee"),
)
class CommitteeViewSet(MunicipalityScoped, ReadViewSet):
    serializer_class = api.CommitteeSerializer
    filterset_class = filtersets.CommitteeFilterSet

    def scoped_queryset(self):
        return Committee.objects.filter(municipality=self.municipality).order_by("pk")

    def get_serializer_context(self) -> dict:
        version = organisation.default_version(self.municipality)
        return {**super().get_serializer_context(), "default_version": version.key if version else None}


@extend_schema_view(
    list=extend_schema(
        summary="Committee memberships of a municipality", description="`?committee=`, `?person=`, `?party=`."
    )
)
class MembershipViewSet(MunicipalityScoped, ListViewSet):
    serializer_class = api.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet

    def scoped_queryset(self):
        return (
            Membership.objects.filter(committee__municipality=self.municipality)
            .select_related("person", "committee")
            .order_by("committee_id", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Who serves which committee in a version",
        description="`?committee=` who serves a committee; `?unit=` what a unit serves (itself or through its "
        "posts), `?post=`, `?role=`.",
    )
)
class CommitteeServiceViewSet(VersionScoped, ListViewSet):
    serializer_class = api.CommitteeServiceSerializer
    filterset_class = filtersets.CommitteeServiceFilterSet

    def scoped_queryset(self):
        return services_queryset().filter(version=self.version)


@extend_schema_view(
    list=extend_schema(
        summary="The committees a unit serves",
        description="Its own services and those of its posts, in the version.",
    )
)
class UnitCommitteeViewSet(VersionScoped, ListViewSet):
    serializer_class = api.CommitteeServiceSerializer
    filterset_class = None

    def scoped_queryset(self):
        unit = self.element(Unit, self.kwargs["unit"])
        return services_queryset().filter(Q(unit=unit) | Q(post__unit=unit), version=self.version)


@extend_schema_view(list=extend_schema(summary="The committees a post serves"))
class PostCommitteeViewSet(VersionScoped, ListViewSet):
    serializer_class = api.CommitteeServiceSerializer
    filterset_class = None

    def scoped_queryset(self):
        post = self.element(Post, self.kwargs["post"])
        return services_queryset().filter(post=post)


@extend_schema_view(
    list=extend_schema(
        summary="A unit's budget chain",
        description="The budget responsibilities whose scope is the unit or a unit above it, by level.",
    )
)
class BudgetChainViewSet(VersionScoped, ListViewSet):
    serializer_class = api.BudgetResponsibilitySerializer
    filterset_class = None
    pagination_class = None

    def scoped_queryset(self):
        return selectors.budget_chain(self.element(Unit, self.kwargs["unit"]))


@extend_schema_view(list=extend_schema(summary="Forums of a version"), retrieve=extend_schema(summary="A forum"))
class ForumViewSet(VersionScoped, ReadViewSet):
    serializer_class = api.ForumSerializer
    filterset_class = filtersets.ForumFilterSet

    def scoped_queryset(self):
        return (
            Forum.objects.filter(version=self.version)
            .select_related("chair")
            .prefetch_related(
                Prefetch("member_units", queryset=Unit.objects.only("id", "key").order_by("tree_id", "lft")),
                Prefetch("member_posts", queryset=Post.objects.only("id", "key").order_by("pk")),
            )
            .order_by("pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Networks and knowledge teams of a version"),
    retrieve=extend_schema(summary="A network"),
)
class NetworkViewSet(VersionScoped, ReadViewSet):
    serializer_class = api.NetworkSerializer
    filterset_class = filtersets.NetworkFilterSet

    def scoped_queryset(self):
        return (
            Network.objects.filter(version=self.version)
            .select_related("leader", "owner")
            .prefetch_related(
                Prefetch("member_units", queryset=Unit.objects.only("id", "key").order_by("tree_id", "lft"))
            )
            .order_by("pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Budget responsibilities of a version", description="`?level=`, `?scope=`, `?holder=`.")
)
class BudgetResponsibilityViewSet(VersionScoped, ListViewSet):
    serializer_class = api.BudgetResponsibilitySerializer
    filterset_class = filtersets.BudgetResponsibilityFilterSet

    def scoped_queryset(self):
        return (
            BudgetResponsibility.objects.filter(version=self.version)
            .select_related("holder", "scope", "supported_by")
            .order_by("level", "scope__tree_id", "scope__lft", "pk")
        )


def register(router) -> None:
    """The governance routes on the project's API router (orgmodel.api_urls)."""
    register_routes(
        router,
        [
            (rf"{MUNICIPALITY}/committees", CommitteeViewSet, "committee"),
            (rf"{MUNICIPALITY}/memberships", MembershipViewSet, "membership"),
            (rf"{VERSION}/committee-services", CommitteeServiceViewSet, "committee-service"),
            (rf"{VERSION}/units/(?P<unit>{KEY})/committees", UnitCommitteeViewSet, "unit-committees"),
            (rf"{VERSION}/units/(?P<unit>{KEY})/budget-chain", BudgetChainViewSet, "unit-budget-chain"),
            (rf"{VERSION}/posts/(?P<post>{KEY})/committees", PostCommitteeViewSet, "post-committees"),
            (rf"{VERSION}/forums", ForumViewSet, "forum"),
            (rf"{VERSION}/networks", NetworkViewSet, "network"),
            (rf"{VERSION}/budget-responsibilities", BudgetResponsibilityViewSet, "budget-responsibility"),
        ],
    )
