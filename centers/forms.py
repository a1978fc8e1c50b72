"""Admin forms for units, posts and tasks: choices limited to one version, edits checked by the services' rules.

How a unit's change form validates (`UnitChangeForm`): the edits that the editing services own (parent, name,
English name, head, responsible director) are applied in `clean()` as a *dry run*: the version is locked, the
services run inside a savepoint that is always rolled back, and an `EditRefused` is mapped field by field
onto the form (`message_dict`). So the rules live only in `centers.services`, and their messages appear on
the field they concern. On save the admin applies the same edits for real through the same services. Inside
the admin the version lock taken in `clean()` is held by the request's transaction until the save is done, so
the real run sees the state the dry run checked.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.forms import TreeNodeChoiceField

from . import services
from .models import DIRECTOR_POST_KINDS, OrgVersion, Person, Post, Task, Unit, UnitKind

# The unit fields written by the editing services, in the order they are applied: the move first (the
# director must still own the unit), the responsible director last (it may take the unit out of the portfolio).
SERVICE_FIELDS = ("parent", "name", "name_en", "head", "responsible")
SAME_VERSION_UNIT = _("Vælg en enhed i samme version.")
SAME_VERSION_POST = _("Vælg en stilling i samme version.")
EDITABLE_VERSION = _("Vælg en version, der kan ændres (ikke en tidligere version).")


class _DryRun(Exception):
    """Raised inside a dry run to roll its savepoint back."""


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
    return int(value) if value and str(value).isdigit() else None


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


def add_refusal(form: forms.BaseForm, error: ValidationError, *, fallback: str | None = None) -> None:
    """Put a service's refusal on the fields it names; a field the form does not show goes to `fallback`."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {fallback: error.messages}
    for field, messages in by_field.items():
        target = field if field in form.fields else fallback
        if target not in form.fields:
            target = None
        form.add_error(target, messages)


def apply_unit_edits(unit: Unit, changes: dict, *, actor) -> Unit:
    """Apply `changes` (a subset of SERVICE_FIELDS to new values) to `unit` through the editing services."""
    if "parent" in changes:
        parent = changes["parent"]
        if parent is None:
            if unit.kind != UnitKind.DIRECTORATE:
                raise services.EditRefused({"parent": [gettext("Kun en direktion kan ligge øverst.")]})
        else:
            unit = services.move_unit(unit, parent, "last-child", actor=actor)
    if "name" in changes or "name_en" in changes:
        unit = services.rename_unit(
            unit, changes.get("name", unit.name), changes.get("name_en", unit.name_en), actor=actor
        )
    if "head" in changes:
        unit = services.set_head(unit, changes["head"], actor=actor)
    if "responsible" in changes:
        unit = services.set_responsible(unit, changes["responsible"], actor=actor)
    return unit


def dry_run(version: OrgVersion, apply) -> None:
    """Lock `version` (kept by the caller's transaction) and run `apply()` in a savepoint that is rolled back."""
    with transaction.atomic():
        services.lock_version(version)
        try:
            with transaction.atomic():
                apply()
                raise _DryRun
        except _DryRun:
            pass


class KeyUniqueInVersionMixin:
    """A key is unique within its version. Django leaves that constraint unchecked when the version is not a
    field of the form (change forms, inlines), and the save would fail with an IntegrityError instead."""

    def clean_key(self):
        key = self.cleaned_data["key"]
        version_id = self.instance.version_id
        duplicate = self._meta.model.objects.filter(version_id=version_id, key=key).exclude(pk=self.instance.pk)
        if "version" not in self.fields and version_id and duplicate.exists():
            raise ValidationError(gettext("Nøglen «%(key)s» er allerede brugt i denne version.") % {"key": key})
        return key


