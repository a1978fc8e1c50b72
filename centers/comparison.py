"""The differences between two exported versions of a municipality: a pure function of two version dicts.

A version is an element of `structure_format.export(municipality)["versions"]` (governance adds
`committee_services`, `forums`, `networks` and `budget_responsibilities`); missing optional keys count as empty,
so the plain dicts of `centers.synthetic` compare as well. No database is read.

Which unit is which (the links)
    A unit of the before version is linked to a unit of the after version when they have the same key (a unit
    continues under its key), and, when one of the two versions is `based_on` the other, when the newer unit
    lists the older one in `formed_from`. The links run the same way whichever version is "before", so
    compare(B, A) sees the links of compare(A, B) reversed. Without `based_on` between the two (2011 against a
    version two steps later) only keys link units. `formed_from == [own key]`, as a clone has, is a plain
    continuation.

Each change once
    - unit_added: an after unit without links; unit_removed: a before unit without links.
    - units_merged: an after unit with two or more links (key: the after unit; `units_before`: its sources, in
      `formed_from` order, its own key first when it continues and `formed_from` leaves it out). A merge into a
      continuing unit (an after unit whose key is also in before, plus other sources) is one units_merged whose
      sources include the unit itself; the sentence then says the others become part of it ("indgår i"). The
      sources are not also removed, the merged unit is not also added.
    - unit_split: a before unit with two or more links (key: the before unit; `units_after`: its targets).
      A split that keeps the unit (one target has its key) is one unit_split ("udskilles fra"). One unit may be a
      merge source and split at once (Lejre 2014: the service centres go to both KSU and KØA): each change is
      about its own subject, so both are reported.
    - A continuing unit is a same-key pair, or a one-to-one link between two keys (the after unit's only link
      is the before unit and the reverse): the unit continuing under a new key. Its own changes are reported as
      unit_renamed (name or name_en), unit_moved (a parent that is not the continuation of the old parent),
      unit_kind_changed, unit_responsible_changed and unit_head_changed, one change each; a re-keyed unit's
      changes carry the newer version's key, and references to it (parents, units of tasks and posts, scopes,
      members) count as unchanged. The parts of a merge or split that are not continuations get no such changes.
    - task_moved: a task key whose unit in after is not the continuation of its unit in before; a task that
      follows its unit into a merge therefore moves ("Opgaven «Indkøb» flytter fra Servicecenter Allerslev til
      Koncernsekretariat & Udvikling"). task_renamed (name or name_en) comes beside a move, not instead of it.
    - Posts, forums and networks by key; a committee service by "committee/unit-or-post/role" (the unit when it
      has one, the post then being a field), a budget row by "level/scope". Rows that are equal in every field
      pair first, the rest pair in document order within their key; what is left is added or removed.
    - `source` and `note` are provenance, not organisation: they are never compared.

Inverse
    compare(B, A) reports, for every change of compare(A, B), one change of the inverse kind (added ↔ removed,
    units_merged ↔ unit_split, the others their own inverse) with the same key and fields, `before` ↔ `after`
    and `units_before` ↔ `units_after` swapped. Only the order of the list and the sentences differ: each
    direction lists and words its changes from its own point of view.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from .choices import UnitKind
from .models import OrgVersion
from .structure_format import export

CHANGE_KINDS = (
    "units_merged",
    "unit_split",
    "unit_added",
    "unit_removed",
    "unit_moved",
    "unit_renamed",
    "unit_kind_changed",
    "unit_responsible_changed",
    "unit_head_changed",
    "task_moved",
    "task_added",
    "task_removed",
    "task_renamed",
    "post_added",
    "post_removed",
    "post_changed",
    "committee_service_added",
    "committee_service_removed",
    "committee_service_changed",
    "forum_added",
    "forum_removed",
    "forum_changed",
    "network_added",
    "network_removed",
    "network_changed",
    "budget_added",
    "budget_removed",
    "budget_changed",
)
"""Every kind of change, in the order of `Comparison.groups()` (the order the changes are listed in)."""

INVERSE_KINDS = {
    **{kind: kind for kind in CHANGE_KINDS},
    "units_merged": "unit_split",
    "unit_split": "units_merged",
    **{kind: kind.replace("_added", "_removed") for kind in CHANGE_KINDS if kind.endswith("_added")},
    **{kind: kind.replace("_removed", "_added") for kind in CHANGE_KINDS if kind.endswith("_removed")},
}
"""The kind compare(B, A) reports for a change that compare(A, B) reports."""

GROUPS = (
    (gettext_lazy("Sammenlægninger"), ("units_merged",)),
    (gettext_lazy("Opdelinger"), ("unit_split",)),
    (gettext_lazy("Nye enheder"), ("unit_added",)),
    (gettext_lazy("Nedlagte enheder"), ("unit_removed",)),
    (gettext_lazy("Flyttede enheder"), ("unit_moved",)),
    (gettext_lazy("Omdøbte enheder"), ("unit_renamed",)),
    (gettext_lazy("Ny enhedstype"), ("unit_kind_changed",)),
    (gettext_lazy("Ny ansvarlig direktør"), ("unit_responsible_changed",)),
    (gettext_lazy("Ny leder"), ("unit_head_changed",)),
    (gettext_lazy("Opgaver der flytter"), ("task_moved",)),
    (gettext_lazy("Nye opgaver"), ("task_added",)),
    (gettext_lazy("Bortfaldne opgaver"), ("task_removed",)),
    (gettext_lazy("Omdøbte opgaver"), ("task_renamed",)),
    (gettext_lazy("Stillinger"), ("post_added", "post_removed", "post_changed")),
    (
        gettext_lazy("Udvalgsbetjening"),
        ("committee_service_added", "committee_service_removed", "committee_service_changed"),
    ),
    (gettext_lazy("Fora"), ("forum_added", "forum_removed", "forum_changed")),
    (gettext_lazy("Netværk"), ("network_added", "network_removed", "network_changed")),
    (gettext_lazy("Økonomiansvar"), ("budget_added", "budget_removed", "budget_changed")),
)

MARKS = ("merged", "split", "added", "removed", "moved", "renamed", "changed")

_MARK_OF_KIND = {
    "units_merged": "merged",
    "unit_split": "split",
    "unit_added": "added",
    "unit_removed": "removed",
    "unit_moved": "moved",
    "unit_renamed": "renamed",
}

# One mark per unit: the strongest wins. Between merged and split the change whose subject the unit is wins on
# each side (a unit split in "before", a unit formed by a merge in "after"), so compare(B, A) marks alike.
_MARK_RANK = {
    "before": {"split": 0, "merged": 1, "added": 2, "removed": 2, "moved": 3, "renamed": 4, "changed": 5},
    "after": {"merged": 0, "split": 1, "added": 2, "removed": 2, "moved": 3, "renamed": 4, "changed": 5},
}

FIELD_LABELS = {
    "name": pgettext_lazy("comparison", "navn"),
    "name_en": pgettext_lazy("comparison", "engelsk navn"),
    "title": pgettext_lazy("comparison", "titel"),
    "title_en": pgettext_lazy("comparison", "engelsk titel"),
    "kind": pgettext_lazy("comparison", "type"),
    "unit": pgettext_lazy("comparison", "enhed"),
    "post": pgettext_lazy("comparison", "stilling"),
    "holder": pgettext_lazy("comparison", "indehaver"),
    "reports_to": pgettext_lazy("comparison", "refererer til"),
    "duties": pgettext_lazy("comparison", "ansvarsområder"),
    "chair": pgettext_lazy("comparison", "formand"),
    "member_units": pgettext_lazy("comparison", "medlemsenheder"),
    "member_posts": pgettext_lazy("comparison", "medlemsstillinger"),
    "members_text": pgettext_lazy("comparison", "medlemmer"),
    "frequency": pgettext_lazy("comparison", "hyppighed"),
    "purpose": pgettext_lazy("comparison", "formål"),
    "leader": pgettext_lazy("comparison", "leder"),
    "leader_text": pgettext_lazy("comparison", "leder (beskrivelse)"),
    "owner": pgettext_lazy("comparison", "ejer"),
    "supported_by": pgettext_lazy("comparison", "støttet af"),
}
BUDGET_FIELD_LABELS = {**FIELD_LABELS, "holder": pgettext_lazy("comparison", "ansvarlig stilling")}

# How a committee service's role reads in a sentence: "<unit or post> <role> <committee>".
ROLE_PHRASES = {
    "serves": pgettext_lazy("comparison", "betjener"),
    "attends": pgettext_lazy("comparison", "deltager i møderne i"),
    "prepares_agenda": pgettext_lazy("comparison", "forbereder dagsorden for"),
    "secretariat": pgettext_lazy("comparison", "er sekretariat for"),
}

POST_FIELDS = ("title", "title_en", "kind", "unit", "holder", "reports_to", "duties")
FORUM_FIELDS = (
    "name",
    "name_en",
    "kind",
    "chair",
    "member_units",
    "member_posts",
    "members_text",
    "frequency",
    "purpose",
)
NETWORK_FIELDS = (
    "name",
    "name_en",
    "kind",
    "leader",
    "leader_text",
    "owner",
    "member_units",
    "members_text",
    "purpose",
    "frequency",
)
BUDGET_FIELDS = ("name", "holder", "supported_by")


@dataclass(frozen=True)
class _Names:
    """What the sentences name: the units and posts of both versions and the municipality's committees."""

    units: dict[str, dict[str, dict]] = field(default_factory=lambda: {"before": {}, "after": {}})
    posts: dict[str, dict[str, dict]] = field(default_factory=lambda: {"before": {}, "after": {}})
    committees: dict[str, dict] = field(default_factory=dict)
    shared_titles: dict[tuple[str, bool], set[str]] = field(default_factory=dict)

    def post_title(self, side: str, key: str) -> str:
        """A post's title, with its key when another post of the version has the same title ("Direktør")."""
        title = _localized(self.posts[side].get(key), "title", key)
        shared = self.shared_titles.get((side, _english()))
        if shared is None:
            counts = Counter(_localized(post, "title", post_key) for post_key, post in self.posts[side].items())
            shared = self.shared_titles[side, _english()] = {title for title, count in counts.items() if count > 1}
        return f"{title} ({key})" if title in shared else title


