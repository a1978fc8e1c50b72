"""Fact tests for fixtures/albertslund.yaml against source 004.

004 = "Oplæg til ny administrativ organisation" (Albertslund Kommune, sag 12/16033, 2012-13). The memo has no
numbered sections; test names and docstrings cite its headings.
"""

import datetime

import pytest

from centers.models import OrgVersion, Task, Unit
from governance.models import BudgetResponsibility, CommitteeService, Forum, Network

pytestmark = pytest.mark.django_db

OLD = "2012"
NEW = "2013"


@pytest.fixture
def albertslund(load_fixture):
    return load_fixture("albertslund")


def version(municipality, key):
    return OrgVersion.objects.get(municipality=municipality, key=key)


def unit(municipality, version_key, key):
    return Unit.objects.get(version__municipality=municipality, version__key=version_key, key=key)


def child_names(parent, kind=None):
    children = parent.children.all()
    if kind:
        children = children.filter(kind=kind)
    return set(children.values_list("name", flat=True))


def test_004_implementering_new_organisation_is_only_proposed_from_1_august_2013(albertslund):
    """Afsnit Implementering og ikrafttrædelse: "En model vil kunne træde i kraft pr. 1.8.2013" and
    "Forudsat at den nye administrative organisation godkendes politisk": proposed, not yet decided."""
    new = version(albertslund, NEW)
    assert new.status == "proposed"
    assert new.effective_from == datetime.date(2013, 8, 1)
    assert new.decided_on is None
    assert new.based_on.key == OLD


def test_004_the_organisation_in_force_is_the_current_one(albertslund):
    """The memo only proposes a change, so the existing organisation stays current (one current only)."""
    statuses = dict(OrgVersion.objects.filter(municipality=albertslund).values_list("key", "status"))
    assert statuses == {OLD: "current", NEW: "proposed"}


def test_004_en_klar_struktur_two_director_areas_under_the_kommunaldirektoer(albertslund):
    """Afsnit En klar struktur: "en kommunaldirektør ... samt to direktører med hver deres
    direktørområder"."""
    root = unit(albertslund, NEW, "forvaltningen")
    assert root.kind == "directorate"
    assert root.head.kind == "chief_executive"
    assert child_names(root, "director_area") == {"By, miljø & beskæftigelse", "Børn, kultur & velfærd"}
    directors = root.version.posts.filter(kind="director", unit__kind="director_area")
    assert set(directors.values_list("reports_to__key", flat=True)) == {"kommunaldirektoer"}
    assert directors.count() == 2


def test_004_direktoeromraader_by_miljoe_beskaeftigelse_has_three_afdelinger_and_a_secretariat(albertslund):
    """Afsnit Direktørområder: "By, miljø & beskæftigelse" rummer tre afdelinger og et sekretariat."""
    area = unit(albertslund, NEW, "by-miljoe-beskaeftigelse")
    assert child_names(area, "department") == {
        "Arbejdsmarked, Erhverv & Ydelser",
        "Miljø & Teknik",
        "Drift & Service",
    }
    assert area.children.filter(kind="secretariat").count() == 1


def test_004_direktoeromraader_boern_kultur_velfaerd_has_five_afdelinger_and_a_secretariat(albertslund):
    """Afsnit Direktørområder: "Børn, kultur & velfærd" rummer 5 afdelinger samt et sekretariat."""
    area = unit(albertslund, NEW, "boern-kultur-velfaerd")
    assert child_names(area, "department") == {
        "Kultur, Fritid & Forebyggende Sundhed",
        "Sundhed, Pleje & Omsorg",
        "Social & Familie",
        "Dagtilbud",
        "Skoler & Uddannelse",
    }
    assert area.children.filter(kind="secretariat").count() == 1


