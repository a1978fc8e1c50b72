"""What a text query matches, and the API's filters; the site search (`centers.search`) and the API's `?q=` use
the same `matching` rules, so a unit the search finds is the unit the API lists."""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from .choices import PostKind, UnitKind
from .models import Municipality, OrgVersion, Person, Post, Task, Unit
from .selectors import in_force

# The fields a text query looks in, per element (case-insensitive "contains").
TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    Municipality: ("name", "slug"),
    Unit: ("name", "name_en", "key"),
    Post: ("title", "title_en", "holder__name", "key"),
    Task: ("name", "name_en"),
    Person: ("name",),
}


class EqualsOneOf(Func):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once and its ids go to the column's index,
    so a condition on a related row can join the other columns' trigram indexes in one bitmap scan (a join, or
    `IN (subquery)`, in an OR makes PostgreSQL read every row)."""

    arg_joiner = " = ANY(ARRAY("
    template = "%(expressions)s))"
    output_field = BooleanField()
    conditional = True


def _contains(model: type, field: str, query: str) -> Q:
    relation, _, column = field.rpartition("__")
    if not relation or connection.vendor != "postgresql":
        return Q(**{f"{field}__icontains": query})
    related = model._meta.get_field(relation).related_model.objects
    ids = related.filter(**{f"{column}__icontains": query}).order_by().values("pk")
    return Q(EqualsOneOf(F(f"{relation}_id"), Subquery(ids)))


def matching(model: type, query: str, fields: tuple[str, ...] = ()) -> Q:
    """The condition "one of the model's text fields (or `fields`) contains `query`", case-insensitively; on
    PostgreSQL answered from trigram indexes (migration centers 0008)."""
    return reduce(operator.or_, (_contains(model, field, query) for field in fields or TEXT_FIELDS[model]))


def contains_text(row, query: str, fields: tuple[str, ...] = ()) -> bool:
    """`matching` for a row already read (with the related rows its fields name): whether one of its text fields
    (or `fields`) contains `query`, compared in upper case as the trigram indexes are."""
    wanted = query.upper()
    for field in fields or TEXT_FIELDS[type(row)]:
        value = row
        for part in field.split("__"):
            value = getattr(value, part) if value is not None else None
        if value and wanted in value.upper():
            return True
    return False


class TextQueryFilterSet(django_filters.FilterSet):
    """`?q=`: the element's names, titles, holders or key contain the text, as in the site search; other apps'
    filtersets name their fields in `text_fields`."""

    text_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_text", label=_("tekst"))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(matching(queryset.model, value, self.text_fields)) if value else queryset


class MunicipalityFilterSet(TextQueryFilterSet):
    class Meta:
        model = Municipality
        fields = ["q"]


class GivenDateField(forms.DateField):
    """A date that, when the parameter is there, must be given (`?dato=` alone is not a date)."""

    def clean(self, value):
        if value == "":
            raise ValidationError(_("Angiv en dato (ÅÅÅÅ-MM-DD)."), code="required")
        return super().clean(value)


class GivenDateFilter(django_filters.DateFilter):
    field_class = GivenDateField


class GivenBooleanField(forms.NullBooleanField):
    """true or false (also True/False/1/0), and nothing else: `?root=ja` is refused, not ignored."""

    ACCEPTED = {"true", "false", "True", "False", "1", "0"}
    widget = forms.TextInput  # the raw value, which the select widget would turn into None when unknown

    def clean(self, value):
        if value not in (None, "") and value not in self.ACCEPTED:
            raise ValidationError(_("Angiv true eller false."), code="invalid")
        return super().clean(value)


class GivenBooleanFilter(django_filters.BooleanFilter):
    field_class = GivenBooleanField


class VersionFilterSet(django_filters.FilterSet):
    """`?status=`, and `?dato=` for the version in force on a date (the rule of the site's `?dato=`)."""

    status = django_filters.ChoiceFilter(choices=OrgVersion.Status.choices, label=_("status"))
    dato = GivenDateFilter(method="filter_in_force", label=_("i kraft på datoen"))

    class Meta:
        model = OrgVersion
        fields = ["status", "dato"]

    def filter_in_force(self, queryset: QuerySet, name: str, value) -> QuerySet:
        found = in_force(list(queryset), value)
        return queryset.filter(pk=found.pk if found else None)


class UnitFilterSet(TextQueryFilterSet):
    """`?kind=`, `?parent=` (a unit key; `?root=true` for the top units), `?q=`."""

    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices, label=_("type"))
    parent = django_filters.CharFilter(field_name="parent__key", label=_("overordnet enhed (nøgle)"))
    root = GivenBooleanFilter(field_name="parent", lookup_expr="isnull", label=_("kun øverste enheder"))

    class Meta:
        model = Unit
        fields = ["kind", "parent", "root", "q"]


class PostFilterSet(TextQueryFilterSet):
    """`?kind=`, `?unit=` (a unit key), `?holder=` (a person key), `?vacant=true`, `?q=`."""

    kind = django_filters.MultipleChoiceFilter(choices=PostKind.choices, label=_("type"))
    unit = django_filters.CharFilter(field_name="unit__key", label=_("enhed (nøgle)"))
    holder = django_filters.CharFilter(field_name="holder__key", label=_("indehaver (nøgle)"))
    vacant = GivenBooleanFilter(field_name="holder", lookup_expr="isnull", label=_("ubesat"))

    class Meta:
        model = Post
        fields = ["kind", "unit", "holder", "vacant", "q"]


class TaskFilterSet(TextQueryFilterSet):
    """`?unit=` (a unit key), `?q=`."""

    unit = django_filters.CharFilter(field_name="unit__key", label=_("enhed (nøgle)"))

    class Meta:
        model = Task
        fields = ["unit", "q"]


class PersonFilterSet(TextQueryFilterSet):
    class Meta:
        model = Person
        fields = ["q"]