class UnitChangeForm(KeyUniqueInVersionMixin, forms.ModelForm):
    """Change form of an existing unit; see the module docstring for how its edits are validated."""

    actor = None  # the user who edits; the admin sets it per request

    parent = TreeNodeChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("overordnet enhed"),
        error_messages={"invalid_choice": SAME_VERSION_UNIT},
    )
    head = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=_("leder"),
        help_text=_("En af enhedens egne stillinger."),
        error_messages={"invalid_choice": _("Vælg en af enhedens egne stillinger.")},
    )
    responsible = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=_("ansvarlig direktør"),
        error_messages={"invalid_choice": SAME_VERSION_POST},
    )

    class Meta:
        model = Unit
        fields = ["name", "name_en", "parent", "head", "responsible", "key", "formed_from", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.instance.version
        self.fields["parent"].queryset = version_units(version.pk)
        self.fields["head"].queryset = version_posts(version.pk).filter(unit_id=self.instance.pk)
        self.fields["responsible"].queryset = version_posts(version.pk)
        if "formed_from" in self.fields:
            self.fields["formed_from"].queryset = version_units(version.based_on_id)

    def service_changes(self) -> dict:
        return {
            field: self.cleaned_data[field]
            for field in SERVICE_FIELDS
            if field in self.changed_data and field in self.cleaned_data
        }

    def clean(self):
        cleaned_data = super().clean()
        changes = self.service_changes()
        if changes:
            unit = Unit.objects.get(pk=self.instance.pk)
            try:
                dry_run(unit.version, lambda: apply_unit_edits(unit, changes, actor=self.actor))
            except services.EditRefused as error:
                add_refusal(self, error)
            except services.NotPermitted as error:
                # The unit itself was checked by the admin; what is refused here is the new parent.
                add_refusal(self, ValidationError(error.args[0]), fallback="parent" if "parent" in changes else None)
        return cleaned_data

    def save_edits(self, actor) -> Unit:
        """Apply the edits for real: the service fields through the services, the plain fields with one save."""
        unit = apply_unit_edits(Unit.objects.get(pk=self.instance.pk), self.service_changes(), actor=actor)
        plain = [field for field in ("key", "source", "note") if field in self.changed_data]
        if plain:
            for field in plain:
                setattr(unit, field, self.cleaned_data[field])
            unit._history_user = actor
            unit.save(update_fields=plain)
        return unit


class UnitAddForm(forms.ModelForm):
    """A new unit in an editable version; the version comes from the changelist's filter (or the posted data)."""

    parent = TreeNodeChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("overordnet enhed"),
        error_messages={"invalid_choice": SAME_VERSION_UNIT},
    )
    responsible = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=_("ansvarlig direktør"),
        error_messages={"invalid_choice": SAME_VERSION_POST},
    )

    class Meta:
        model = Unit
        fields = ["version", "key", "name", "name_en", "kind", "parent", "responsible", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "version", editable_versions(), EDITABLE_VERSION)
        version_id = form_version_id(self)
        limit_choices(self, "parent", version_units(version_id), SAME_VERSION_UNIT)
        limit_choices(self, "responsible", version_posts(version_id), SAME_VERSION_POST)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") and cleaned_data["kind"] != UnitKind.DIRECTORATE and not cleaned_data.get("parent"):
            self.add_error("parent", gettext("Kun en direktion kan ligge øverst."))
        return cleaned_data


class PortfolioCheckMixin:
    """Posts and tasks: the unit they are put in must be one the user may change (a director: their portfolio)."""

    actor = None
    perm = ""

    def check_unit(self, cleaned_data: dict) -> None:
        version = cleaned_data.get("version") or getattr(self.instance, "version", None)
        if version is None:
            return
        if version.is_read_only:
            self.add_error(
                None, gettext("Versionen «%(version)s» er historisk og kan ikke ændres.") % {"version": version.label}
            )
            return
        unit = cleaned_data.get("unit")
        changed = not self.instance.pk or "unit" in self.changed_data
        if changed and self.actor is not None:
            candidate = self._meta.model(version=version, unit=unit)
            if not self.actor.has_perm(self.perm, candidate):
                self.add_error("unit", gettext("Du kan kun lægge den i en enhed, du har ret til at ændre."))


