"""Fact tests for fixtures/ltk.yaml (Lyngby-Taarbæk Kommune).

Every test checks a fact stated in the sources: 000, the memo "Ny organisering af administrationen i
Lyngby-Taarbæk Kommune - visioner og byggesten" (2012), and 002, Økonomiudvalget's case
"Organisationsprojektet" (January-February 2012) with the memo's centre descriptions (afsnit 5.1-5.11).
The section is in the test name or docstring.
"""

import re

import pytest

from centers.models import Duty, Task, Unit
from governance.models import BudgetResponsibility, CommitteeService

pytestmark = [pytest.mark.django_db, pytest.mark.shared_fixtures("ltk")]

CENTRE_HEADS = {
    "centerchef-raadgivning-og-stoette",
    "centerchef-laering-og-paedagogik",
    "centerchef-sundhed-frivillighed-kultur-og-fritid",
    "centerchef-aeldre-og-traening",
    "centerchef-job-og-ydelser",
    "centerchef-miljoe-og-plan",
    "centerchef-borgerservice-og-digitalisering",
    "centerchef-arealer-og-ejendomme",
    "centerchef-oekonomi-og-personale",
    "stabschef-strategi-og-erhverv",
    "stabschef-politik-og-jura",
}


def _versions(load_fixture):
    municipality = load_fixture("ltk")
    return municipality, municipality.versions.get(key="2011"), municipality.versions.get(key="2012")


def _task_unit(version, task_key):
    return Task.objects.get(version=version, key=task_key).unit.key


def _keys(queryset):
    return set(queryset.values_list("key", flat=True))


def test_002_afsnit_5_and_000_afsnit_5_centre_model_is_direktionens_forslag_kmb_date_only_planned(load_fixture):
    """002 afsnit 5 (L907) and 000 afsnit 5 (L244): "direktionens forslag til en konkret hovedstruktur"; 000 is a
    revised proposal (000 afsnit 1, L212). 26 March 2012 is only the date in ØU's timetable ("hvorefter KMB træffer
    endelig beslutning om ny hovedstruktur 26. marts 2012", 002 ØU 2./3.2.2012, L36-37); no KMB decision is
    recorded. So 2012 is proposed with no decision, and the forvaltning organisation in force when the documents
    were written is the current version (as Lejre's hearing proposal)."""
    municipality, v2011, v2012 = _versions(load_fixture)
    assert municipality.kommunekode == 173
    assert municipality.name == "Lyngby-Taarbæk Kommune"
    assert (v2011.status, v2012.status) == ("current", "proposed")
    assert v2012.decided_on is None and not v2012.decided_by
    assert "26. marts 2012" in v2012.note and "direktionens forslag" in v2012.note
    assert "forslag" in v2012.label
    assert v2012.based_on == v2011
    # afsnit 4.11: "i drift medio 2012" - no exact date is given
    assert v2012.effective_from is None
    assert "medio 2012" in v2012.label