def test_004_direktoeromraader_beredskabet_sits_in_the_by_miljoe_beskaeftigelse_secretariat(albertslund):
    """Afsnit Direktørområder: "Sekretariatet for 'By, miljø & beskæftigelse' rummer desuden beredskabet"."""
    beredskab = unit(albertslund, NEW, "beredskabet")
    assert beredskab.parent.key == "sekretariat-by-miljoe-beskaeftigelse"
    assert beredskab.responsible.key == "direktoer-by-miljoe-beskaeftigelse"


def test_004_oekonomi_og_stab_merges_three_centres_including_center_for_ledelse_og_personale(albertslund):
    """Afsnit Profiler af afdelinger, Økonomi & Stab: en samling af Økonomicentret, Digitaliseringscentret
    og Center for Ledelse og Personale."""
    staff = unit(albertslund, NEW, "oekonomi-og-stab")
    assert set(staff.formed_from.values_list("name", flat=True)) == {
        "Økonomicentret",
        "Digitaliseringscentret",
        "Center for Ledelse og Personale",
    }
    assert not Unit.objects.filter(
        version__key=NEW, version__municipality=albertslund, key="center-for-ledelse-og-personale"
    ).exists()


def test_004_oekonomi_og_stab_chief_reports_directly_to_the_kommunaldirektoer(albertslund):
    """Afsnit Profiler af afdelinger, Økonomi & Stab: "Afdelingens chef har direkte reference til
    kommunaldirektøren"; the unit sits outside both director areas."""
    staff = unit(albertslund, NEW, "oekonomi-og-stab")
    assert staff.parent.key == "forvaltningen"
    assert staff.head.reports_to.key == "kommunaldirektoer"
    assert staff.head.reports_to.kind == "chief_executive"


def test_004_arbejdsmarked_erhverv_ydelser_is_formed_from_four_current_units(albertslund):
    """Afsnit Profiler af afdelinger, AEY: Jobcentret, back office fra Borgerservice, sygedagpenge og
    kontanthjælp fra Ydelsescentret og erhvervsservice med ressourcer fra Miljø- og Teknikforvaltningen."""
    aey = unit(albertslund, NEW, "arbejdsmarked-erhverv-ydelser")
    assert set(aey.formed_from.values_list("key", flat=True)) == {
        "jobcentret",
        "borgerservice",
        "ydelsescentret",
        "miljoe-og-teknikforvaltningen",
    }


@pytest.mark.parametrize("task_key", ["sygedagpenge", "kontanthjaelp"])
def test_004_aey_sygedagpenge_and_kontanthjaelp_move_from_ydelsescentret(albertslund, task_key):
    """Afsnit Profiler af afdelinger, AEY: "sygedagpenge og kontanthjælp fra Ydelsescentret"."""
    old = Task.objects.get(version__municipality=albertslund, version__key=OLD, key=task_key)
    new = Task.objects.get(version__municipality=albertslund, version__key=NEW, key=task_key)
    assert old.unit.key == "ydelsescentret"
    assert new.unit.key == "arbejdsmarked-erhverv-ydelser"


def test_004_aey_borgerservice_back_office_moves_to_the_new_afdeling(albertslund):
    """Afsnit Profiler af afdelinger, AEY: "en række 'back office'-funktioner fra den nuværende
    Borgerservice"."""
    moves = dict(
        Task.objects.filter(version__municipality=albertslund, key="borgerservice-back-office").values_list(
            "version__key", "unit__key"
        )
    )
    assert moves == {OLD: "borgerservice", NEW: "arbejdsmarked-erhverv-ydelser"}


def test_004_sundhedsafdelingen_is_split_between_two_afdelinger(albertslund):
    """Afsnit Profiler af afdelinger: dele af Sundhedsafdelingen går til både Kultur, Fritid & Forebyggende
    Sundhed og Sundhed, Pleje & Omsorg."""
    health = unit(albertslund, OLD, "sundhedsafdelingen")
    assert set(health.successors.values_list("key", flat=True)) == {
        "kultur-fritid-forebyggende-sundhed",
        "sundhed-pleje-omsorg",
    }