class PostForm(KeyUniqueInVersionMixin, PortfolioCheckMixin, forms.ModelForm):
    """A post; choosing its holder is an appointment and goes through `services.assign_holder` on save."""

    perm = "centers.change_post"

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
            limit_choices(self, "holder", people, _("Vælg en person fra samme kommune."))

    def clean(self):
        cleaned_data = super().clean()
        self.check_unit(cleaned_data)
        check_post_invariants(self, self.instance, cleaned_data)
        return cleaned_data

    def save_post(self, actor) -> Post:
        """Save the post's own fields; a new holder is then appointed through `services.assign_holder`."""
        post = self.instance
        holder_changed = "holder" in self.changed_data
        new_holder = post.holder
        if holder_changed:
            post.holder_id = self.initial.get("holder")
        if set(self.changed_data) - {"holder"} or not post.pk:
            post._history_user = actor
            post.save()
        if holder_changed:
            post = services.assign_holder(post, new_holder, actor=actor)
        return post


def check_post_invariants(form: forms.BaseForm, post: Post, cleaned_data: dict) -> None:
    """A post kept by units stays fit for it: a responsible director stays a director-kind post, a head stays
    in the unit it leads."""
    if not post.pk:
        return
    kind = cleaned_data.get("kind")
    if kind and kind not in DIRECTOR_POST_KINDS and post.responsible_for.exists():
        form.add_error(
            "kind", gettext("Stillingen er ansvarlig direktør for enheder og skal være en direktørstilling.")
        )
    if (
        "unit" in form.changed_data
        and Unit.objects.filter(head=post).exclude(pk=getattr(cleaned_data.get("unit"), "pk", None)).exists()
    ):
        form.add_error("unit", gettext("Stillingen er leder af sin enhed og kan ikke flyttes til en anden enhed."))


class PostInlineForm(KeyUniqueInVersionMixin, forms.ModelForm):
    """A post in its unit's change form; the holder is appointed through `services.assign_holder` (see the
    admin's save_formset)."""

    class Meta:
        model = Post
        fields = ["key", "title", "title_en", "kind", "holder", "reports_to"]

    def clean(self):
        cleaned_data = super().clean()
        check_post_invariants(self, self.instance, cleaned_data)
        return cleaned_data


class TaskInlineForm(KeyUniqueInVersionMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["key", "name", "name_en"]


class VersionedInlineFormSet(BaseInlineFormSet):
    """Posts and tasks added in a unit's change form belong to the unit's version."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.version_id = self.instance.version_id
        return form


class TaskForm(KeyUniqueInVersionMixin, PortfolioCheckMixin, forms.ModelForm):
    perm = "centers.change_task"

    class Meta:
        model = Task
        fields = ["version", "key", "name", "name_en", "unit", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "version", editable_versions(), EDITABLE_VERSION)
        version_id = form_version_id(self)
        if version_id is not None:
            limit_choices(self, "unit", version_units(version_id), SAME_VERSION_UNIT, TreeNodeChoiceField)

    def clean(self):
        cleaned_data = super().clean()
        self.check_unit(cleaned_data)
        return cleaned_data


class MoveToForm(forms.Form):
    """The "Flyt til …" action's question: under which unit of the same version."""

    target = TreeNodeChoiceField(queryset=Unit.objects.none(), label=_("ny overordnet enhed"))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class AssignResponsibleForm(forms.Form):
    """The "Tildel ansvarlig direktør" action's question: which director-kind post of the same version."""

    post = PostChoiceField(queryset=Post.objects.none(), label=_("ansvarlig direktør"))

    def __init__(self, *args, version: OrgVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = director_posts(version.pk)
