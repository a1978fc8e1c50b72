"""Admin forms for units, posts and tasks: choices limited to one version; validation ends with the services'
side-effect-free check (`centers.services.check_*`), so a refusal appears on the field it concerns and the
save that follows cannot be refused for a reason the form did not show."""

from __future__ import annotations

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.forms import TreeNodeChoiceField

from centers import services
from centers.choices import DIRECTOR_POST_KINDS
from centers.models import Duty, OrgVersion, Person, Post, Task, Unit

from .base import ServiceCheckedForm, ask_for_people_of, parse_id, refusal_text

SAME_VERSION_UNIT = _("Vælg en enhed i samme version.")
SAME_VERSION_POST = _("Vælg en stilling i samme version.")
SAME_VERSION_DIRECTOR = _("Vælg en direktørstilling i samme version.")
SAME_MUNICIPALITY_PERSON = _("Vælg en person fra samme kommune.")
EDITABLE_VERSION = _("Vælg en version, der kan ændres (ikke en tidligere version).")


def post_label(post: Post) -> str:
    """A post as a choice: title, holder (or vacant) and unit, so posts with the same title can be told apart."""
    holder = post.holder.name if post.holder_id else gettext("ubesat")
    unit = f", {post.unit.name}" if post.unit_id else ""
    return f"{post.title} — {holder}{unit}"


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        return post_label(obj)


def version_posts(version_id: int | None):
    return Post.objects.filter(version_id=version_id).select_related("holder", "unit").order_by("title", "key")


def version_units(version_id: int | None):
    return Unit.objects.filter(version_id=version_id).order_by("tree_id", "lft")


def director_posts(version_id: int | None):
    return version_posts(version_id).filter(kind__in=DIRECTOR_POST_KINDS)


def editable_versions():
    return OrgVersion.objects.exclude(status=OrgVersion.Status.PREVIOUS).select_related("municipality")


def form_version_id(form: forms.BaseForm) -> int | None:
    """The version an object of the form belongs to: its own, else the one chosen or preset in the form."""
    if form.instance.pk:
        return form.instance.version_id
    value = form.data.get("version") or form.initial.get("version")
    return value if isinstance(value, int) else parse_id(value)


def limit_choices(form: forms.BaseForm, name: str, queryset, message, field_class=None) -> None:
    """Offer (and accept) only `queryset` in the field `name`, if the form shows it; `field_class` replaces the
    field (e.g. a tree with indentation), keeping its label and whether it is required."""
    field = form.fields.get(name)
    if field is None:
        return
    if field_class is not None:
        field = form.fields[name] = field_class(
            queryset=queryset, required=field.required, label=field.label, help_text=field.help_text
        )
    field.queryset = queryset
    field.error_messages["invalid_choice"] = message


class UnitPlacementFields(forms.Form):
    """Where a unit sits and who answers for it: choices of the unit's own version (set by the form)."""

    parent = TreeNodeChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=capfirst(_("overordnet enhed")),
        error_messages={"invalid_choice": SAME_VERSION_UNIT},
    )
    responsible = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=capfirst(_("ansvarlig direktør")),
        help_text=_("En direktørstilling i versionen; direktøren kan ændre enheden og dens underenheder."),
        error_messages={"invalid_choice": SAME_VERSION_DIRECTOR},
    )