def test_004_drift_og_service_is_formed_from_service_materialegaarden_and_forsyningen(albertslund):
    """Afsnit Profiler af afdelinger, Drift & Service: dannet af Serviceafdelingen, Materialegården og
    Forsyningen; Materialegården og Albertslund Forsyning er institutioner under afdelingen."""
    ds = unit(albertslund, NEW, "drift-og-service")
    assert set(ds.formed_from.values_list("key", flat=True)) == {
        "serviceafdelingen",
        "materialegaarden",
        "albertslund-forsyning",
    }
    assert child_names(ds, "institution") == {"Materialegården", "Albertslund Forsyning"}


def test_004_dagtilbud_and_skoler_rename_the_current_afdelinger(albertslund):
    """Afsnit Profiler af afdelinger: Dagtilbud "svarer til den nuværende institutionsafdeling";
    Skoler & Uddannelse "består af den nuværende Skoleafdeling"."""
    assert list(unit(albertslund, NEW, "dagtilbud").formed_from.values_list("key", flat=True)) == [
        "institutionsafdelingen"
    ]
    assert list(unit(albertslund, NEW, "skoler-og-uddannelse").formed_from.values_list("key", flat=True)) == [
        "skoleafdelingen"
    ]


def test_004_kultur_fritid_forebyggende_sundhed_has_eight_institutions(albertslund):
    """Afsnit Profiler af afdelinger, KFFS: Biblioteket, Billedskolen, Vikingelandsbyen, Ridecentret,
    Toftegården, Idrætsområdet, Musikskolen, Musikteatret."""
    kffs = unit(albertslund, NEW, "kultur-fritid-forebyggende-sundhed")
    assert child_names(kffs, "institution") == {
        "Biblioteket",
        "Billedskolen",
        "Vikingelandsbyen",
        "Ridecentret",
        "Toftegården",
        "Idrætsområdet",
        "Musikskolen",
        "Musikteatret",
    }


def test_004_social_og_familie_gathers_social_area_0_to_100_with_nine_institutions(albertslund):
    """Afsnit Profiler af afdelinger, Social & Familie: Børne- og Familieafdelingen og dele af
    Socialafdelingen; ni institutioner; visitation og pension placeret i afdelingen."""
    sf = unit(albertslund, NEW, "social-og-familie")
    assert set(sf.formed_from.values_list("key", flat=True)) == {
        "boerne-og-familieafdelingen",
        "socialafdelingen",
    }
    assert sf.children.filter(kind="institution").count() == 9
    assert {"Boligerne Herstedøster Sidevej", "Kanalens Klubhus"} <= child_names(sf, "institution")
    assert {"visitation", "pension"} <= set(sf.tasks.values_list("key", flat=True))


def test_004_skoler_og_uddannelse_institutions_include_broendagerskolen(albertslund):
    """Afsnit Profiler af afdelinger, Skoler & Uddannelse: fire folkeskoler med SFO'er, Brøndagerskolen,
    klubområdet, et ungecenter og en naturskole (5 entries)."""
    su = unit(albertslund, NEW, "skoler-og-uddannelse")
    assert su.children.filter(kind="institution").count() == 5
    assert "Brøndagerskolen" in child_names(su, "institution")


def test_004_before_five_centres_and_seven_afdelinger_after_eight_afdelinger_and_one_staff(albertslund):
    """The current units named in the afdelingsprofiler (5 centres, 7 afdelinger) vs. the proposed
    8 afdelinger in the director areas plus Økonomi & Stab."""
    old = version(albertslund, OLD).units
    new = version(albertslund, NEW).units
    assert old.filter(kind="centre").count() == 5
    assert old.filter(kind="department").count() == 7
    assert new.filter(kind="department").count() == 8
    assert list(new.filter(kind="staff").values_list("key", flat=True)) == ["oekonomi-og-stab"]
    assert new.filter(kind="centre").count() == 0