def test_002_afsnit_5_enhedsdirektion_six_fagcentre_three_tvaergaaende_centre_two_stabe(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    root = v2012.units.get(parent__isnull=True)
    assert (root.key, root.kind) == ("enhedsdirektion", "directorate")
    assert _keys(root.children.filter(kind="centre")) == {
        "center-for-raadgivning-og-stoette",
        "center-for-laering-og-paedagogik",
        "center-for-sundhed-frivillighed-kultur-og-fritid",
        "center-for-aeldre-og-traening",
        "center-for-job-og-ydelser",
        "center-for-miljoe-og-plan",
    }
    assert _keys(root.children.filter(kind="shared_centre")) == {
        "center-for-borgerservice-og-digitalisering",
        "center-for-arealer-og-ejendomme",
        "center-for-oekonomi-og-personale",
    }
    assert _keys(root.children.filter(kind="staff")) == {"stab-for-strategi-og-erhverv", "stab-for-politik-og-jura"}


def test_002_afsnit_4_2_centre_model_replaces_three_fagforvaltninger(load_fixture):
    """002 afsnit 4.2 ("en centermodel, frem for en forvaltningsmodel") and 5.1-5.10 name three forvaltninger."""
    _, v2011, v2012 = _versions(load_fixture)
    assert _keys(v2011.units.filter(kind="director_area")) == {
        "boerne-og-fritidsforvaltningen",
        "social-og-sundhedsforvaltningen",
        "teknisk-forvaltning",
    }
    assert not v2012.units.filter(kind="director_area").exists()


def test_002_oeu_2_3_februar_2012_direktion_has_four_members_led_by_kommunaldirektoer(load_fixture):
    """002 ØU 2./3.2.2012: "direktionsmodel med fire medlemmer"; afsnit 4.1: a kommunaldirektør "i spidsen"."""
    _, _, v2012 = _versions(load_fixture)
    direktion = v2012.units.get(key="enhedsdirektion")
    assert direktion.head.key == "kommunaldirektoer"
    assert direktion.head.kind == "chief_executive"
    members = direktion.posts.filter(kind__in=["chief_executive", "director"])
    assert members.count() == 4
    assert members.filter(kind="director").count() == 3
    assert all(p.reports_to.key == "kommunaldirektoer" for p in members.filter(kind="director"))


def test_002_afsnit_4_1_five_cross_cutting_strategic_areas_belong_to_the_direktion(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    names = set(
        Task.objects.filter(
            version=v2012, unit__key="enhedsdirektion", key__startswith="strategisk-omraade-"
        ).values_list("name", flat=True)
    )
    assert names == {
        "Økonomi (tværgående strategisk område)",
        "Kvalitet og resultater (tværgående strategisk område)",
        "Borgerdialog, kommunikation og digitalisering (tværgående strategisk område)",
        "Innovation og udvikling (tværgående strategisk område)",
        "HR, ledelse og organisation (tværgående strategisk område)",
    }


def test_002_afsnit_5_1_raadgivning_og_stoette_formed_from_boern_og_familier_ppr_voksenraadgivning_socialcentret(
    load_fixture,
):
    _, _, v2012 = _versions(load_fixture)
    centre = v2012.units.get(key="center-for-raadgivning-og-stoette")
    assert _keys(centre.formed_from.all()) == {
        "afdeling-for-boern-og-familier",
        "ppr",
        "voksen-og-handicapraadgivningen",
        "socialcentret",
    }
    assert all(u.version.key == "2011" for u in centre.formed_from.all())


def test_002_afsnit_5_2_laering_og_paedagogik_merges_skole_and_dagtilbud_and_takes_klubomraadet(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    centre = v2012.units.get(key="center-for-laering-og-paedagogik")
    assert _keys(centre.formed_from.all()) == {"skoleafdelingen", "dagtilbudsafdelingen", "kultur-og-fritidsafdelingen"}
    # the club area moves from the Kultur- og Fritidsafdeling
    assert _task_unit(v2011, "klubomraadet") == "kultur-og-fritidsafdelingen"
    assert _task_unit(v2012, "klubomraadet") == "center-for-laering-og-paedagogik"
    assert _keys(centre.children.filter(kind="institution")) == {
        "skoler",
        "dagtilbud",
        "sfo",
        "klubber",
        "ungdomsskolen",
    }


def test_002_afsnit_5_2_and_5_3_sundhedstjenesten_sat_in_dagtilbudsafdelingen_and_moves_to_sundhed(load_fixture):
    """002 afsnit 5.2 (L986): "Skoleafdeling og Dagtilbudsafdeling – ekskl. Sundhedsplejen", so Sundhedsplejen sat
    inside an afdeling, not directly under the forvaltning; placed in Dagtilbudsafdelingen, which the exclusion
    follows. 5.3 (L1016-1017): "Sundhedstjenesten fra Børne- og Fritidsforvaltningen" still holds."""
    _, v2011, v2012 = _versions(load_fixture)
    before = v2011.units.get(key="sundhedstjenesten")
    assert before.parent.key == "dagtilbudsafdelingen"
    assert before.parent.parent.key == "boerne-og-fritidsforvaltningen"
    assert "Skoleafdelingen" in before.note  # the other reading is named
    assert v2012.units.get(key="sundhedstjenesten").parent.key == "center-for-sundhed-frivillighed-kultur-og-fritid"


def test_002_afsnit_5_3_sundhed_frivillighed_kultur_fritid_institutions_and_integration_task(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    centre = v2012.units.get(key="center-for-sundhed-frivillighed-kultur-og-fritid")
    assert set(centre.children.filter(kind="institution").values_list("name", flat=True)) == {
        "Idrætsanlæg",
        "Biblioteket",
        "Øvrige kulturinstitutioner",
        "Musikskolen",
        "Tandplejen",
        "Sundhedstjenesten",
        "Sundhedshus",
    }
    assert _keys(centre.formed_from.all()) == {"kultur-og-fritidsafdelingen", "sundhedscentret"}
    assert _task_unit(v2011, "integration-og-integrationsraadet") == "social-og-sundhedsforvaltningen"
    assert _task_unit(v2012, "integration-og-integrationsraadet") == centre.key


def test_002_afsnit_5_4_aeldre_og_traening_from_aeldreservice_keeps_visitation_til_hjaelpemidler(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    centre = v2012.units.get(key="center-for-aeldre-og-traening")
    assert _keys(centre.formed_from.all()) == {"aeldreservice"}
    assert v2011.units.get(key="aeldreservice").parent.key == "social-og-sundhedsforvaltningen"
    assert _keys(centre.children.all()) == {"omraadecentre", "traeningscentre", "den-kommunale-madservice"}
    # "Centret varetager endvidere fortsat visitationen i forhold til hjælpemidler"
    assert _task_unit(v2011, "visitation-til-hjaelpemidler") == "aeldreservice"
    assert _task_unit(v2012, "visitation-til-hjaelpemidler") == "center-for-aeldre-og-traening"


def test_002_afsnit_5_5_job_og_ydelser_keeps_jobcenter_and_ydelsesenhed_with_separate_leaders(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    assert v2011.units.get(key="ydelsesenheden").parent.key == "socialcentret"
    centre = v2012.units.get(key="center-for-job-og-ydelser")
    assert _keys(centre.children.filter(kind="unit")) == {"jobcentret", "ydelsesenheden"}
    heads = {u.key: u.head for u in centre.children.filter(kind="unit")}
    assert {h.key for h in heads.values()} == {"leder-jobcentret", "leder-ydelsesenheden"}
    assert all(h.reports_to.key == "centerchef-job-og-ydelser" for h in heads.values())
    assert _keys(centre.children.filter(kind="institution")) == {"brede-vaerk"}


def test_002_afsnit_5_6_ejendomsskat_and_byggesagsgebyrer_move_from_plan_og_byg_to_oekonomi_og_personale(
    load_fixture,
):
    _, v2011, v2012 = _versions(load_fixture)
    for task_key in ("ejendomsskat", "opkraevning-af-byggesagsgebyrer"):
        assert _task_unit(v2011, task_key) == "plan-og-byggeafdelingen"
        assert _task_unit(v2012, task_key) == "center-for-oekonomi-og-personale"
    assert v2011.units.get(key="plan-og-byggeafdelingen").parent.key == "teknisk-forvaltning"


def test_002_afsnit_5_6_park_og_vej_steering_goes_to_arealer_og_ejendomme_not_miljoe_og_plan(load_fixture):
    """002 afsnit 5.6 (L1094): "den nuværende vej- og miljøafdeling og miljøområdet i Teknisk forvaltning" - the
    miljøområde is named beside the afdeling, so it is a unit of its own in Teknisk Forvaltning."""
    _, v2011, v2012 = _versions(load_fixture)
    assert _keys(v2012.units.get(key="center-for-miljoe-og-plan").formed_from.all()) == {
        "plan-og-byggeafdelingen",
        "vej-og-miljoeafdelingen",
        "miljoeomraadet",
    }
    miljoe = v2011.units.get(key="miljoeomraadet")
    assert (miljoe.parent.key, miljoe.kind) == ("teknisk-forvaltning", "unit")
    assert _task_unit(v2011, "styring-af-drift-og-anlaeg-park-og-vej") == "vej-og-miljoeafdelingen"
    assert _task_unit(v2012, "styring-af-drift-og-anlaeg-park-og-vej") == "center-for-arealer-og-ejendomme"


def test_002_afsnit_5_7_and_5_11_omstillingen_moves_from_borgmestersekretariatet_to_borgerservice(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    assert _task_unit(v2011, "telefoni-og-omstilling") == "borgmestersekretariatet"
    assert _task_unit(v2012, "telefoni-og-omstilling") == "center-for-borgerservice-og-digitalisering"
    assert _keys(v2012.units.get(key="center-for-borgerservice-og-digitalisering").formed_from.all()) == {
        "it-afdelingen",
        "borgerservice",
    }


def test_002_afsnit_5_8_arealer_og_ejendomme_formed_from_three_units_of_three_administrations(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    centre = v2012.units.get(key="center-for-arealer-og-ejendomme")
    assert {(u.key, u.parent.key) for u in centre.formed_from.all()} == {
        ("ejendom-og-energiafdelingen", "teknisk-forvaltning"),
        ("ejendomskontoret", "oekonomiafdelingen"),
        ("intern-service", "personaleafdelingen"),
    }
    assert v2012.units.get(key="vej-og-park").parent == centre


def test_002_afsnit_5_9_to_5_11_personaleafdelingen_is_split_over_three_units(load_fixture):
    """5.9 Økonomi og Personale takes the Personaleafdeling, 5.10 its HR functions, 5.11 the MED secretariat."""
    _, v2011, v2012 = _versions(load_fixture)
    successors = _keys(v2011.units.get(key="personaleafdelingen").successors.all())
    assert successors == {
        "center-for-oekonomi-og-personale",
        "stab-for-strategi-og-erhverv",
        "stab-for-politik-og-jura",
    }
    assert _task_unit(v2011, "hr-funktioner") == "personaleafdelingen"
    assert _task_unit(v2012, "hr-funktioner") == "stab-for-strategi-og-erhverv"
    assert _task_unit(v2012, "sekretariatsbetjening-af-med") == "stab-for-politik-og-jura"
    assert _task_unit(v2012, "loen-og-personaleadministration") == "center-for-oekonomi-og-personale"


def test_002_afsnit_5_10_kommuneplan_moves_from_teknisk_forvaltning_to_stab_for_strategi_og_erhverv(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    assert _task_unit(v2011, "kommuneplan") == "teknisk-forvaltning"
    assert _task_unit(v2012, "kommuneplan") == "stab-for-strategi-og-erhverv"
    # name per 000 (later version); 002 says "Stab for Strategi, Erhverv og Kommunikation"
    assert v2012.units.get(key="stab-for-strategi-og-erhverv").name == "Stab for Strategi og Erhverv"


def test_002_afsnit_5_11_stab_for_politik_og_jura_formed_from_and_prepares_all_committee_agendas(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    stab = v2012.units.get(key="stab-for-politik-og-jura")
    assert _keys(stab.formed_from.all()) == {
        "borgmestersekretariatet",
        "direktionssekretariatet",
        "personaleafdelingen",
    }
    agenda = CommitteeService.objects.filter(version=v2012, role="prepares_agenda")
    assert {(s.committee.key, s.unit.key) for s in agenda} == {("de-politiske-udvalg", "stab-for-politik-og-jura")}
    secretariat = CommitteeService.objects.get(version=v2012, role="secretariat")
    assert secretariat.post.key == "udvalgskoordinator"
    assert secretariat.post.unit == stab


def test_002_afsnit_4_7_three_entrances_direktion_centre_heads_and_committee_coordinators(load_fixture):
    """4.7: direktionen (strategic), centercheferne (faglig og faktuel), udvalgssekretærerne/-koordinatorerne.
    The heads serve, not merely attend: "Varetage den politiske betjening på det faktuelle og faglige niveau (jf.
    afsnit 4.7.), herunder deltagelse i udvalgsmøder" (002 afsnit 4.2, L482-483)."""
    _, _, v2012 = _versions(load_fixture)
    udvalg = CommitteeService.objects.filter(version=v2012, committee__key="de-politiske-udvalg")
    assert udvalg.get(role="serves", post__isnull=True).unit.key == "enhedsdirektion"
    assert {s.post.key for s in udvalg.filter(role="serves", post__isnull=False)} == CENTRE_HEADS
    assert not udvalg.filter(role="attends").exists()
    kmb = CommitteeService.objects.filter(version=v2012, committee__key="kommunalbestyrelsen", role="serves")
    assert {s.unit.key for s in kmb} == {"enhedsdirektion", "stab-for-politik-og-jura"}


def test_002_oeu_februar_2012_members_of_direktionen_attended_oekonomiudvalget(load_fixture):
    municipality, v2011, _ = _versions(load_fixture)
    service = CommitteeService.objects.get(version=v2011, committee__key="oekonomiudvalget")
    assert (service.unit.key, service.role) == ("direktionen", "attends")
    oeu = municipality.committees.get(key="oekonomiudvalget")
    assert oeu.kind == "finance"
    assert set(oeu.memberships.values_list("person__name", "party")) == {
        ("Rolf Aagaard-Svendsen", "C"),
        ("Henrik Brade Johansen", "B"),
        ("Sofia Osmani", "C"),
    }


def test_002_afsnit_4_4_koncernledergruppen_is_direktion_plus_centre_and_staff_heads(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    group = v2012.forums.get(key="koncernledergruppen")
    assert group.kind == "management_group"
    assert _keys(group.member_posts.all()) == CENTRE_HEADS | {
        "kommunaldirektoer",
        "direktoer-1",
        "direktoer-2",
        "direktoer-3",
    }
    assert group.frequency == "Ret hyppige møder"


def test_002_afsnit_4_4_lederkredsen_about_120_leaders_and_direktionsmoeder(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    lederkreds = v2012.forums.get(key="lederkredsen")
    assert lederkreds.kind == "leaders_circle"
    assert "ca. 120 ledere" in lederkreds.members_text
    assert "institutionsledere og mellemledere" in lederkreds.members_text
    direktionsmoeder = v2012.forums.get(key="direktionsmoeder")
    assert direktionsmoeder.kind == "executive_board"
    assert direktionsmoeder.member_posts.count() == 4
    assert set(v2012.forums.filter(kind="med").values_list("key", flat=True)) == {
        "hovedudvalget",
        "forhandlingsorgan-med",
        "med-organisationen",
    }


def test_002_afsnit_4_5_five_vidensteams_led_by_key_employee_or_team_leader(load_fixture):
    """4.5 (002 L686): "Eksempler på opgaver der kan lægges i Vidensteam" (000 L236 "kan" for all five): examples,
    not established teams, so each purpose says so."""
    _, _, v2012 = _versions(load_fixture)
    teams = v2012.networks.filter(kind="knowledge_team")
    assert teams.count() == 5
    for team in teams:
        assert team.leader is None
        assert team.leader_text.startswith("En nøglemedarbejder eller en driftsleder/teamleder")
        assert team.owner is None
        assert team.purpose.startswith("Eksempel: kan ")
    youth = teams.get(key="vidensteam-ungdomsuddannelser")
    assert _keys(youth.member_units.filter(kind="centre")) == {
        "center-for-job-og-ydelser",
        "center-for-raadgivning-og-stoette",
        "center-for-laering-og-paedagogik",
    }
    assert "UU-Nord" in youth.members_text
    assert "95 %" in youth.purpose


def test_002_afsnit_4_3_budget_chain_four_levels_all_supported_by_oekonomi_og_personale(load_fixture):
    """4.3: level 1 "Helheden LTK"; level 2 "Centre og tilhørende institutioner" for the "centeransvarlige
    direktør" and his "'egne' centre" (002 L580-582, figure L613-637), so one row per centre and stab, not the
    whole direktion; the director is not named, so no holder."""
    _, _, v2012 = _versions(load_fixture)
    levels = BudgetResponsibility.objects.filter(version=v2012)
    assert sorted(set(levels.values_list("level", flat=True))) == [1, 2, 3, 4]
    assert set(levels.values_list("supported_by__key", flat=True)) == {"center-for-oekonomi-og-personale"}
    assert levels.get(level=1).scope.key == "enhedsdirektion"
    level2 = levels.filter(level=2)
    assert {b.scope.head.key for b in level2} == CENTRE_HEADS
    assert level2.count() == 11
    assert all(b.holder is None and "ikke angivet" in b.note for b in level2)
    level3 = levels.filter(level=3)
    assert {b.holder.key for b in level3} == CENTRE_HEADS
    assert all(b.scope == b.holder.unit for b in level3)
    # "Den enkelte institutionsleder har økonomiansvaret for egen institution"
    assert {b.scope.kind for b in levels.filter(level=4)} == {"institution"}
    assert levels.filter(level=4).count() == Unit.objects.filter(version=v2012, kind="institution").count() == 17


def test_000_s20_director_figure_names_four_initials_but_no_readable_allocation(load_fixture):
    """000 s. 20 (000 L246, figure "Direktionsansvar for centre"): four directors TA, MRR, UAG, SOHA; columns lost.

    002 afsnit 5 only has the heading "Direktør:" (002 L920-924); no text says which centres each director has,
    so no centre or stab has a responsible director. Each head reports to "den centeransvarlige direktør"
    (002 afsnit 4.3, L580; "den relevante direktør", L539-540), who is not named, and every director, not only
    the kommunaldirektør, has specific centres (002 afsnit 4.1, L329-330; afsnit 5, L917): so no head has a
    reports_to, and its note says so. The partly readable strategic-area row is recorded in the version note only.
    """
    _, _, v2012 = _versions(load_fixture)
    top = v2012.units.get(key="enhedsdirektion").children.filter(kind__in=["centre", "shared_centre", "staff"])
    assert top.count() == 11
    assert all(unit.responsible is None for unit in top)
    assert {unit.head.key for unit in top} == CENTRE_HEADS
    for unit in top:
        assert unit.head.reports_to is None
        assert '"den centeransvarlige direktør"' in unit.head.note or "den ansvarlige direktør" in unit.head.note
        assert "hvem chefen refererer til" in unit.head.note.lower() and "ikke angivet" in unit.head.note
    assert "TA, MRR, UAG og SOHA" in v2012.note
    assert "TA - Økonomi, MRR - Kvalitet og resultater, UAG - Innovation og udvikling" in v2012.note
    assert "kan ikke afgøres" in v2012.note
    for post in v2012.posts.filter(kind__in=["chief_executive", "director"]):
        assert "TA, MRR, UAG og SOHA" in post.note


def test_002_afsnit_5_1_raadgivning_og_stoette_tasks_and_social_institutions(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    centre = v2012.units.get(key="center-for-raadgivning-og-stoette")
    assert _keys(centre.tasks.all()) >= {
        "specialiseret-social-indsats",
        "specialpaedagogisk-indsats-ppr",
        "raadgivning-af-voksne",
        "styring-af-det-specialiserede-socialomraade",
        "specialiseret-raadgivning-og-inklusion",
    }
    # PPR's special-needs work and the Socialcenter's support to the social institutions move to the centre
    assert _task_unit(v2011, "specialpaedagogisk-indsats-ppr") == "ppr"
    assert _task_unit(v2011, "understoetning-af-sociale-institutioner") == "socialcentret"
    assert _task_unit(v2012, "understoetning-af-sociale-institutioner") == centre.key
    assert _keys(centre.children.all()) == {"sociale-dag-og-doegntilbud"}


def test_002_afsnit_5_7_and_5_8_tasks_of_two_cross_cutting_centres(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    borgerservice = v2012.units.get(key="center-for-borgerservice-og-digitalisering")
    assert _keys(borgerservice.tasks.all()) == {
        "borgerservice-og-vejledning",
        "strategisk-it-udvikling",
        "it-drift-og-support",
        "telefoni-og-omstilling",
        "velfaerdsteknologi",
        "one-stop-for-virksomheder",  # 000 afsnit 2.4
    }
    arealer = v2012.units.get(key="center-for-arealer-og-ejendomme")
    assert _keys(arealer.tasks.all()) == {
        "drift-og-vedligehold-af-ejendomme-og-arealer",
        "facility-management",
        "bygherre-og-anlaegsstyring",
        "energiraadgivning",
        "styring-af-drift-og-anlaeg-park-og-vej",
        "bestiller-og-controllerfunktion",  # 5.8, 002 L1138-1139
        "serviceaftaler",  # 5.8, 002 L1147-1148
    }


def test_002_afsnit_5_10_and_5_11_tasks_of_the_two_stabe(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    strategi = v2012.units.get(key="stab-for-strategi-og-erhverv")
    assert _keys(strategi.tasks.all()) >= {"energi-og-klimadagsorden", "styringskoncept", "kommunikation"}
    politik = v2012.units.get(key="stab-for-politik-og-jura")
    assert _keys(politik.tasks.all()) >= {"juridisk-raadgivning", "indkoeb-og-udbud", "klagenaevn-og-stadsarkiv"}
    # the mayor's secretariat and the secretariat of the direktion are gathered in the stab
    assert _task_unit(v2011, "borgmesterbetjening") == "borgmestersekretariatet"
    assert _task_unit(v2011, "direktionsbetjening") == "direktionssekretariatet"
    assert _task_unit(v2012, "borgmesterbetjening") == _task_unit(v2012, "direktionsbetjening") == politik.key
    klage = CommitteeService.objects.get(version=v2012, committee__key="klagenaevnene")
    assert klage.unit == politik


def test_002_afsnit_4_3_budget_levels_1_and_2_are_direktion_and_responsible_director(load_fixture):
    """4.3: Direktionen - helheden LTK; ansvarlig direktør - centre og tilhørende institutioner."""
    _, _, v2012 = _versions(load_fixture)
    levels = BudgetResponsibility.objects.filter(version=v2012)
    level1 = levels.get(level=1)
    level2 = levels.get(level=2, scope__key="center-for-oekonomi-og-personale")
    assert level1.name.startswith("Direktionen") and level1.holder is None
    assert all(b.name.startswith("Ansvarlig direktør") for b in levels.filter(level=2))
    assert "opfølgningsgrundlag" in level1.note
    assert "økonomicenterchefen har det operationelle ansvar" in level2.note
    # "Den enkelte institutionsleder har økonomiansvaret for egen institution"
    assert set(levels.filter(level=4).values_list("name", flat=True)) == {"Institutionsleder - egen institution"}


def test_002_oeu_2_3_februar_2012_decision_points_and_the_people_named(load_fixture):
    """002 ØU 2./3.2.2012 (L24-48): memo of 31 Jan, four-member direktion, KMB 26 March, MED's remarks before the
    final position (L37-39), "model 2" with the procedure agreed in MED and other placements per the procesplan
    (L41-44), the principles for distributing ressortområder (L46-48); 000 4.11 "medio 2012"."""
    municipality, v2011, v2012 = _versions(load_fixture)
    for fact in (
        "31. januar 2012",
        "direktionsmodel med fire",
        "model 2",
        "26. marts 2012",
        "medio 2012",
        "MED-organisationens bemærkninger indgår, før der tages endelig stilling",
        "drøftes og aftales i MED-systemet",
        "procesplanen",
        "fremadrettede fordeling af ressortområder på direktionsniveau",
    ):
        assert fact in v2012.note, fact
    assert (v2011.decided_on, v2011.effective_from) == (None, None)
    zita = municipality.people.get(key="zita-korsholm")
    assert zita.name == "Zita Korsholm"
    assert not zita.posts.exists()


HEAD_DUTIES = {  # "Center- og stabschefernes opgaver er at" (002 afsnit 4.2, L477-519; 000 afsnit 4.2, L228)
    "politisk-betjening-fagligt-og-faktuelt",  # L482-483
    "lede-centret",  # L488
    "lede-institutionsledere",  # L489-491
    "lede-mellemledere",  # L491-496
    "oekonomisk-ansvar-for-centrets-omraader",  # L497-499
    "sikker-drift-og-faglig-udvikling",  # L504-505
    "myndighed-lovlig-forvaltning",  # L507
    "koordinere-med-andre-centre",  # L508-510
    "projektejer-faglige-projekter",  # L511
    "faglig-udvikling-og-innovation",  # L512-514
    "strategisk-udvikling-i-koncernledergruppen",  # L515-517
    "projektejer-tvaergaaende-projekter",  # L518
    "ansvarlig-for-tvaergaaende-vidensteams",  # L519
}
CENTRE_HEAD_ONLY_DUTIES = {  # given to "centerchefen" alone in 4.3 and 4.4
    "inddrage-den-relevante-direktoer",  # L539-540
    "forslag-til-intern-struktur",  # L564-565
    "moedestruktur-med-institutionerne",  # L565-567, L607
}
DIRECTOR_DUTIES = {  # the individual director's responsibilities (002 afsnit 4.1, 4.3, 4.7)
    "ansvar-for-helheden-og-specifikke-centre",  # L329-330
    "tvaergaaende-strategiske-omraader",  # L343
    "faglig-strategisk-udvikling-af-egne-omraader",  # L441-442
    "oekonomiansvar-for-egne-omraader",  # L434-435, L570-572
    "medansvar-for-koncernens-oekonomi",  # L572
    "strategisk-raadgivning-af-politikerne",  # L768
}


def _duty_keys(version, post_key):
    return set(Duty.objects.filter(version=version, post__key=post_key).values_list("key", flat=True))


def test_002_afsnit_4_2_standard_duties_of_the_eleven_centre_and_staff_heads(load_fixture):
    """002 afsnit 4.2 (L477-519): the list "Center- og stabschefernes opgaver er at" is on every head with the
    same keys; 4.3 (L539-540, L564-567) and 4.4 (L607) add three duties for the centre heads only."""
    _, v2011, v2012 = _versions(load_fixture)
    for head in CENTRE_HEADS:
        expected = HEAD_DUTIES if head.startswith("stabschef") else HEAD_DUTIES | CENTRE_HEAD_ONLY_DUTIES
        if head == "centerchef-oekonomi-og-personale":
            expected = expected | {"operationelt-ansvar-for-oekonomistyringen"}  # 4.3, L575-577
        assert _duty_keys(v2012, head) == expected, head
    myndighed = Duty.objects.filter(version=v2012, key="myndighed-lovlig-forvaltning")
    assert set(myndighed.values_list("name", flat=True)) == {
        "Sikre varetagelse af myndighedsopgaver og lovlig forvaltning"
    }
    assert set(myndighed.values_list("source", flat=True)) == {"002 afsnit 4.2"}
    vidensteams = Duty.objects.get(
        version=v2012, post__key="stabschef-politik-og-jura", key="ansvarlig-for-tvaergaaende-vidensteams"
    )
    assert vidensteams.name == "Være ansvarlig for tværgående vidensteams"
    assert not Duty.objects.filter(version=v2011).exists()  # no posts in 2011 (the documents name none)


def test_002_afsnit_4_1_and_4_3_duties_of_the_four_directors(load_fixture):
    """002 afsnit 4.1 (L329-330 "Alle direktører har først ansvaret for helheden LTK, dernæst ansvaret for
    specifikke centre"; L343; L434-435; L441-442) and 4.3 (L570-572): the same duties on all four members; the
    kommunaldirektør also "i spidsen" (L329), and nothing else of its own."""
    _, _, v2012 = _versions(load_fixture)
    assert _duty_keys(v2012, "kommunaldirektoer") == DIRECTOR_DUTIES | {"i-spidsen-for-direktionen"}
    for key in ("direktoer-1", "direktoer-2", "direktoer-3"):
        assert _duty_keys(v2012, key) == DIRECTOR_DUTIES
    areas = Duty.objects.get(version=v2012, post__key="direktoer-1", key="tvaergaaende-strategiske-omraader")
    assert "ikke angivet" in areas.note  # which areas: not readable (000 L246)


def test_002_afsnit_4_7_and_5_11_duties_of_the_udvalgskoordinatorer(load_fixture):
    """5.11 (L1207-1210): "koordination af udvalgsbetjeningen ... sagsstyring, kvalitetssikring af sager fra
    fagcentre og udarbejdelse af mere generelle udvalgssager"; 4.7 (L770-772, L789-791)."""
    _, _, v2012 = _versions(load_fixture)
    assert _duty_keys(v2012, "udvalgskoordinator") == {
        "koordination-af-udvalgsbetjeningen",
        "sagsstyring-og-kvalitetssikring",
        "generelle-udvalgssager",
        "udvalgsteknisk-raadgivning",
        "ensartet-logistik-paa-tvaers-af-udvalg",
    }
    assert not _duty_keys(v2012, "leder-jobcentret")  # 5.5 states no duties of the two leaders


def test_002_afsnit_4_1_direktionens_opgaver_are_tasks_of_the_enhedsdirektion(load_fixture):
    """The table "Direktionens opgaver er at" (002 afsnit 4.1, L409-456; 000 L226) and the direktion's roles in
    4.3 (L542-543, L564-565), 4.6 (L722-723) and 4.8 (L812), as tasks of the direktion as a whole."""
    _, _, v2012 = _versions(load_fixture)
    tasks = {t.key: t.name for t in Task.objects.filter(version=v2012, unit__key="enhedsdirektion")}
    assert tasks["strategisk-udvikling-af-organisationen"] == "Varetage den strategiske udvikling af organisationen"
    assert tasks["styrelseslov-og-kommunalfuldmagt"] == (
        "Have det overordnede ansvar for overholdelse af styrelsesloven og kommunalfuldmagten"
    )
    assert tasks["lede-og-sparre-med-centercheferne"] == "Lede og sparre med centercheferne"
    assert tasks["ansaette-og-afskedige-centerchefer"] == "Ansætte og afskedige centerchefer"
    assert tasks["lede-koncernledergruppens-og-lederkredsens-moeder"] == (
        "Lede og styre koncernledergruppens møder samt lederkredsens møder"
    )
    assert tasks["kommunikationslinjen"] == "Fastlægge kommunikationslinjen overfor omverdenen"
    assert {
        "understoette-politiske-visioner-og-maal",
        "implementering-af-politiske-visioner-og-maal",
        "prioriteringer-paa-tvaers",
        "udvikling-paa-saerlige-omraader",
        "rammer-for-de-politiske-sager",
        "beslutte-centrenes-interne-struktur",
        "fordeling-af-udviklingsressourcer",
        "forslag-om-ny-med-organisation",
        "arbejdsgange-for-oekonomiopfoelgning",
        "systematisk-innovation",
        "strategisk-politisk-betjening",
        "koncernens-samlede-oekonomi",
        "oprettelse-af-vidensteams",
    } <= set(tasks)
    assert len(tasks) == 24  # 5 strategic areas + 19 tasks


def test_002_afsnit_5_1_special_support_functions_move_from_boerne_og_fritidsforvaltningen(load_fixture):
    """5.1 (L962-963): "samt andre specielle støttefunktioner fra Børne- og Fritidsforvaltningen" - no unit named,
    so a task that keeps its key when it moves to Center for Rådgivning og Støtte."""
    _, v2011, v2012 = _versions(load_fixture)
    assert _task_unit(v2011, "specielle-stoettefunktioner") == "boerne-og-fritidsforvaltningen"
    assert _task_unit(v2012, "specielle-stoettefunktioner") == "center-for-raadgivning-og-stoette"


def test_every_2011_task_continues_in_2012_under_the_same_key(load_fixture):
    """A task that moves keeps its key (5.1-5.11 move functions, none is said to end)."""
    _, v2011, v2012 = _versions(load_fixture)
    before = _keys(Task.objects.filter(version=v2011))
    assert before <= _keys(Task.objects.filter(version=v2012))
    for key in before:
        assert Task.objects.get(version=v2011, key=key).name == Task.objects.get(version=v2012, key=key).name


def test_002_afsnit_5_4_to_5_11_centre_tasks_stated_in_the_descriptions(load_fixture):
    """5.4 (L1030-1034), 5.5 (L1053-1057), 5.6 (L1081-1089), 5.9 (L1159-1161), 5.10 (L1175-1188), 5.11 (L1212-1214)."""
    _, _, v2012 = _versions(load_fixture)
    expected = {
        "center-for-aeldre-og-traening": {
            "patientrettet-forebyggelse-og-traening",
            "aeldrestrategien",
            "frivillige-paa-aeldreomraadet",
        },
        "jobcentret": {"indstilling-til-foertidspension", "arbejdskraft-og-korteste-vej-til-job"},
        "center-for-miljoe-og-plan": {
            "helhedsorienteret-raadgivning-om-arealanvendelse-og-byggeri",
            "planer-for-baeredygtig-byudvikling",
            "kortere-sagsbehandlingstid-og-digital-byggesag",
            "vidensbystrategien-groenne-omraader",
        },
        "center-for-oekonomi-og-personale": {"koncernstyring", "understoette-oekonomiansvarlige"},
        "stab-for-strategi-og-erhverv": {
            "understoetning-af-faglige-projekter",
            "reallokering-af-udviklingsressourcer",
            "tvaerkommunalt-samarbejde",
        },
        "stab-for-politik-og-jura": {"ensartet-dagsordensproduktion-for-lederfora"},
    }
    for unit_key, task_keys in expected.items():
        assert task_keys <= _keys(v2012.units.get(key=unit_key).tasks.all()), unit_key
    assert "træning før varig hjælp" in Task.objects.get(version=v2012, key="aeldrestrategien").name


def test_002_afsnit_5_11_who_prepared_committee_agendas_before_2012_is_not_stated(load_fixture):
    """5.11 (L1206, L1227) gathers "alle de nuværende administrative funktioner i forhold til udvalgsdagsordener"
    and "sekretariatsfunktionerne i de nuværende fagforvaltninger" without naming who produced the agendas, so
    2011 has no agenda service; the version note says what the text says."""
    _, v2011, _ = _versions(load_fixture)
    assert not CommitteeService.objects.filter(version=v2011, role="prepares_agenda").exists()
    assert set(CommitteeService.objects.filter(version=v2011).values_list("committee__key", flat=True)) == {
        "oekonomiudvalget",
        "integrationsraadet",
    }
    assert "producerer dagsordenerne til udvalgene, står derfor ikke" in v2011.note
    assert "pladsanvisning og" in v2011.note  # 5.7 (L1117-1118): exists today, forvaltning not named


def test_002_afsnit_4_8_med_organisationen_in_both_versions(load_fixture):
    """4.8 (L803-804): "det gode samarbejde i MED-systemet, som er i den nuværende organisation"; 002 L812 (the
    direktion's later proposal) vs 000 L240 (a forhandlingsorgan "skal nedsættes")."""
    _, v2011, v2012 = _versions(load_fixture)
    assert v2011.forums.get(key="med-organisationen").kind == "med"
    assert v2012.forums.get(key="med-organisationen").kind == "med"
    assert "øverste" not in v2011.forums.get(key="hovedudvalget").purpose.lower()  # not in 002 L810-812
    assert "planlagt" in v2012.forums.get(key="forhandlingsorgan-med").note.lower()


def test_002_afsnit_2_1_budget_requirement_and_4_9_styringsmodel_project_in_the_version_note(load_fixture):
    """002 afsnit 2.1 (L89-90) / 000 (L212): 13,5 mio. kr., of which 7,1 mio. kr. from the rådhus functions;
    4.9 (002 L846 "Det kan overvejes", 000 L242 "Det overvejes") a project in 2. halvår 2012."""
    _, _, v2012 = _versions(load_fixture)
    for fact in ("13,5 mio. kr.", "7,1 mio. kr.", "særskilt plan", "2. halvår 2012", "tidsafgrænsede projekter"):
        assert fact in v2012.note, fact


def test_002_afsnit_5_3_and_5_10_volunteering_and_communication_tensions_are_noted(load_fixture):
    """Frivillighed twice: 5.3 (L1006-1007) and 5.10 (L1199-1200); kommunikation kept (L1195) while 000's name
    drops "og Kommunikation" (002 L1173 vs 000 L246)."""
    _, _, v2012 = _versions(load_fixture)
    assert "5.10" in Task.objects.get(version=v2012, key="frivillighedsomraadet").note
    assert "5.3" in Task.objects.get(version=v2012, key="strategisk-ansvar-frivillighed").note
    assert "og Kommunikation" in Task.objects.get(version=v2012, key="kommunikation").note


JARGON = re.compile(
    r"\b(reports_to|formed_from|director_area|responsible|decided_(on|by)|effective_(from|to)|null|kind|unit|scope"
    r"|holder|serves|attends|prepares_agenda|secretariat|kodet|nøgle[nr]?|opgavenøgle[nr]?)\b"
)


def test_notes_are_danish_prose_without_data_model_words(load_fixture):
    """Notes are read by HR staff and politicians: no field names or type codes in them."""
    municipality, v2011, v2012 = _versions(load_fixture)
    notes = [v2011.note, v2012.note, *municipality.committees.values_list("note", flat=True)]
    for version in (v2011, v2012):
        notes += list(version.units.values_list("note", flat=True))
        notes += list(version.posts.values_list("note", flat=True))
        notes += list(Task.objects.filter(version=version).values_list("note", flat=True))
        notes += list(Duty.objects.filter(version=version).values_list("note", flat=True))
        notes += list(CommitteeService.objects.filter(version=version).values_list("note", flat=True))
        notes += list(version.forums.values_list("note", flat=True))
        notes += list(version.networks.values_list("note", flat=True))
        notes += list(BudgetResponsibility.objects.filter(version=version).values_list("note", flat=True))
    for note in filter(None, notes):
        assert not JARGON.search(note), (JARGON.search(note).group(), note[:120])