_NO_NAMES = _Names()


@dataclass(frozen=True)
class Change:
    """One difference between two versions; see the module docstring for which changes there are."""

    kind: str
    key: str
    before: dict | None
    after: dict | None
    units_before: tuple[str, ...]
    units_after: tuple[str, ...]
    fields: tuple[str, ...] = ()
    _names: _Names = field(default=_NO_NAMES, compare=False, repr=False)

    def describe(self) -> str:
        """One sentence in the active language, naming units in it (English names when English is active)."""
        return _SENTENCES[self.kind](self)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "before": self.before,
            "after": self.after,
            "units_before": list(self.units_before),
            "units_after": list(self.units_after),
            "fields": list(self.fields),
            "text": self.describe(),
        }

    def _unit(self, side: str, key: str | None) -> str:
        return _localized(self._names.units[side].get(key), "name", key)

    def _post(self, side: str, key: str | None) -> str:
        if key is None:
            return pgettext("comparison", "ingen")
        return self._names.post_title(side, key)

    def _committee(self, key: str) -> str:
        return _localized(self._names.committees.get(key), "name", key)


@dataclass
class Comparison:
    """The changes from one version (`before_key`) to another (`after_key`), in the order of the groups."""

    before_key: str
    after_key: str
    changes: list[Change]

    def marks(self) -> dict[str, dict[str, str]]:
        """One mark per unit of each chart: merged/split > added/removed > moved > renamed > changed."""
        marks: dict[str, dict[str, str]] = {"before": {}, "after": {}}
        for change in self.changes:
            mark = _MARK_OF_KIND.get(change.kind, "changed")
            for side, keys in (("before", change.units_before), ("after", change.units_after)):
                rank, marked = _MARK_RANK[side], marks[side]
                for key in keys:
                    if key not in marked or rank[mark] < rank[marked[key]]:
                        marked[key] = mark
        return marks

    def groups(self) -> list[tuple[str, list[Change]]]:
        """(heading in the active language, its changes) in reading order, empty groups left out."""
        by_kind: dict[str, list[Change]] = defaultdict(list)
        for change in self.changes:
            by_kind[change.kind].append(change)
        groups = []
        for heading, kinds in GROUPS:
            changes = [change for kind in kinds for change in by_kind[kind]]
            if changes:
                groups.append((str(heading), changes))
        return groups

    def counts(self) -> dict[str, int]:
        counted = Counter(change.kind for change in self.changes)
        return {kind: counted[kind] for kind in CHANGE_KINDS}

    def as_dict(self) -> dict:
        return {
            "before": self.before_key,
            "after": self.after_key,
            "changes": [change.as_dict() for change in self.changes],
            "marks": self.marks(),
            "counts": self.counts(),
        }