def test_004_baggrund_the_two_tracks_are_tasks_of_the_whole_organisation(albertslund):
    """Afsnit Baggrund: 1. et vækstspor, 2. et mestrings- og deltagelsesspor, som en ny administrativ
    organisering skal kunne adressere."""
    root = unit(albertslund, NEW, "forvaltningen")
    names = list(root.tasks.order_by("key").values_list("name", flat=True))
    assert len(names) == 2
    assert names[0].startswith("Mestrings- og deltagelsessporet")
    assert names[1].startswith("Vækstsporet")


def test_004_direktoerforum_members_and_weekly_meetings(albertslund):
    """Afsnit En samarbejdende ledelse, Direktørforum: kommunaldirektøren, de to områdedirektører og
    netværksdirektøren; mødes hver uge."""
    forum = Forum.objects.get(version__municipality=albertslund, version__key=NEW, key="direktoerforum")
    assert set(forum.member_posts.values_list("key", flat=True)) == {
        "kommunaldirektoer",
        "direktoer-by-miljoe-beskaeftigelse",
        "direktoer-boern-kultur-velfaerd",
        "netvaerksdirektoer",
    }
    assert forum.chair.key == "kommunaldirektoer"
    assert forum.frequency == "hver uge"


def test_004_chefforum_every_second_week_with_all_nine_afdelingschefer(albertslund):
    """Afsnit En samarbejdende ledelse, Chefforum: Direktørforum og afdelingschefer, kommunaldirektøren er
    formand, mødes hver anden uge."""
    forum = Forum.objects.get(version__municipality=albertslund, version__key=NEW, key="chefforum")
    assert forum.chair.key == "kommunaldirektoer"
    assert forum.frequency == "hver anden uge"
    assert forum.member_posts.filter(kind="head").count() == 9
    assert forum.member_posts.filter(kind__in=["chief_executive", "director"]).count() == 4


def test_004_lederforum_meets_quarterly(albertslund):
    """Afsnit En samarbejdende ledelse, Lederforum: alle niveau 1-4-ledere, mødes en gang i kvartalet."""
    forum = Forum.objects.get(version__municipality=albertslund, version__key=NEW, key="lederforum")
    assert forum.kind == "leaders_circle"
    assert forum.frequency == "en gang i kvartalet"
    assert forum.chair.key == "kommunaldirektoer"


def test_004_netvaerk_six_drift_and_two_innovation_examples_owned_by_the_network_director(albertslund):
    """Afsnit Netværksorganiseringen: eksempler på driftsnetværk (6) og innovationsnetværk (2); i
    opstartsperioden refererer alle netværk til netværksdirektøren."""
    nets = Network.objects.filter(version__municipality=albertslund, version__key=NEW)
    assert set(nets.filter(kind="innovation_network").values_list("name", flat=True)) == {
        "Campus Albertslund",
        "2000 nye arbejdspladser",
    }
    assert nets.filter(purpose="Driftsnetværk").count() == 6
    assert set(nets.values_list("owner__key", flat=True)) == {"netvaerksdirektoer"}


def test_004_oekonomi_og_stab_prepares_agendas_for_oekonomiudvalget_and_kommunalbestyrelsen(albertslund):
    """Afsnit Profiler af afdelinger, Økonomi & Stab: "Dagsordener til Økonomiudvalg og
    Kommunalbestyrelsen"."""
    agenda = CommitteeService.objects.filter(
        version__municipality=albertslund, version__key=NEW, role="prepares_agenda"
    )
    assert set(agenda.values_list("committee__name", "unit__key")) == {
        ("Økonomiudvalget", "oekonomi-og-stab"),
        ("Kommunalbestyrelsen", "oekonomi-og-stab"),
    }


def test_004_solid_oekonomistyring_level_1_is_the_kommunaldirektoer_supported_by_oekonomi_og_stab(
    albertslund,
):
    """Afsnit Solid økonomistyring: økonomifunktionen placeres centralt og er anker i den samlede styring."""
    level1 = BudgetResponsibility.objects.get(version__municipality=albertslund, version__key=NEW, level=1)
    assert level1.holder.key == "kommunaldirektoer"
    assert level1.scope.key == "forvaltningen"
    assert level1.supported_by.key == "oekonomi-og-stab"


