"""Concurrent tree edits on PostgreSQL: many moves from several connections at once leave a valid tree and lose
none, because every move holds its version's lock (services.lock_version) for the whole transaction; concurrent
adoptions in one municipality run one after the other (services.adopt_version locks its versions).

Marked `postgres`: deselected on SQLite (one writer at a time), run in the PostgreSQL pass, never skipped there.
"""

import datetime
import itertools
import threading
import time

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, connections, transaction

from centers import rules as roles
from centers import selectors, services, structure_format
from centers.models import Municipality, OrgVersion, Unit
from centers.services import tree_moves
from centers.synthetic import synthetic_structure
from tests.builders import two_area_document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS, MOVES_PER_THREAD, UNITS_PER_THREAD = 8, 25, 3
UNIT_COUNT = 600
WAIT = 30  # seconds; a worker that waits longer than this has hung


def nested_sets(version: OrgVersion) -> list[tuple]:
    return list(
        Unit.objects.filter(version=version).order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level")
    )


def rebuild_changes_nothing(version: OrgVersion) -> bool:
    """Recompute the nested sets with django-mptt from the parent links, compare, and roll the rebuild back."""
    before = nested_sets(version)
    with transaction.atomic():
        for tree_id in sorted({row[1] for row in before}):
            Unit.objects.partial_rebuild(tree_id)
        rebuilt = nested_sets(version)
        transaction.set_rollback(True)
    assert nested_sets(version) == before
    return rebuilt == before


def synthetic_version(slug: str, unit_count: int, kommunekode: int) -> OrgVersion:
    structure_format.load(synthetic_structure(slug, unit_count, kommunekode=kommunekode))
    return OrgVersion.objects.get(municipality__slug=slug)


def two_moves_with_the_first_paused(monkeypatch, first_move, second_move, *, patience: float) -> tuple[bool, list]:
    """Start the first move and pause it after it has read the nested sets and before it renumbers them; start the
    second and give it `patience` seconds. Returns whether the second was still running then (it waited for the
    first), and the errors of both, once both have ended."""
    has_read, resume = threading.Event(), threading.Event()
    renumber = tree_moves._renumber

    def paused_renumber(*args, **kwargs):
        if threading.current_thread().name == "first":
            has_read.set()
            resume.wait(timeout=WAIT)
        return renumber(*args, **kwargs)

    monkeypatch.setattr(tree_moves, "_renumber", paused_renumber)
    errors: list[BaseException] = []

    def move(unit: Unit, target: Unit) -> None:
        try:
            services.move_unit(unit, target, actor=services.SYSTEM)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=move, args=first_move, name="first")
    second = threading.Thread(target=move, args=second_move, name="second")
    first.start()
    assert has_read.wait(timeout=WAIT), errors
    second.start()
    second.join(timeout=patience)
    second_waited = second.is_alive()
    resume.set()
    first.join(timeout=WAIT)
    second.join(timeout=WAIT)
    return second_waited, errors


def test_concurrent_moves_keep_the_tree_valid_and_lose_no_move():
    version = synthetic_version("samtidig", UNIT_COUNT, 996)
    actor = User.objects.create_user("kommunaldirektoer", is_staff=True)
    actor.groups.add(Group.objects.get(name=roles.CHIEF_EXECUTIVE))
    actor.municipalities.set(Municipality.objects.all())
    centres = list(Unit.objects.filter(version=version, kind="centre").order_by("lft"))
    # Thread i moves three departments of centre i back and forth to a centre at the other end of the tree, so
    # every move shifts the nested sets of most of the tree, under every other thread's units too.
    plans = []
    for index in range(THREADS):
        home, away = centres[index], centres[-1 - index]
        units = list(Unit.objects.filter(parent=home, kind="department").order_by("lft")[:UNITS_PER_THREAD])
        assert len(units) == UNITS_PER_THREAD
        plans.append((units, (home, away)))

    last_parent: dict[int, int] = {}
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def work(units: list[Unit], parents: tuple[Unit, Unit]) -> None:
        try:
            start.wait(timeout=WAIT)
            where = {unit.pk: parents[0] for unit in units}
            for move in range(MOVES_PER_THREAD):
                unit = units[move % len(units)]
                target = parents[1] if where[unit.pk] == parents[0] else parents[0]
                position = ("last-child", "first-child")[move % 2]
                try:
                    services.move_unit(unit, target, position, actor=actor)
                except Exception as exc:  # counted: a conflict, deadlock or refusal is a failed move
                    failures.append(f"{unit.key}: {exc!r}")
                    continue
                where[unit.pk] = target
                last_parent[unit.pk] = target.pk
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=plan, name=f"mover-{index}") for index, plan in enumerate(plans)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=WAIT * 4)
    seconds = time.perf_counter() - began
    assert not any(worker.is_alive() for worker in workers), "a mover hung"

    consistent = selectors.tree_is_consistent(version)
    unchanged_by_rebuild = rebuild_changes_nothing(version)
    lost = [
        pk
        for pk, parent in last_parent.items()
        if Unit.objects.values_list("parent_id", flat=True).get(pk=pk) != parent
    ]
    recorded = Unit.history.filter(version=version, history_change_reason="move").count()
    moves = THREADS * MOVES_PER_THREAD
    print(
        f"\nconcurrent moves: {moves} moves, {THREADS} threads, {seconds:.2f} s, {len(failures)} conflicts/errors, "
        f"{len(lost)} lost, {0 if consistent and unchanged_by_rebuild else 1} corrupted trees, "
        f"{recorded} move history records"
    )
    assert failures == []
    assert consistent
    assert unchanged_by_rebuild
    assert lost == []
    assert len(last_parent) == THREADS * UNITS_PER_THREAD
    assert recorded == moves


