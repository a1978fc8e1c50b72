"""The administrative organisation: municipalities, their organisation versions and what is inside one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from . import invariants
from .choices import PostKind, UnitKind


class RowHistory(HistoricalRecords):
    """django-simple-history's records, indexed by the row they record (and their date and user) only: a history
    is read row by row. Its default indexes every copied key and foreign key too, eight more index entries per
    row in every load, for queries nobody runs."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            field.db_index = name == model._meta.pk.name
        return fields


# django-mptt's bookkeeping changes on every move of a neighbour; history keeps the parent, which is what moved.
MPTT_FIELDS = ["lft", "rght", "tree_id", "level"]


def localized(instance: models.Model, field: str) -> str:
    """The English variant of a text field (`<field>_en`) when English is active and it is filled in."""
    if (get_language() or "da").startswith("en"):
        return getattr(instance, f"{field}_en", "") or getattr(instance, field)
    return getattr(instance, field)


def validate_municipality_slug(slug: str) -> None:
    from .slugs import reserved_slug_problem

    problem = reserved_slug_problem(slug)
    if problem:
        raise ValidationError(problem.message)


def validate_version_key(key: str) -> None:
    from .slugs import reserved_version_key_problem

    problem = reserved_version_key_problem(key)
    if problem:
        raise ValidationError(problem.message)


class Municipality(models.Model):
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_municipality_slug])
    name = models.CharField(_("navn"), max_length=200)
    kommunekode = models.PositiveSmallIntegerField(_("kommunekode"), unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="municipalities",
        verbose_name=_("brugere"),
        help_text=_("Læsere, direktører og kommunaldirektører arbejder kun i deres egne kommuner."),
    )

    history = RowHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centers:municipality", args=[self.slug])


class Source(models.Model):
    """A document an organisation is encoded from."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="sources", verbose_name=_("kommune")
    )
    key = models.CharField(_("nøgle"), max_length=50)
    title = models.CharField(_("titel"), max_length=500)
    file = models.CharField(_("fil"), max_length=200, blank=True)
    url = models.URLField(_("adresse"), blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["municipality", "key"]
        verbose_name = _("kilde")
        verbose_name_plural = _("kilder")
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="unique_source_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"


class Person(models.Model):
    """Someone who holds a post or sits in a committee."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="people", verbose_name=_("kommune")
    )
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("bruger"),
    )
    history = RowHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="unique_person_key")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The person page; costs a query unless `municipality` is loaded (templates with a `municipality` in
        their context can use {% url 'centers:person' municipality.slug person.key %} instead)."""
        return reverse("centers:person", args=[self.municipality.slug, self.key])

    def clean(self) -> None:
        invariants.raise_problems([invariants.person_user_problem(self)])


class OrgVersion(models.Model):
    """One state of a municipality's organisation: previous, current, proposed or draft."""

    class Status(models.TextChoices):
        PREVIOUS = "previous", _("tidligere")
        CURRENT = "current", _("gældende")
        PROPOSED = "proposed", _("foreslået")
        DRAFT = "draft", _("udkast")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="versions", verbose_name=_("kommune")
    )
    key = models.CharField(_("nøgle"), max_length=50, validators=[validate_version_key])
    label = models.CharField(_("betegnelse"), max_length=200)
    label_en = models.CharField(_("betegnelse (engelsk)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    effective_from = models.DateField(_("gældende fra"), null=True, blank=True)
    effective_to = models.DateField(_("gældende til"), null=True, blank=True)
    decided_on = models.DateField(_("besluttet den"), null=True, blank=True)
    decided_by = models.CharField(_("besluttet af"), max_length=200, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("bygger på"),
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["municipality", "effective_from", "key"]
        verbose_name = _("organisationsversion")
        verbose_name_plural = _("organisationsversioner")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="unique_version_key"),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(status="current"),
                name="one_current_version_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="version_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("centers:chart", args=[self.municipality.slug, self.key])

    def clean(self) -> None:
        problems = [invariants.dates_problem(self.effective_from, self.effective_to)]
        if self.based_on_id:
            problems.append(
                invariants.same_municipality_problem("based_on", self.municipality_id, self.based_on.municipality_id)
            )
            if self.based_on_id == self.pk:
                problems.append(invariants.Problem("based_on", "based_on_itself"))
        invariants.raise_problems(problems)

    @property
    def is_read_only(self) -> bool:
        return self.status == self.Status.PREVIOUS

    @property
    def display_label(self) -> str:
        return localized(self, "label")


class Unit(MPTTModel):
    """A unit of the administration inside one organisation version; each version is its own forest."""

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="units")
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=300)
    name_en = models.CharField(_("navn (engelsk)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    parent = TreeForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet enhed"),
    )
    head = models.ForeignKey(
        "Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("leder"),
    )
    responsible = models.ForeignKey(
        "Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("ansvarlig direktør"),
    )
    formed_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("dannet af")
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory(excluded_fields=MPTT_FIELDS)

    class MPTTMeta:
        order_insertion_by: list[str] = []

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_unit_key")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centers:unit", args=[self.version.municipality.slug, self.version.key, self.key])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        invariants.raise_problems(invariants.unit_problems(self))


class Post(models.Model):
    """A seat in the organisation (kommunaldirektør, direktør, centerchef ...); a Person may hold it."""

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="posts")
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    title = models.CharField(_("titel"), max_length=300)
    title_en = models.CharField(_("titel (engelsk)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=PostKind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts", verbose_name=_("enhed")
    )
    holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("indehaver"),
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("refererer til"),
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["version", "key"]
        verbose_name = _("stilling")
        verbose_name_plural = _("stillinger")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_post_key")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("centers:post", args=[self.version.municipality.slug, self.version.key, self.key])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    def clean(self) -> None:
        invariants.raise_problems(invariants.post_problems(self))


class Task(models.Model):
    """A task (opgave); the same key in two versions under different units is a task move."""

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="tasks")
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=500)
    name_en = models.CharField(_("navn (engelsk)"), max_length=500, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("enhed"))
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["version", "unit", "id"]
        verbose_name = _("opgave")
        verbose_name_plural = _("opgaver")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_task_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        invariants.raise_problems(invariants.reference_problems(self))


class Duty(models.Model):
    """A duty of a post as the source states it ("centerchefen er ansvarlig for myndighed og lovlig forvaltning");
    the same post key and duty key in two versions is the same duty continuing."""

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="duties")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="duties", verbose_name=_("stilling"))
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=500)
    name_en = models.CharField(_("navn (engelsk)"), max_length=500, blank=True)
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["post", "id"]
        verbose_name = _("stillingens opgave")
        verbose_name_plural = _("stillingens opgaver")
        constraints = [models.UniqueConstraint(fields=["post", "key"], name="unique_duty_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        invariants.raise_problems(invariants.reference_problems(self))