def compare_versions(municipality, before_key: str, after_key: str) -> Comparison:
    """Export the municipality once and compare two of its versions (OrgVersion.DoesNotExist names a missing
    key)."""
    document = export(municipality)
    versions = {version["key"]: version for version in document["versions"]}
    for key in (before_key, after_key):
        if key not in versions:
            known = ", ".join(versions) or "none"
            raise OrgVersion.DoesNotExist(f"{municipality.slug} has no version '{key}' (versions: {known})")
    committees = {committee["key"]: committee for committee in document.get("committees", [])}
    return compare(versions[before_key], versions[after_key], committees=committees)


def compare(before: dict, after: dict, *, committees: dict[str, dict] | None = None) -> Comparison:
    """Pure: two exported versions → their differences. `committees` (key → spec with name, name_en) only
    lends the sentences committee names; without it they name committees by key."""
    return _Comparer(before, after, committees or {}).run()


class _Comparer:
    def __init__(self, before: dict, after: dict, committees: dict[str, dict]):
        self.before, self.after = before, after
        self.units = {
            "before": {unit["key"]: unit for unit in before.get("units", [])},
            "after": {unit["key"]: unit for unit in after.get("units", [])},
        }
        self.posts = {
            "before": {post["key"]: post for post in before.get("posts", [])},
            "after": {post["key"]: post for post in after.get("posts", [])},
        }
        self.names = _Names(units=self.units, posts=self.posts, committees=committees)
        self.changes: dict[str, list[Change]] = {kind: [] for kind in CHANGE_KINDS}

    def run(self) -> Comparison:
        self.link_units()
        self.compare_units()
        self.compare_tasks()
        self.compare_posts()
        self.compare_committee_services()
        self.compare_keyed("forum", "forums", FORUM_FIELDS)
        self.compare_keyed("network", "networks", NETWORK_FIELDS)
        self.compare_budgets()
        changes = [change for kind in CHANGE_KINDS for change in self.changes[kind]]
        return Comparison(str(self.before.get("key", "")), str(self.after.get("key", "")), changes)

    def add(self, kind: str, key: str, before, after, units_before=(), units_after=(), fields=()) -> None:
        change = Change(kind, key, before, after, tuple(units_before), tuple(units_after), tuple(fields), self.names)
        self.changes[kind].append(change)

    # Units.

    def link_units(self) -> None:
        """The links between before and after units (module docstring), each unit's linked units in order, and
        the key under which a continuing unit is compared (its own, or the newer key of a re-keyed unit)."""
        before_units, after_units = self.units["before"], self.units["after"]
        forward = self.after.get("based_on") is not None and self.after.get("based_on") == self.before.get("key")
        backward = self.before.get("based_on") is not None and self.before.get("based_on") == self.after.get("key")
        links: list[tuple[str, str]] = []
        if forward or backward:
            newer, older = (after_units, before_units) if forward else (before_units, after_units)
            for key, unit in newer.items():
                formed_from = unit.get("formed_from") or []
                linked = formed_from if key in formed_from else [key, *formed_from]
                for older_key in dict.fromkeys(linked):
                    if older_key in older:
                        links.append((older_key, key) if forward else (key, older_key))
        else:
            links = [(key, key) for key in after_units if key in before_units]
        self.targets: dict[str, list[str]] = defaultdict(list)
        self.sources: dict[str, list[str]] = defaultdict(list)
        for before_key, after_key in links:
            self.targets[before_key].append(after_key)
            self.sources[after_key].append(before_key)
        self.continuations: list[tuple[str, str, str]] = [(key, key, key) for key in after_units if key in before_units]
        self.canonical = {"before": {}, "after": {}}
        for before_key, after_key in links:
            rekeyed = before_key != after_key and before_key not in after_units and after_key not in before_units
            if rekeyed and self.targets[before_key] == [after_key] and self.sources[after_key] == [before_key]:
                newer_key = after_key if forward else before_key
                self.canonical["before"][before_key] = newer_key
                self.canonical["after"][after_key] = newer_key
                self.continuations.append((newer_key, before_key, after_key))

    def same_unit(self, before_key: str | None, after_key: str | None) -> bool:
        return self.canon("before", before_key) == self.canon("after", after_key)

    def canon(self, side: str, key: str | None) -> str | None:
        return self.canonical[side].get(key, key)

    def compare_units(self) -> None:
        before_units, after_units = self.units["before"], self.units["after"]
        for key, unit in after_units.items():
            sources = self.sources.get(key, [])
            if len(sources) >= 2:
                self.add("units_merged", key, None, unit, sources, (key,))
            elif not sources:
                self.add("unit_added", key, None, unit, (), (key,))
        for key, unit in before_units.items():
            targets = self.targets.get(key, [])
            if len(targets) >= 2:
                self.add("unit_split", key, unit, None, (key,), targets)
            elif not targets:
                self.add("unit_removed", key, unit, None, (key,), ())
        for key, before_key, after_key in self.continuations:
            old, new = before_units[before_key], after_units[after_key]
            sides = ((before_key,), (after_key,))
            renamed = [name for name in ("name", "name_en") if _text(old.get(name)) != _text(new.get(name))]
            if renamed:
                self.add("unit_renamed", key, old, new, *sides, renamed)
            if not self.same_unit(old.get("parent"), new.get("parent")):
                self.add("unit_moved", key, old, new, *sides, ("parent",))
            for kind, name in (
                ("unit_kind_changed", "kind"),
                ("unit_responsible_changed", "responsible"),
                ("unit_head_changed", "head"),
            ):
                if old.get(name) != new.get(name):
                    self.add(kind, key, old, new, *sides, (name,))

    def compare_tasks(self) -> None:
        tasks = {
            side: {
                task["key"]: {**task, "unit": unit_key}
                for unit_key, unit in units.items()
                for task in unit.get("tasks") or []
            }
            for side, units in self.units.items()
        }
        before_tasks, after_tasks = tasks["before"], tasks["after"]
        for key, old in before_tasks.items():
            new = after_tasks.get(key)
            if new is None:
                self.add("task_removed", key, old, None, (old["unit"],), ())
                continue
            sides = ((old["unit"],), (new["unit"],))
            if not self.same_unit(old["unit"], new["unit"]):
                self.add("task_moved", key, old, new, *sides, ("unit",))
            renamed = [name for name in ("name", "name_en") if _text(old.get(name)) != _text(new.get(name))]
            if renamed:
                self.add("task_renamed", key, old, new, *sides, renamed)
        for key, new in after_tasks.items():
            if key not in before_tasks:
                self.add("task_added", key, None, new, (), (new["unit"],))

    # Posts and the governance rows.

    def compare_posts(self) -> None:
        before_posts, after_posts = self.posts["before"], self.posts["after"]
        for key, old in before_posts.items():
            new = after_posts.get(key)
            units_before = _present(old.get("unit"))
            if new is None:
                self.add("post_removed", key, old, None, units_before, ())
                continue
            changed = self.changed_fields(old, new, POST_FIELDS)
            if changed:
                self.add("post_changed", key, old, new, units_before, _present(new.get("unit")), changed)
        for key, new in after_posts.items():
            if key not in before_posts:
                self.add("post_added", key, None, new, (), _present(new.get("unit")))

    def field_value(self, side: str, spec: dict, name: str):
        """A field as compared: units through their continuation, sets for member lists, blank text as None."""
        value = spec.get(name)
        if name in ("unit", "parent", "scope", "supported_by"):
            return self.canon(side, value)
        if name == "member_units":
            return frozenset(self.canon(side, key) for key in value or [])
        if name == "member_posts":
            return frozenset(value or [])
        if name == "duties":
            return {duty["key"]: (_text(duty.get("name")), _text(duty.get("name_en"))) for duty in value or []}
        return _text(value)

    def changed_fields(self, old: dict, new: dict, names: Iterable[str]) -> list[str]:
        return [name for name in names if self.field_value("before", old, name) != self.field_value("after", new, name)]

    def compare_keyed(self, subject: str, section: str, fields: tuple[str, ...]) -> None:
        before_rows = {row["key"]: row for row in self.before.get(section) or []}
        after_rows = {row["key"]: row for row in self.after.get(section) or []}
        for key, old in before_rows.items():
            new = after_rows.get(key)
            if new is None:
                self.add(f"{subject}_removed", key, old, None, old.get("member_units") or [], ())
                continue
            changed = self.changed_fields(old, new, fields)
            if changed:
                old_members = self.field_value("before", old, "member_units")
                new_members = self.field_value("after", new, "member_units")
                left = [unit for unit in old.get("member_units") or [] if self.canon("before", unit) not in new_members]
                joined = [
                    unit for unit in new.get("member_units") or [] if self.canon("after", unit) not in old_members
                ]
                self.add(f"{subject}_changed", key, old, new, left, joined, changed)
        for key, new in after_rows.items():
            if key not in before_rows:
                self.add(f"{subject}_added", key, None, new, (), new.get("member_units") or [])

    def compare_committee_services(self) -> None:
        def key(side: str, row: dict) -> str:
            unit = self.canon(side, row.get("unit"))
            return f"{row.get('committee')}/{unit if unit is not None else row.get('post')}/{row.get('role')}"

        self.compare_rows(
            "committee_service",
            "committee_services",
            key,
            ("unit", "post"),
            lambda row: _present(row.get("unit")),
        )

    def compare_budgets(self) -> None:
        self.compare_rows(
            "budget",
            "budget_responsibilities",
            lambda side, row: f"{row.get('level')}/{self.canon(side, row.get('scope'))}",
            BUDGET_FIELDS,
            lambda row: tuple(dict.fromkeys(key for key in (row.get("scope"), row.get("supported_by")) if key)),
        )

    def compare_rows(
        self,
        subject: str,
        section: str,
        key_of: Callable[[str, dict], str],
        fields: tuple[str, ...],
        units_of: Callable[[dict], tuple[str, ...]],
    ) -> None:
        """Rows without a key of their own: equal rows pair first, then rows of one key in document order."""

        def identity(side: str, row: dict) -> tuple:
            return (key_of(side, row), *(_hashable(self.field_value(side, row, name)) for name in fields))

        def unmatched(side: str, rows: list[dict], other: Counter) -> list[dict]:
            """The rows left when each is paired with an equal row of the other version, as far as there are."""
            other, left = Counter(other), []
            for row in rows:
                found = identity(side, row)
                if other[found]:
                    other[found] -= 1
                else:
                    left.append(row)
            return left

        before_rows = list(self.before.get(section) or [])
        after_rows = list(self.after.get(section) or [])
        before_left = unmatched("before", before_rows, Counter(identity("after", row) for row in after_rows))
        after_left = unmatched("after", after_rows, Counter(identity("before", row) for row in before_rows))
        after_by_key: dict[str, list[int]] = defaultdict(list)
        for position, row in enumerate(after_left):
            after_by_key[key_of("after", row)].append(position)
        paired: set[int] = set()
        for old in before_left:
            key = key_of("before", old)
            if after_by_key[key]:
                position = after_by_key[key].pop(0)
                paired.add(position)
                new = after_left[position]
                changed = self.changed_fields(old, new, fields)
                self.add(f"{subject}_changed", key, old, new, units_of(old), units_of(new), changed)
            else:
                self.add(f"{subject}_removed", key, old, None, units_of(old), ())
        for position, row in enumerate(after_left):
            if position not in paired:
                self.add(f"{subject}_added", key_of("after", row), None, row, (), units_of(row))