@pytest.mark.parametrize("locked", [True, False], ids=["with-lock", "without-lock"])
def test_the_version_lock_is_what_keeps_two_moves_apart(monkeypatch, locked):
    """A control, deterministic: the first move is paused after it has read the nested sets and before it
    writes; a second move starts meanwhile. With the lock the second waits and the tree stays valid; with
    the lock disabled the second runs, and the first writes from stale positions: the tree is corrupt."""
    version = synthetic_version("kontrol", 120, 995)
    centres = list(Unit.objects.filter(version=version, kind="centre").order_by("lft"))
    departments = list(Unit.objects.filter(version=version, kind="department").order_by("lft"))
    # The first move takes the last department to the first centre; the second takes a department from the
    # second centre to the last department's centre, so it shifts the nested sets the first move has read.
    first_unit, first_target = departments[-1], centres[0]
    second_unit = Unit.objects.filter(parent=centres[1], kind="department").order_by("lft").first()
    second_target = departments[-1].parent
    if not locked:
        monkeypatch.setattr(services.locking, "lock_version", lambda version: OrgVersion.objects.get(pk=version.pk))
        monkeypatch.setattr(services.locking, "lock_tree_allocation", lambda **options: None)

    second_waited, errors = two_moves_with_the_first_paused(
        monkeypatch, (first_unit, first_target), (second_unit, second_target), patience=2
    )

    assert errors == []
    parents = dict(Unit.objects.filter(pk__in=[first_unit.pk, second_unit.pk]).values_list("pk", "parent_id"))
    print(
        f"\ncontrol {'with' if locked else 'without'} lock: second move waited={second_waited}, "
        f"tree consistent={selectors.tree_is_consistent(version)}"
    )
    if locked:
        assert second_waited
        assert parents == {first_unit.pk: first_target.pk, second_unit.pk: second_target.pk}
        assert selectors.tree_is_consistent(version)
        assert rebuild_changes_nothing(version)
    else:
        assert not second_waited
        assert not selectors.tree_is_consistent(version)
        assert not rebuild_changes_nothing(version)


def test_edits_in_two_municipalities_do_not_wait_for_each_other(monkeypatch):
    """The version lock is per version and the tree-id lock is shared by edits inside existing trees: while a
    move in one municipality is paused holding its locks, a move in another municipality goes through."""
    first_version = synthetic_version("foerste", 120, 993)
    second_version = synthetic_version("anden", 120, 992)

    def departments_and_centres(version):
        return (
            list(Unit.objects.filter(version=version, kind="department").order_by("lft")),
            list(Unit.objects.filter(version=version, kind="centre").order_by("lft")),
        )

    (first_departments, first_centres), (second_departments, second_centres) = map(
        departments_and_centres, (first_version, second_version)
    )
    second_waited, errors = two_moves_with_the_first_paused(
        monkeypatch,
        (first_departments[-1], first_centres[0]),
        (second_departments[-1], second_centres[0]),
        patience=WAIT,
    )

    assert errors == []
    assert not second_waited, "the second municipality's move waited for the first"
    assert Unit.objects.get(pk=second_departments[-1].pk).parent_id == second_centres[0].pk
    assert Unit.objects.get(pk=first_departments[-1].pk).parent_id == first_centres[0].pk
    assert selectors.tree_is_consistent(first_version)
    assert selectors.tree_is_consistent(second_version)


def adopted_chain(slug: str) -> list[tuple]:
    """The municipality's decided versions by start date: (key, status, effective_from, effective_to)."""
    return list(
        OrgVersion.objects.filter(municipality__slug=slug, status__in=["previous", "current"])
        .order_by("effective_from", "pk")
        .values_list("key", "status", "effective_from", "effective_to")
    )


def assert_one_current_and_a_closed_chain(slug: str) -> None:
    chain = adopted_chain(slug)
    assert [status for _key, status, _start, _end in chain].count("current") == 1
    assert chain[-1][1] == "current" and chain[-1][3] is None
    for (_key, _status, _start, end), (_next_key, _next_status, next_start, _next_end) in itertools.pairwise(chain):
        assert end == next_start - datetime.timedelta(days=1), chain