def test_004_center_for_ledelse_og_personale_is_a_current_centre_absorbed_by_oekonomi_og_stab(albertslund):
    """Afsnit Profiler af afdelinger, Økonomi & Stab: "det nuværende Økonomicenter, Digitaliseringscenter
    samt Center for Ledelse og Personale" (the memo's own sender) become one afdeling."""
    clp = unit(albertslund, OLD, "center-for-ledelse-og-personale")
    assert clp.kind == "centre"
    assert clp.name == "Center for Ledelse og Personale"
    assert list(clp.successors.values_list("key", flat=True)) == ["oekonomi-og-stab"]


def test_004_miljoe_og_teknik_and_sundhed_pleje_omsorg_are_formed_from_current_units(albertslund):
    """Afsnit Profiler af afdelinger: Miljø & Teknik = "Miljø, Plan & Byg" og dele af "Ejendom, Vej & Park";
    Sundhed, Pleje & Omsorg = Omsorgsafdelingen og dele af Sundhedsafdelingen; KFFS = en del af Kultur- og
    Fritidsforvaltningen og en del af Sundhedsafdelingen."""
    mt = unit(albertslund, NEW, "miljoe-og-teknik")
    assert set(mt.formed_from.values_list("name", flat=True)) == {"Miljø, Plan & Byg", "Ejendom, Vej & Park"}
    spo = unit(albertslund, NEW, "sundhed-pleje-omsorg")
    assert set(spo.formed_from.values_list("key", flat=True)) == {"omsorgsafdelingen", "sundhedsafdelingen"}
    kffs = unit(albertslund, NEW, "kultur-fritid-forebyggende-sundhed")
    assert {"kultur-og-fritidsforvaltningen", "sundhedsafdelingen"} <= set(
        kffs.formed_from.values_list("key", flat=True)
    )


@pytest.mark.parametrize(
    ("secretariat", "director"),
    [
        ("sekretariat-by-miljoe-beskaeftigelse", "direktoer-by-miljoe-beskaeftigelse"),
        ("sekretariat-boern-kultur-velfaerd", "direktoer-boern-kultur-velfaerd"),
    ],
)
def test_004_sekretariater_small_staff_with_five_tasks_led_by_a_level_4_leader(albertslund, secretariat, director):
    """Afsnit Sekretariater i direktørområderne: betjening af politiske udvalg, kommunikation, juridisk,
    økonomisk og udviklingsbistand; "selvstændig leder, som er niveau 4-leder"."""
    sec = unit(albertslund, NEW, secretariat)
    assert sec.kind == "secretariat"
    assert sec.tasks.count() == 5
    assert sec.head.kind == "leader"
    assert sec.head.reports_to.key == director
    assert sec.parent.head.key == director


def test_004_baggrund_growth_track_is_about_growth_and_local_jobs(albertslund):
    """Afsnit Baggrund, spor 1 og 2: vækstsporet skal skabe arbejdspladser lokalt; mestrings- og
    deltagelsessporet handler om at skabe velfærd på nye betingelser."""
    tasks = Task.objects.filter(version__municipality=albertslund, version__key=NEW)
    assert "arbejdspladser" in tasks.get(key="vaekstspor").name
    assert "velfærd på nye betingelser" in tasks.get(key="mestrings-og-deltagelsesspor").name
    assert not Task.objects.filter(
        version__municipality=albertslund, version__key=OLD, key__in=["vaekstspor", "mestrings-og-deltagelsesspor"]
    ).exists()


def test_004_chefforum_intensifies_the_current_tvaergaaende_chefgruppe(albertslund):
    """Afsnit En samarbejdende ledelse, Chefforum: "en intensivering af den nuværende Tværgående chefgruppe"."""
    assert Forum.objects.filter(
        version__municipality=albertslund, version__key=OLD, name="Tværgående chefgruppe"
    ).exists()
    assert not Forum.objects.filter(version__municipality=albertslund, version__key=OLD, key="chefforum").exists()
