"""Fact tests for fixtures/ltk.yaml (Lyngby-Taarbæk Kommune).

Every test checks a fact stated in the sources: 000, the memo "Ny organisering af administrationen i
Lyngby-Taarbæk Kommune - visioner og byggesten" (2012), and 002, Økonomiudvalget's case
"Organisationsprojektet" (January-February 2012) with the memo's centre descriptions (afsnit 5.1-5.11).
The section is in the test name or docstring.
"""

import datetime

import pytest

from centers.models import Task, Unit
from governance.models import BudgetResponsibility, CommitteeService

pytestmark = pytest.mark.django_db

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


def test_002_oeu_2_3_februar_2012_kmb_decides_26_march_2012_and_new_version_builds_on_old(load_fixture):
    """002 ØU 2./3.2.2012: KMB takes the final decision on the new main structure on 26 March 2012."""
    municipality, v2011, v2012 = _versions(load_fixture)
    assert municipality.kommunekode == 173
    assert municipality.name == "Lyngby-Taarbæk Kommune"
    assert v2012.decided_on == datetime.date(2012, 3, 26)
    assert v2012.decided_by == "Kommunalbestyrelsen"
    assert v2012.based_on == v2011
    assert (v2011.status, v2012.status) == ("previous", "current")
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


def test_002_afsnit_5_3_sundhedstjenesten_moves_from_boerne_og_fritidsforvaltningen(load_fixture):
    _, v2011, v2012 = _versions(load_fixture)
    assert v2011.units.get(key="sundhedstjenesten").parent.key == "boerne-og-fritidsforvaltningen"
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
    _, v2011, v2012 = _versions(load_fixture)
    assert _keys(v2012.units.get(key="center-for-miljoe-og-plan").formed_from.all()) == {
        "plan-og-byggeafdelingen",
        "vej-og-miljoeafdelingen",
    }
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
    _, _, v2012 = _versions(load_fixture)
    udvalg = CommitteeService.objects.filter(version=v2012, committee__key="de-politiske-udvalg")
    assert udvalg.get(role="serves").unit.key == "enhedsdirektion"
    assert {s.post.key for s in udvalg.filter(role="attends")} == CENTRE_HEADS
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
    }


def test_002_afsnit_4_5_five_vidensteams_led_by_key_employee_or_team_leader(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    teams = v2012.networks.filter(kind="knowledge_team")
    assert teams.count() == 5
    for team in teams:
        assert team.leader is None
        assert team.leader_text.startswith("En nøglemedarbejder eller en driftsleder/teamleder")
        assert team.owner is None
    youth = teams.get(key="vidensteam-ungdomsuddannelser")
    assert _keys(youth.member_units.filter(kind="centre")) == {
        "center-for-job-og-ydelser",
        "center-for-raadgivning-og-stoette",
        "center-for-laering-og-paedagogik",
    }
    assert "UU-Nord" in youth.members_text
    assert "95 %" in youth.purpose


def test_002_afsnit_4_3_budget_chain_four_levels_all_supported_by_oekonomi_og_personale(load_fixture):
    _, _, v2012 = _versions(load_fixture)
    levels = BudgetResponsibility.objects.filter(version=v2012)
    assert sorted(set(levels.values_list("level", flat=True))) == [1, 2, 3, 4]
    assert set(levels.values_list("supported_by__key", flat=True)) == {"center-for-oekonomi-og-personale"}
    assert levels.get(level=1).scope.key == "enhedsdirektion"
    level3 = levels.filter(level=3)
    assert {b.holder.key for b in level3} == CENTRE_HEADS
    assert all(b.scope == b.holder.unit for b in level3)
    # "Den enkelte institutionsleder har økonomiansvaret for egen institution"
    assert {b.scope.kind for b in levels.filter(level=4)} == {"institution"}
    assert levels.filter(level=4).count() == Unit.objects.filter(version=v2012, kind="institution").count() == 17


def test_000_s20_director_figure_names_four_initials_but_no_readable_allocation(load_fixture):
    """000 s. 20 (figure "Direktionsansvar for centre"): four directors TA, MRR, UAG, SOHA; columns lost.

    002 afsnit 5 only has the heading "Direktør:"; no text says which centres each director has, so no
    centre or stab has a `responsible` director and the head posts report to the kommunaldirektør (4.1).
    """
    _, _, v2012 = _versions(load_fixture)
    top = v2012.units.get(key="enhedsdirektion").children.filter(kind__in=["centre", "shared_centre", "staff"])
    assert top.count() == 11
    assert all(unit.responsible is None for unit in top)
    assert {unit.head.key for unit in top} == CENTRE_HEADS
    assert {unit.head.reports_to.key for unit in top} == {"kommunaldirektoer"}
    assert "TA, MRR, UAG og SOHA" in v2012.note
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
    level1, level2 = levels.get(level=1), levels.get(level=2)
    assert level1.name.startswith("Direktionen") and level1.holder is None
    assert level2.name.startswith("Ansvarlig direktør") and level2.holder is None
    assert "opfølgningsgrundlag" in level1.note
    assert "økonomicenterchefen har det operationelle ansvar" in level2.note
    # "Den enkelte institutionsleder har økonomiansvaret for egen institution"
    assert set(levels.filter(level=4).values_list("name", flat=True)) == {"Institutionsleder - egen institution"}


def test_002_oeu_2_3_februar_2012_decision_points_and_the_people_named(load_fixture):
    """002 ØU 2./3.2.2012: memo of 31 Jan, four-member direktion, "model 2", KMB 26 March; 000 4.11 "medio 2012"."""
    municipality, v2011, v2012 = _versions(load_fixture)
    for fact in ("31. januar 2012", "direktionsmodel med fire medlemmer", "model 2", "26. marts 2012", "medio 2012"):
        assert fact in v2012.note
    assert (v2011.decided_on, v2011.effective_from) == (None, None)
    zita = municipality.people.get(key="zita-korsholm")
    assert zita.name == "Zita Korsholm"
    assert not zita.posts.exists()
