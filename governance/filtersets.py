"""The API's filters of the political and collaborative layer (keys, as everywhere in the API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from centers.filtersets import TextQueryFilterSet

from .models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network

NAMED = ("name", "name_en", "key")


class CommitteeFilterSet(TextQueryFilterSet):
    text_fields = NAMED
    kind = django_filters.MultipleChoiceFilter(choices=Committee.Kind.choices, label=_("type"))

    class Meta:
        model = Committee
        fields = ["kind", "q"]


class CommitteeServiceFilterSet(django_filters.FilterSet):
    """`?committee=` (who serves it), `?unit=` and `?post=` (what they serve; a unit's own posts included),
    `?role=`."""

    committee = django_filters.CharFilter(field_name="committee__key", label=_("udvalg (nøgle)"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("enhed (nøgle)"))
    post = django_filters.CharFilter(field_name="post__key", label=_("stilling (nøgle)"))
    role = django_filters.MultipleChoiceFilter(choices=CommitteeService.Role.choices, label=_("rolle"))

    class Meta:
        model = CommitteeService
        fields = ["committee", "unit", "post", "role"]

    def filter_unit(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(unit__key=value) | Q(post__unit__key=value))


class MembershipFilterSet(django_filters.FilterSet):
    committee = django_filters.CharFilter(field_name="committee__key", label=_("udvalg (nøgle)"))
    person = django_filters.CharFilter(field_name="person__key", label=_("person (nøgle)"))
    party = django_filters.CharFilter(field_name="party", label=_("parti"))

    class Meta:
        model = Membership
        fields = ["committee", "person", "party"]


class ForumFilterSet(TextQueryFilterSet):
    text_fields = NAMED
    kind = django_filters.MultipleChoiceFilter(choices=Forum.Kind.choices, label=_("type"))

    class Meta:
        model = Forum
        fields = ["kind", "q"]


class NetworkFilterSet(TextQueryFilterSet):
    text_fields = NAMED
    kind = django_filters.MultipleChoiceFilter(choices=Network.Kind.choices, label=_("type"))

    class Meta:
        model = Network
        fields = ["kind", "q"]


class LevelFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class BudgetResponsibilityFilterSet(django_filters.FilterSet):
    level = LevelFilter(label=_("niveau"))
    scope = django_filters.CharFilter(field_name="scope__key", label=_("område (nøgle)"))
    holder = django_filters.CharFilter(field_name="holder__key", label=_("ansvarlig stilling (nøgle)"))

    class Meta:
        model = BudgetResponsibility
        fields = ["level", "scope", "holder"]
