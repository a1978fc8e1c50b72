"""The political and collaborative layer around an organisation version."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centers import invariants
from centers.models import Municipality, OrgVersion, Person, Post, RowHistory, Unit, localized


class Committee(models.Model):
    """A political body of a municipality: council, Økonomiudvalget, a standing committee ..."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("byråd/kommunalbestyrelse")
        FINANCE = "finance", _("økonomiudvalg")
        STANDING = "standing", _("stående udvalg")
        SPECIAL = "special", _("særligt udvalg")
        OTHER = "other", _("andet")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="committees", verbose_name=_("kommune")
    )
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=300)
    name_en = models.CharField(_("navn (engelsk)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["municipality", "id"]
        verbose_name = _("udvalg")
        verbose_name_plural = _("udvalg")
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="unique_committee_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class CommitteeService(models.Model):
    """A unit or post that serves (betjener) a committee in one organisation version."""

    class Role(models.TextChoices):
        SERVES = "serves", _("betjener")
        ATTENDS = "attends", _("deltager i møderne")
        PREPARES_AGENDA = "prepares_agenda", _("forbereder dagsorden")
        SECRETARIAT = "secretariat", _("sekretariat")

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="committee_services")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="services")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="committee_services")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="committee_services")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["version", "committee", "id"]
        verbose_name = _("betjening af udvalg")
        verbose_name_plural = _("betjening af udvalg")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(post__isnull=False), name="service_names_unit_or_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.post} → {self.committee} ({self.get_role_display()})"

    def clean(self) -> None:
        problems = invariants.reference_problems(self)
        if not self.unit_id and not self.post_id:
            problems.append(invariants.Problem("unit", "service_names_nothing"))
        invariants.raise_problems(problems)


class Membership(models.Model):
    """A person's seat in a committee."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    party = models.CharField(_("parti"), max_length=100, blank=True)
    start = models.DateField(_("fra"), null=True, blank=True)
    end = models.DateField(_("til"), null=True, blank=True)
    source = models.CharField(_("kilde"), max_length=200, blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["committee", "id"]
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")

    def __str__(self) -> str:
        return f"{self.person} i {self.committee}"

    def clean(self) -> None:
        invariants.raise_problems(invariants.reference_problems(self))


class Forum(models.Model):
    """A standing meeting: koncernledelse, lederkreds, direktionsmøde, HovedMED ..."""

    class Kind(models.TextChoices):
        EXECUTIVE_BOARD = "executive_board", _("direktionsmøde")
        MANAGEMENT_GROUP = "management_group", _("ledergruppe")
        LEADERS_CIRCLE = "leaders_circle", _("lederkreds")
        MED = "med", _("MED-udvalg")
        OTHER = "other", _("andet")

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="forums")
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=300)
    name_en = models.CharField(_("navn (engelsk)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    chair = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="chaired_forums")
    member_units = models.ManyToManyField(Unit, blank=True, related_name="forums")
    member_posts = models.ManyToManyField(Post, blank=True, related_name="forums")
    members_text = models.TextField(_("medlemmer"), blank=True)
    frequency = models.CharField(_("hyppighed"), max_length=200, blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory(m2m_fields=[member_units, member_posts])

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("forum")
        verbose_name_plural = _("fora")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_forum_key")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        invariants.raise_problems(invariants.reference_problems(self))

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Network(models.Model):
    """A knowledge team (vidensteam), network or innovation network across units."""

    class Kind(models.TextChoices):
        KNOWLEDGE_TEAM = "knowledge_team", _("vidensteam")
        NETWORK = "network", _("netværk")
        INNOVATION_NETWORK = "innovation_network", _("innovationsnetværk")

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="networks")
    key = models.SlugField(_("nøgle"), max_length=100, db_index=False)
    name = models.CharField(_("navn"), max_length=300)
    name_en = models.CharField(_("navn (engelsk)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    leader = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_networks")
    leader_text = models.CharField(_("leder (tekst)"), max_length=300, blank=True)
    owner = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_networks")
    member_units = models.ManyToManyField(Unit, blank=True, related_name="networks")
    members_text = models.TextField(_("medlemmer"), blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    frequency = models.CharField(_("hyppighed"), max_length=200, blank=True)
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory(m2m_fields=[member_units])

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("netværk")
        verbose_name_plural = _("netværk")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_network_key")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        invariants.raise_problems(invariants.reference_problems(self))

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class BudgetResponsibility(models.Model):
    """One level of økonomiansvar: who answers for the budget of a unit's subtree."""

    version = models.ForeignKey(OrgVersion, on_delete=models.CASCADE, related_name="budget_responsibilities")
    level = models.PositiveSmallIntegerField(_("niveau"))
    name = models.CharField(_("betegnelse"), max_length=300, blank=True)
    holder = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="budget_responsibilities"
    )
    scope = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="budget_responsibilities")
    supported_by = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="supported_budgets"
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = RowHistory()

    class Meta:
        ordering = ["version", "level", "id"]
        verbose_name = _("økonomiansvar")
        verbose_name_plural = _("økonomiansvar")
        constraints = [models.CheckConstraint(condition=Q(level__gte=1), name="budget_level_positive")]

    def __str__(self) -> str:
        return f"{self.level}: {self.holder or '-'} / {self.scope}"

    def clean(self) -> None:
        invariants.raise_problems(invariants.reference_problems(self))