@pytest.mark.parametrize("second_starts", ["later", "earlier", "later-without-lock"])
def test_two_concurrent_adoptions_run_one_after_the_other(monkeypatch, second_starts):
    """Two drafts of one municipality adopted from two threads: the first is paused after it has locked the
    municipality's versions; the second waits for it, then adopts on top of it (a later date) or is refused in the
    rule's words (an earlier date, which would end the first before it starts). Either way exactly one version is
    current and every previous version ends the day before the next one starts. A control without the lock: the
    second does not wait, and the first, writing from what it read before, fails on the database's one-current
    constraint instead of being refused in words."""
    structure_format.load(two_area_document())
    first_draft = services.clone_version(
        OrgVersion.objects.get(municipality__slug="tovby", key="2023"), "udkast-a", actor=services.SYSTEM
    )
    second_draft = services.clone_version(first_draft, "udkast-b", actor=services.SYSTEM)
    first_date = datetime.date(2027, 1, 1)
    second_date = datetime.date(2026, 6, 1) if second_starts == "earlier" else datetime.date(2028, 1, 1)
    has_locked, resume = threading.Event(), threading.Event()
    check_adoption = services.versions.check_adoption

    def paused_check(*args, **kwargs):
        if threading.current_thread().name == "first":
            has_locked.set()
            resume.wait(timeout=WAIT)
        return check_adoption(*args, **kwargs)

    monkeypatch.setattr(services.versions, "check_adoption", paused_check)
    if second_starts.endswith("without-lock"):
        monkeypatch.setattr(
            services.versions,
            "_lock_versions",
            lambda municipality_id: list(OrgVersion.objects.filter(municipality_id=municipality_id).order_by("pk")),
        )
    errors: dict[str, BaseException] = {}

    def adopt(draft: OrgVersion, effective_from: datetime.date) -> None:
        try:
            services.adopt_version(draft, effective_from, actor=services.SYSTEM, decided_by="Kommunalbestyrelsen")
        except BaseException as exc:
            errors[threading.current_thread().name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=adopt, args=(first_draft, first_date), name="first")
    second = threading.Thread(target=adopt, args=(second_draft, second_date), name="second")
    first.start()
    assert has_locked.wait(timeout=WAIT), errors
    second.start()
    second.join(timeout=2)
    second_waited = second.is_alive()
    resume.set()
    first.join(timeout=WAIT)
    second.join(timeout=WAIT)

    chain = adopted_chain("tovby")
    print(f"\nconcurrent adoptions ({second_starts}): second waited={second_waited}, errors={errors}, chain={chain}")
    if second_starts.endswith("without-lock"):
        assert not second_waited
        assert isinstance(errors["first"], IntegrityError)
        return
    assert second_waited
    assert "first" not in errors
    assert_one_current_and_a_closed_chain("tovby")
    if second_starts == "later":
        assert errors == {}
        assert [key for key, *_rest in chain] == ["2019", "2023", "udkast-a", "udkast-b"]
    else:
        assert isinstance(errors["second"], services.EditRefused)
        assert "vælg en dato efter 1. januar 2027" in " ".join(errors["second"].messages)
        assert [key for key, *_rest in chain] == ["2019", "2023", "udkast-a"]
        assert OrgVersion.objects.get(pk=second_draft.pk).status == "draft"


def test_adoptions_started_together_leave_one_current_version():
    """Four drafts adopted at once from four threads, with dates in random order: each adoption either goes
    through or is refused cleanly (its date would end the version current by then before it starts); the versions
    that went through form one chain with exactly one current version."""
    structure_format.load(two_area_document())
    source = OrgVersion.objects.get(municipality__slug="tovby", key="2023")
    drafts = [services.clone_version(source, f"udkast-{index}", actor=services.SYSTEM) for index in range(4)]
    dates = [datetime.date(2029, 1, 1), datetime.date(2027, 1, 1), datetime.date(2030, 1, 1), datetime.date(2028, 1, 1)]
    start = threading.Barrier(len(drafts))
    outcomes: dict[str, str] = {}

    def adopt(draft: OrgVersion, effective_from: datetime.date) -> None:
        try:
            start.wait(timeout=WAIT)
            services.adopt_version(draft, effective_from, actor=services.SYSTEM)
            outcomes[draft.key] = "adopted"
        except services.EditRefused as exc:
            outcomes[draft.key] = f"refused: {' '.join(exc.messages)}"
        except BaseException as exc:
            outcomes[draft.key] = f"error: {exc!r}"
        finally:
            connections.close_all()

    workers = [threading.Thread(target=adopt, args=pair) for pair in zip(drafts, dates, strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=WAIT)
    assert not any(worker.is_alive() for worker in workers), "an adoption hung"
    print(f"\nadoptions started together: {outcomes}")
    assert not [outcome for outcome in outcomes.values() if outcome.startswith("error")]
    assert len(outcomes) == len(drafts) and "adopted" in outcomes.values()
    assert_one_current_and_a_closed_chain("tovby")
    adopted = {key for key, outcome in outcomes.items() if outcome == "adopted"}
    assert {key for key, *_rest in adopted_chain("tovby")} == {"2019", "2023", *adopted}