class UnitChangeForm(UnitPlacementFields, ServiceCheckedForm):
    """An existing unit; its edits are checked by `services.check_unit_edits` and saved by `update_unit`."""

    head = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=capfirst(_("leder")),
        help_text=_("En af enhedens egne stillinger."),
        error_messages={"invalid_choice": _("Vælg en af enhedens egne stillinger.")},
    )

    class Meta:
        model = Unit
        fields = ["name", "name_en", "parent", "head", "responsible", "formed_from", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.instance.version
        self.fields["parent"].queryset = version_units(version.pk)
        self.fields["head"].queryset = version_posts(version.pk).filter(unit_id=self.instance.pk)
        self.fields["responsible"].queryset = director_posts(version.pk)
        if "formed_from" in self.fields:
            self.fields["formed_from"].queryset = version_units(version.based_on_id)

    def changes(self) -> dict:
        return {
            field: self.cleaned_data[field]
            for field in services.UNIT_FIELDS
            if field in self.changed_data and field in self.cleaned_data
        }

    def service_check(self, instance) -> None:
        changes = self.changes()
        try:
            services.check_unit_edits(Unit.objects.get(pk=instance.pk), changes, actor=self.actor)
        except services.NotPermitted as error:
            if "parent" not in changes:
                raise
            self.add_error("parent", refusal_text(error))  # the unit itself was checked by the admin

    def save_edits(self, actor) -> Unit:
        return services.update_unit(Unit.objects.get(pk=self.instance.pk), self.changes(), actor=actor)


class UnitAddForm(UnitPlacementFields, ServiceCheckedForm):
    """A new unit in an editable version; the version comes from the changelist's filter (or the posted data)."""

    class Meta:
        model = Unit
        fields = ["version", "key", "name", "name_en", "kind", "parent", "responsible", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "version", editable_versions(), EDITABLE_VERSION)
        version_id = form_version_id(self)
        limit_choices(self, "parent", version_units(version_id), SAME_VERSION_UNIT)
        limit_choices(self, "responsible", director_posts(version_id), SAME_VERSION_DIRECTOR)


class PostForm(ServiceCheckedForm):
    """A post; checked and saved by `services.check_post` / `save_post` (a new holder is an appointment)."""

    class Meta:
        model = Post
        fields = ["version", "key", "title", "title_en", "kind", "unit", "holder", "reports_to", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "version", editable_versions(), EDITABLE_VERSION)
        version = OrgVersion.objects.filter(pk=form_version_id(self)).first()
        if version is not None:
            limit_choices(self, "unit", version_units(version.pk), SAME_VERSION_UNIT, TreeNodeChoiceField)
            posts = version_posts(version.pk).exclude(pk=self.instance.pk)
            limit_choices(self, "reports_to", posts, SAME_VERSION_POST, PostChoiceField)
            people = Person.objects.filter(municipality_id=version.municipality_id)
            limit_choices(self, "holder", people, SAME_MUNICIPALITY_PERSON)
            ask_for_people_of(self.fields.get("holder"), version.municipality_id)


class KeyFixedOnceSaved:
    """A row edited inline keeps its key (part of its public URL) once saved; a new row gets one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "key" in self.fields:
            self.fields["key"].disabled = True


class PostInlineForm(KeyFixedOnceSaved, ServiceCheckedForm):
    """A post in its unit's form: the holder from the unit's municipality (autocomplete), the post it reports
    to from the unit's version. `version` is set by the inline (PostInline.get_formset)."""

    version: OrgVersion | None = None

    class Meta:
        model = Post
        fields = ["key", "title", "kind", "holder", "reports_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.version is None:
            return
        posts = version_posts(self.version.pk).exclude(pk=self.instance.pk)
        limit_choices(self, "reports_to", posts, SAME_VERSION_POST, PostChoiceField)
        people = Person.objects.filter(municipality_id=self.version.municipality_id)
        limit_choices(self, "holder", people, SAME_MUNICIPALITY_PERSON)
        ask_for_people_of(self.fields.get("holder"), self.version.municipality_id)


class TaskInlineForm(KeyFixedOnceSaved, ServiceCheckedForm):
    class Meta:
        model = Task
        fields = ["key", "name", "name_en"]


class DutyInlineForm(KeyFixedOnceSaved, ServiceCheckedForm):
    class Meta:
        model = Duty
        fields = ["key", "name", "name_en", "source"]


class DutyForm(ServiceCheckedForm):
    class Meta:
        model = Duty
        fields = ["version", "post", "key", "name", "name_en", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "version", editable_versions(), EDITABLE_VERSION)
        version_id = form_version_id(self)
        if version_id is not None:
            limit_choices(self, "post", version_posts(version_id), SAME_VERSION_POST, PostChoiceField)


class VersionedInlineFormSet(BaseInlineFormSet):
    """Posts, tasks and duties added in a unit's or post's change form belong to its version."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.version_id = self.instance.version_id
        return form


class TaskForm(ServiceCheckedForm):
    class Meta:
        model = Task
        fields = ["version", "key", "name", "name_en", "unit", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "version", editable_versions(), EDITABLE_VERSION)
        version_id = form_version_id(self)
        if version_id is not None:
            limit_choices(self, "unit", version_units(version_id), SAME_VERSION_UNIT, TreeNodeChoiceField)


class MoveToForm(forms.Form):
    """The "Flyt til …" action's question: under which unit of the same version."""

    target = TreeNodeChoiceField(queryset=Unit.objects.none(), label=capfirst(_("ny overordnet enhed")))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class AssignResponsibleForm(forms.Form):
    """The "Tildel ansvarlig direktør" action's question: which director-kind post of the same version."""

    post = PostChoiceField(queryset=Post.objects.none(), label=capfirst(_("ansvarlig direktør")))

    def __init__(self, *args, version: OrgVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = director_posts(version.pk)