def _text(value):
    """Blank text and a missing value compare equal."""
    return value if value not in ("", None) else None


def _present(key: str | None) -> tuple[str, ...]:
    return (key,) if key else ()


def _hashable(value):
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


# Sentences.


def _english() -> bool:
    return (get_language() or "da").startswith("en")


def _localized(spec: dict | None, field_name: str, key: str | None) -> str:
    if spec is None:
        return key or ""
    if _english() and spec.get(f"{field_name}_en"):
        return spec[f"{field_name}_en"]
    return spec.get(field_name) or key or ""


def _listing(items: list[str]) -> str:
    """'A', 'A og B', 'A, B og C' in the active language."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s og %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _fields(change: Change, labels: dict = FIELD_LABELS) -> str:
    return _listing([str(labels.get(name, name)) for name in change.fields])


def _other_language() -> str:
    """The language whose name changed when the active one did not."""
    return pgettext("comparison", "danske") if _english() else pgettext("comparison", "engelske")


def _merged(change: Change) -> str:
    target = change._unit("after", change.key)
    if change.key in change.units_before:
        others = [change._unit("before", key) for key in change.units_before if key != change.key]
        return ngettext("%(units)s indgår i %(target)s", "%(units)s indgår i %(target)s", len(others)) % {
            "units": _listing(others),
            "target": target,
        }
    sources = [change._unit("before", key) for key in change.units_before]
    return _("%(units)s lægges sammen til %(target)s") % {"units": _listing(sources), "target": target}


def _split(change: Change) -> str:
    unit = change._unit("before", change.key)
    if change.key in change.units_after:
        others = [change._unit("after", key) for key in change.units_after if key != change.key]
        return ngettext("%(units)s udskilles fra %(unit)s", "%(units)s udskilles fra %(unit)s", len(others)) % {
            "units": _listing(others),
            "unit": unit,
        }
    targets = [change._unit("after", key) for key in change.units_after]
    return _("%(unit)s deles i %(units)s") % {"unit": unit, "units": _listing(targets)}


def _unit_added(change: Change) -> str:
    parent = change.after.get("parent")
    if parent is None:
        return _("Ny enhed: %(unit)s") % {"unit": change._unit("after", change.key)}
    return _("Ny enhed: %(unit)s under %(parent)s") % {
        "unit": change._unit("after", change.key),
        "parent": change._unit("after", parent),
    }


def _unit_removed(change: Change) -> str:
    return _("%(unit)s nedlægges") % {"unit": change._unit("before", change.key)}


def _unit_renamed(change: Change) -> str:
    old = _localized(change.before, "name", change.key)
    new = _localized(change.after, "name", change.key)
    if old != new:
        return _("%(old)s omdøbes til %(new)s") % {"old": old, "new": new}
    other = "name_en" if not _english() else "name"
    return _("Det %(language)s navn på %(unit)s ændres fra %(old)s til %(new)s") % {
        "language": _other_language(),
        "unit": new,
        "old": change.before.get(other) or "–",
        "new": change.after.get(other) or "–",
    }


def _unit_moved(change: Change) -> str:
    old, new = change.before.get("parent"), change.after.get("parent")
    values = {
        "unit": _localized(change.after, "name", change.key),
        "old": change._unit("before", old),
        "new": change._unit("after", new),
    }
    if old is None:
        return _("%(unit)s flyttes fra øverste niveau til %(new)s") % values
    if new is None:
        return _("%(unit)s flyttes fra %(old)s til øverste niveau") % values
    return _("%(unit)s flyttes fra %(old)s til %(new)s") % values


def _kind_label(kind: str | None) -> str:
    return str(UnitKind(kind).label) if kind in UnitKind.values else str(kind)


def _unit_kind_changed(change: Change) -> str:
    return _("%(unit)s skifter type fra %(old)s til %(new)s") % {
        "unit": _localized(change.after, "name", change.key),
        "old": _kind_label(change.before.get("kind")),
        "new": _kind_label(change.after.get("kind")),
    }


def _posts(change: Change, name: str) -> tuple[str, str]:
    """The old and new post of a unit, by title; with their keys when the titles read alike."""
    old_key, new_key = change.before.get(name), change.after.get(name)
    old, new = change._post("before", old_key), change._post("after", new_key)
    if old == new and old_key != new_key and f"({old_key})" not in old:
        old, new = f"{old} ({old_key})", f"{new} ({new_key})"
    return old, new


def _unit_responsible_changed(change: Change) -> str:
    old, new = _posts(change, "responsible")
    return _("Ny ansvarlig direktør for %(unit)s: %(new)s (før: %(old)s)") % {
        "unit": _localized(change.after, "name", change.key),
        "old": old,
        "new": new,
    }


def _unit_head_changed(change: Change) -> str:
    old, new = _posts(change, "head")
    return _("Ny leder af %(unit)s: %(new)s (før: %(old)s)") % {
        "unit": _localized(change.after, "name", change.key),
        "old": old,
        "new": new,
    }


def _task_moved(change: Change) -> str:
    return _("Opgaven «%(task)s» flytter fra %(old)s til %(new)s") % {
        "task": _localized(change.after, "name", change.key),
        "old": change._unit("before", change.before["unit"]),
        "new": change._unit("after", change.after["unit"]),
    }


def _task_added(change: Change) -> str:
    return _("Ny opgave i %(unit)s: «%(task)s»") % {
        "unit": change._unit("after", change.after["unit"]),
        "task": _localized(change.after, "name", change.key),
    }


def _task_removed(change: Change) -> str:
    return _("Opgaven «%(task)s» i %(unit)s bortfalder") % {
        "task": _localized(change.before, "name", change.key),
        "unit": change._unit("before", change.before["unit"]),
    }


def _task_renamed(change: Change) -> str:
    old = _localized(change.before, "name", change.key)
    new = _localized(change.after, "name", change.key)
    unit = change._unit("after", change.after["unit"])
    if old != new:
        return _("Opgaven «%(old)s» i %(unit)s omdøbes til «%(new)s»") % {"old": old, "new": new, "unit": unit}
    other = "name_en" if not _english() else "name"
    return _("Det %(language)s navn på opgaven «%(task)s» i %(unit)s ændres fra «%(old)s» til «%(new)s»") % {
        "language": _other_language(),
        "task": new,
        "unit": unit,
        "old": change.before.get(other) or "–",
        "new": change.after.get(other) or "–",
    }


def _post_added(change: Change) -> str:
    title = change._post("after", change.key)
    unit = change.after.get("unit")
    if unit is None:
        return _("Ny stilling: «%(title)s»") % {"title": title}
    return _("Ny stilling: «%(title)s» i %(unit)s") % {"title": title, "unit": change._unit("after", unit)}


def _post_removed(change: Change) -> str:
    title = change._post("before", change.key)
    unit = change.before.get("unit")
    if unit is None:
        return _("Stillingen «%(title)s» nedlægges") % {"title": title}
    return _("Stillingen «%(title)s» i %(unit)s nedlægges") % {"title": title, "unit": change._unit("before", unit)}


def _post_changed(change: Change) -> str:
    return _("Stillingen «%(title)s» ændres: %(fields)s") % {
        "title": change._post("after", change.key),
        "fields": _fields(change),
    }


def _service(change: Change, side: str) -> dict[str, str]:
    row = change.before if side == "before" else change.after
    unit, post = row.get("unit"), row.get("post")
    if unit and post:
        subject = f"{change._unit(side, unit)} ({change._post(side, post)})"
    else:
        subject = change._unit(side, unit) if unit else change._post(side, post)
    role = row.get("role")
    return {
        "subject": subject,
        "role": str(ROLE_PHRASES.get(role, role)),
        "committee": change._committee(row.get("committee")),
    }


def _service_added(change: Change) -> str:
    return _("Ny udvalgsbetjening: %(subject)s %(role)s %(committee)s") % _service(change, "after")


def _service_removed(change: Change) -> str:
    return _("Udvalgsbetjening ophører: %(subject)s %(role)s %(committee)s") % _service(change, "before")


def _service_changed(change: Change) -> str:
    return _("Udvalgsbetjening ændres: %(subject)s %(role)s %(committee)s (%(fields)s)") % {
        **_service(change, "after"),
        "fields": _fields(change),
    }


def _forum_added(change: Change) -> str:
    return _("Nyt forum: «%(name)s»") % {"name": _localized(change.after, "name", change.key)}


def _forum_removed(change: Change) -> str:
    return _("Forummet «%(name)s» nedlægges") % {"name": _localized(change.before, "name", change.key)}


def _forum_changed(change: Change) -> str:
    return _("Forummet «%(name)s» ændres: %(fields)s") % {
        "name": _localized(change.after, "name", change.key),
        "fields": _fields(change),
    }


def _network_added(change: Change) -> str:
    return _("Nyt netværk: «%(name)s»") % {"name": _localized(change.after, "name", change.key)}


def _network_removed(change: Change) -> str:
    return _("Netværket «%(name)s» nedlægges") % {"name": _localized(change.before, "name", change.key)}


def _network_changed(change: Change) -> str:
    return _("Netværket «%(name)s» ændres: %(fields)s") % {
        "name": _localized(change.after, "name", change.key),
        "fields": _fields(change),
    }


def _budget(change: Change, side: str) -> dict[str, str]:
    row = change.before if side == "before" else change.after
    return {
        "level": row.get("level"),
        "scope": change._unit(side, row.get("scope")),
        "holder": change._post(side, row.get("holder")),
    }


def _budget_added(change: Change) -> str:
    return _("Nyt økonomiansvar på niveau %(level)s for %(scope)s: %(holder)s") % _budget(change, "after")


def _budget_removed(change: Change) -> str:
    return _("Økonomiansvaret på niveau %(level)s for %(scope)s bortfalder") % _budget(change, "before")


def _budget_changed(change: Change) -> str:
    return _("Økonomiansvaret på niveau %(level)s for %(scope)s ændres: %(fields)s") % {
        **_budget(change, "after"),
        "fields": _fields(change, BUDGET_FIELD_LABELS),
    }


_SENTENCES: dict[str, Callable[[Change], str]] = {
    "units_merged": _merged,
    "unit_split": _split,
    "unit_added": _unit_added,
    "unit_removed": _unit_removed,
    "unit_moved": _unit_moved,
    "unit_renamed": _unit_renamed,
    "unit_kind_changed": _unit_kind_changed,
    "unit_responsible_changed": _unit_responsible_changed,
    "unit_head_changed": _unit_head_changed,
    "task_moved": _task_moved,
    "task_added": _task_added,
    "task_removed": _task_removed,
    "task_renamed": _task_renamed,
    "post_added": _post_added,
    "post_removed": _post_removed,
    "post_changed": _post_changed,
    "committee_service_added": _service_added,
    "committee_service_removed": _service_removed,
    "committee_service_changed": _service_changed,
    "forum_added": _forum_added,
    "forum_removed": _forum_removed,
    "forum_changed": _forum_changed,
    "network_added": _network_added,
    "network_removed": _network_removed,
    "network_changed": _network_changed,
    "budget_added": _budget_added,
    "budget_removed": _budget_removed,
    "budget_changed": _budget_changed,
}
