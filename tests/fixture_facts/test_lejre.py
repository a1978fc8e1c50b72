"""Fact tests for fixtures/lejre.yaml.

Every test checks a fact stated in source 001, "Beslutningsoplæg til høring: Eftersyn og justering af
organisation, forår 2014" (Lejre Kommune); the section is in the test name. "seed L214" is a line of
/work/shared/seeds/001_71f7709d0aaba5c9.txt (one line per page: L208 = p. 1 ... L226 = p. 10), as cited by the
fidelity audit (shared/reviews/fidelity-lejre-assens-albertslund.md, section 1, items L-E*, L-O*, L-Q*).
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml

from centers.models import Duty, Person, Post, Task, Unit
from governance.models import Committee

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "lejre.yaml"

pytestmark = [pytest.mark.django_db, pytest.mark.shared_fixtures("lejre")]


def _versions(load_fixture):
    municipality = load_fixture("lejre")
    return municipality, municipality.versions.get(key="2011"), municipality.versions.get(key="2014")


def _task_unit(version, task_key):
    return Task.objects.get(version=version, key=task_key).unit.key


def test_001_afsnit_1_structure_2011_approved_by_kommunalbestyrelsen_28_march_2011(load_fixture):
    municipality, v2011, _ = _versions(load_fixture)
    assert municipality.kommunekode == 350
    # the 2011 structure is still in force: the 2014 adjustment is only a proposal for hearing
    assert v2011.status == "current"
    assert v2011.decided_on == datetime.date(2011, 3, 28)
    assert v2011.decided_by == "Kommunalbestyrelsen"
    # "ledelsen var på plads den 1. juni"
    assert v2011.effective_from == datetime.date(2011, 6, 1)
    assert v2011.effective_to is None


def test_001_afsnit_1_changes_take_effect_1_may_2014_as_a_proposal_for_hearing(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert v2014.effective_from == datetime.date(2014, 5, 1)
    assert v2014.based_on == v2011
    # "Beslutningsoplæg til høring": not yet decided in the document
    assert v2014.status == "proposed"
    assert v2014.decided_on is None
    assert not v2014.decided_by
    assert v2014.effective_to is None


def test_001_afsnit_4_stabsenheder_reduced_from_3_to_2(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    staffs_2011 = set(v2011.units.filter(kind="staff").values_list("name", flat=True))
    assert staffs_2011 == {"Koncernsekretariatet", "Servicecenter Allerslev", "Servicecenter Hvalsø"}
    shared_2014 = set(v2014.units.filter(kind="shared_centre").values_list("name", flat=True))
    assert shared_2014 == {"Koncernsekretariat & Udvikling (KSU)", "Koncernøkonomi & Analyse (KØA)"}
    assert v2014.units.filter(kind="staff").count() == 0


def test_001_afsnit_4_fagcentre_reduced_by_one_through_the_merger(load_fixture):
    """Afsnit 4: fagcentre 8 -> 7; only the three fagcentre the main text names are encoded."""
    _, v2011, v2014 = _versions(load_fixture)
    assert v2011.units.filter(kind="centre").count() == 3
    assert v2014.units.filter(kind="centre").count() == 2
    assert set(v2014.units.filter(kind="centre").values_list("key", flat=True)) == {
        "center-trafik-ejendomsdrift",
        "center-byg-miljoe",
    }


def test_001_afsnit_5_both_servicecentres_are_closed_and_feed_the_two_shared_centres(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert not v2014.units.filter(key__startswith="servicecenter").exists()
    for key in ("servicecenter-allerslev", "servicecenter-hvalsoe"):
        old = Unit.objects.get(version=v2011, key=key)
        assert set(old.successors.values_list("key", flat=True)) == {
            "koncernsekretariat-udvikling",
            "koncernoekonomi-analyse",
        }


def test_001_afsnit_4_ksu_formed_from_koncernsekretariatet_and_the_servicecentres(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    ksu = v2014.units.get(key="koncernsekretariat-udvikling")
    assert ksu.parent.key == "koncerndirektion"
    assert set(ksu.formed_from.values_list("key", flat=True)) == {
        "koncernsekretariatet",
        "servicecenter-allerslev",
        "servicecenter-hvalsoe",
    }
    assert {u.version.key for u in ksu.formed_from.all()} == {"2011"}


def test_001_afsnit_4_koea_takes_over_koncernoekonomi(load_fixture):
    """L-O6, seed L214: KØA takes over "det nuværende Koncernøkonomi s opgaver". Koncernøkonomi's tasks carry
    the keys KØA uses, so they read as moves; the former catch-all task "Koncernøkonomis opgaver" is gone."""
    _, v2011, v2014 = _versions(load_fixture)
    assert v2011.units.get(key="koncernoekonomi").parent.key == "koncernsekretariatet"
    koea = v2014.units.get(key="koncernoekonomi-analyse")
    assert set(koea.formed_from.values_list("key", flat=True)) == {
        "koncernoekonomi",
        "servicecenter-allerslev",
        "servicecenter-hvalsoe",
    }
    for key in ("budget-og-regnskabsprocesser", "oekonomistyring"):
        assert _task_unit(v2011, key) == "koncernoekonomi"
        assert _task_unit(v2014, key) == "koncernoekonomi-analyse"
    assert not Task.objects.filter(version__municipality=v2011.municipality, key="koncernoekonomi-opgaver").exists()


def test_001_afsnit_4_finans_loen_and_bogholderi_have_no_2011_placement(load_fixture):
    """Seed L214: "økonomi, finans, lønadministration og bogholderi, som i dag er forankret i et eller flere
    Servicecentre" — which one is not said, so these KØA tasks exist only in 2014 and their notes say why."""
    _, v2011, v2014 = _versions(load_fixture)
    for key in ("finansiel-strategi", "loenadministration-bogholderi"):
        assert not Task.objects.filter(version=v2011, key=key).exists()
        task = Task.objects.get(version=v2014, key=key)
        assert task.unit.key == "koncernoekonomi-analyse"
        assert "et eller flere Servicecentre" in task.note


def test_001_afsnit_6_veje_trafik_and_ejendomsdrift_merge_into_trafik_ejendomsdrift(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    merged = v2014.units.get(key="center-trafik-ejendomsdrift")
    assert merged.name == "Center for Trafik & Ejendomsdrift"
    assert set(merged.formed_from.values_list("key", flat=True)) == {
        "center-veje-trafik",
        "center-ejendomsdrift",
    }
    assert not v2014.units.filter(key__in=["center-veje-trafik", "center-ejendomsdrift"]).exists()


def test_001_afsnit_6_tasks_of_both_old_centres_land_in_the_merged_centre(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert _task_unit(v2011, "drift-af-veje") == "center-veje-trafik"
    assert _task_unit(v2011, "affaldsomraadet") == "center-veje-trafik"
    assert _task_unit(v2011, "bygningsvedligeholdelse") == "center-ejendomsdrift"
    assert _task_unit(v2011, "beredskab") == "center-ejendomsdrift"
    for key in ("drift-af-veje", "affaldsomraadet", "bygningsvedligeholdelse", "beredskab"):
        assert _task_unit(v2014, key) == "center-trafik-ejendomsdrift"


def test_001_afsnit_5_borgerservice_moves_from_servicecenter_hvalsoe_to_ksu(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert _task_unit(v2011, "borgerservice") == "servicecenter-hvalsoe"
    assert _task_unit(v2014, "borgerservice") == "koncernsekretariat-udvikling"


def test_001_afsnit_5_it_and_indkoeb_move_from_servicecenter_allerslev_to_ksu(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    for key in ("it", "indkoeb", "personalejura"):
        assert _task_unit(v2011, key) == "servicecenter-allerslev"
        assert _task_unit(v2014, key) == "koncernsekretariat-udvikling"


def test_001_afsnit_5_digitaliseringsprogram_stays_with_the_secretariat_now_ksu(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert _task_unit(v2011, "digitaliseringsprogram") == "koncernsekretariatet"
    assert _task_unit(v2014, "digitaliseringsprogram") == "koncernsekretariat-udvikling"


def test_001_afsnit_5_development_consultants_from_all_three_staffs_pooled_in_ksu(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    origins = {
        "udviklingskonsulenter-koncernsekretariatet": "koncernsekretariatet",
        "udviklingskonsulenter-servicecenter-allerslev": "servicecenter-allerslev",
        "udviklingskonsulenter-servicecenter-hvalsoe": "servicecenter-hvalsoe",
    }
    for task_key, old_unit in origins.items():
        assert _task_unit(v2011, task_key) == old_unit
        assert _task_unit(v2014, task_key) == "koncernsekretariat-udvikling"


def test_001_afsnit_8_koncerndirektion_grows_from_three_to_four_directors(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    kinds = ["chief_executive", "director"]
    assert v2011.posts.filter(unit__key="koncerndirektion", kind__in=kinds).count() == 3
    assert v2014.posts.filter(unit__key="koncerndirektion", kind__in=kinds).count() == 4
    new = v2014.posts.get(key="direktoer-oekonomi-effektivisering")
    assert new.title == "Direktør med ansvar for økonomi og effektivisering"
    assert new.kind == "director"
    assert new.reports_to.key == "kommunaldirektoer"
    assert not v2011.posts.filter(key="direktoer-oekonomi-effektivisering").exists()


def test_001_afsnit_8_kcd_is_led_by_the_kommunaldirektoer(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    for version, size in ((v2011, 3), (v2014, 4)):
        kcd = version.forums.get(key="koncerndirektion")
        assert kcd.kind == "executive_board"
        assert kcd.chair.key == "kommunaldirektoer"
        assert kcd.member_posts.count() == size
        assert version.units.get(key="koncerndirektion").head.kind == "chief_executive"


def test_001_afsnit_5_konsulentnetvaerk_meets_3_to_4_times_a_year_from_2014(load_fixture):
    """Seed L216: "Der etableres endvidere et konsulentnetværk som mødes 3-4 gange om året ... også de konsulenter
    som er forankret i et program (f.eks. erhverv og vækst)": KSU houses the consultants, and the E&V programme
    is the example the text names."""
    _, v2011, v2014 = _versions(load_fixture)
    assert not v2011.networks.filter(key="konsulentnetvaerk").exists()
    net = v2014.networks.get(key="konsulentnetvaerk")
    assert net.kind == "network"
    assert net.frequency == "3-4 gange om året"
    assert net.leader is None  # the document names no leader
    assert set(net.member_units.values_list("key", flat=True)) == {
        "koncernsekretariat-udvikling",
        "program-erhverv-vaekst",
    }


def test_001_afsnit_2_koncernledelse_and_hu_are_forums_in_both_versions(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    for version in (v2011, v2014):
        koncernledelsen = version.forums.get(key="koncernledelsen")
        assert (koncernledelsen.name, koncernledelsen.kind) == ("Koncernledelsen", "management_group")
        hu = version.forums.get(key="hu")
        assert (hu.name, hu.kind) == ("HU", "med")  # the document only uses the abbreviation
        # neither composition nor chair is given in the main text
        for forum in (koncernledelsen, hu):
            assert forum.chair is None
            assert forum.member_posts.count() == 0
    assert set(v2014.forums.values_list("key", flat=True)) == {
        "koncerndirektion",
        "koncernledelsen",
        "hu",
        "implementeringsgruppen",
    }


def test_001_afsnit_5_secretariat_then_ksu_serves_kommunalbestyrelsen(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    s2011 = v2011.committee_services.get(committee__key="kb")
    assert (s2011.unit.key, s2011.role) == ("koncernsekretariatet", "serves")
    served_2014 = set(v2014.committee_services.filter(committee__key="kb").values_list("unit__key", "role"))
    assert served_2014 == {("koncernsekretariat-udvikling", "serves"), ("koncernoekonomi-analyse", "serves")}


def test_001_afsnit_7_investment_posts_branding_in_ksu_and_byudvikling_in_byg_miljoe(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert v2014.posts.get(key="projektleder-branding").unit.key == "koncernsekretariat-udvikling"
    assert v2014.posts.get(key="projektleder-byudvikling").unit.key == "center-byg-miljoe"
    assert _task_unit(v2014, "byudvikling") == "center-byg-miljoe"
    # Center for Byg & Miljø continues unchanged under the same key
    assert v2011.units.get(key="center-byg-miljoe").name == v2014.units.get(key="center-byg-miljoe").name


def test_001_afsnit_6_new_afdelingsleder_reports_to_the_merged_centres_chief(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    leader = v2014.posts.get(key="afdelingsleder-realkapital")
    assert leader.kind == "leader"
    assert leader.reports_to.key == "centerchef-trafik-ejendomsdrift"
    assert _task_unit(v2014, "effektivisering-realkapital") == "center-trafik-ejendomsdrift"


def test_001_afsnit_1_and_5_committees_named(load_fixture):
    municipality, _, _ = _versions(load_fixture)
    committees = dict(Committee.objects.filter(municipality=municipality).values_list("name", "kind"))
    assert committees == {
        "Kommunalbestyrelsen": "council",
        "Økonomiudvalget": "finance",
        "Udvalget for Kultur & Fritid": "standing",
    }


def test_001_afsnit_5_and_6_every_2011_task_lands_in_the_stated_2014_unit(load_fixture):
    """Afsnit 5: KSU = Koncernsekretariatet ekskl. økonomi + personalejura/administration,
    udviklingskonsulenter, indkøb, Borgerservice og IT; afsnit 4: Koncernøkonomi -> KØA; afsnit 6: both
    centres -> Center for Trafik & Ejendomsdrift; afsnit 7: kommunikationsteamet ends up in KSU; afsnit 5
    (seed L216): the E&V programme moves into KSU as a unit, and Byg & Miljø keeps its fagcenter tasks.
    Every 2011 task keeps its key in 2014: a move, never a new task."""
    _, v2011, v2014 = _versions(load_fixture)
    ksu, koea, merged = "koncernsekretariat-udvikling", "koncernoekonomi-analyse", "center-trafik-ejendomsdrift"
    target = {
        "koncernsekretariatet": ksu,
        "servicecenter-allerslev": ksu,
        "servicecenter-hvalsoe": ksu,
        "koncernoekonomi": koea,
        "center-veje-trafik": merged,
        "center-ejendomsdrift": merged,
        "center-byg-miljoe": "center-byg-miljoe",
        "program-erhverv-vaekst": "program-erhverv-vaekst",
        "kommunikationsteam": "kommunikationsteam",
        "koncerndirektion": "koncerndirektion",
    }
    old_tasks = list(Task.objects.filter(version=v2011).values_list("key", "unit__key"))
    assert len(old_tasks) == 42
    for task_key, old_unit in old_tasks:
        assert _task_unit(v2014, task_key) == target[old_unit], task_key
    for key in ("arbejdsmiljoe-hu", "jura", "hr-og-udvikling", "borgmestersekretariat"):
        assert _task_unit(v2011, key) == "koncernsekretariatet"
    for key in ("personalekonsulenter-servicecenter-allerslev", "personalekonsulenter-servicecenter-hvalsoe"):
        assert _task_unit(v2011, key) == key.removeprefix("personalekonsulenter-")


def test_001_afsnit_7_kommunikationsteam_moves_with_the_secretariat_into_ksu(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    assert v2011.units.get(key="kommunikationsteam").parent.key == "koncernsekretariatet"
    assert v2014.units.get(key="kommunikationsteam").parent.key == "koncernsekretariat-udvikling"
    assert _task_unit(v2014, "branding") == "koncernsekretariat-udvikling"


def test_001_afsnit_8_the_fourth_director_is_temporary(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    new = v2014.posts.get(key="direktoer-oekonomi-effektivisering")
    assert new.unit.key == "koncerndirektion"
    assert "Midlertidig" in new.note  # "udvides midlertidigt", "for en periode"
    kcd = v2014.forums.get(key="koncerndirektion")
    assert "direktoer-oekonomi-effektivisering" in set(kcd.member_posts.values_list("key", flat=True))


def test_001_afsnit_5_loenteam_is_not_a_unit_because_koea_is_organised_later(load_fixture):
    """L-Q1, seed L220: KØA must secure "et sikkert samspil mellem personalejura og lønteam", but "Den interne
    organisering af centeret skal tilrettelægges efterfølgende" — so no Lønteam unit; the payroll task stays on
    KØA, and its note names the lønteam."""
    municipality, _, v2014 = _versions(load_fixture)
    assert not Unit.objects.filter(version__municipality=municipality, key="loenteam").exists()
    assert not v2014.units.filter(parent__key="koncernoekonomi-analyse").exists()
    task = Task.objects.get(version=v2014, key="loenadministration-bogholderi")
    assert task.unit.key == "koncernoekonomi-analyse"
    assert "lønteam" in task.note and "tilrettelægges efterfølgende" in task.note


def test_001_afsnit_4_and_5_ksu_head_has_a_neutral_title(load_fixture):
    """L-Q2: the title of KSU's head is not stated; "stabschef" appears only in the generic phrase "uden at skulle
    spørge en stabschef om lov" (seed L216), so the title is neutral like KØA's."""
    _, _, v2014 = _versions(load_fixture)
    ksu = v2014.units.get(key="koncernsekretariat-udvikling")
    assert ksu.head.key == "chef-ksu"
    assert ksu.head.title == "Chef for Koncernsekretariat & Udvikling"
    assert v2014.units.get(key="koncernoekonomi-analyse").head.title == "Chef for Koncernøkonomi & Analyse"
    assert "ikke angivet" in ksu.head.note


def test_001_afsnit_5_programleder_leads_the_programme_in_ksu_erhvervschef_has_no_stated_unit(load_fixture):
    """L-Q3: afsnit 5 item 4 (seed L216) makes KSU the "rugekasse for strategiske programmer tæt på direktionen,
    f.eks. Erhverv & Vækst og Digitalisering", so the programme and its leader sit in KSU. "i KSU" in seed L224
    qualifies only the communications team, and nothing places the erhvervschef."""
    _, _, v2014 = _versions(load_fixture)
    programme = v2014.units.get(key="program-erhverv-vaekst")
    assert (programme.name, programme.kind) == ("Programmet for Erhverv & Vækst", "unit")
    assert programme.parent.key == "koncernsekretariat-udvikling"
    leader = v2014.posts.get(key="programleder-erhverv-vaekst")
    assert leader.title == "Programleder, programmet for Erhverv & Vækst"
    assert programme.head == leader and leader.unit == programme
    assert leader.reports_to is None  # "med reference til en tværgående styregruppe" (seed L216), none named
    chief = v2014.posts.get(key="erhvervschef")
    assert chief.title == "Erhvervschef"
    assert chief.unit is None and chief.reports_to is None
    assert _task_unit(v2014, "erhverv-og-vaekst") == "program-erhverv-vaekst"


def test_001_afsnit_5_konsulentnetvaerk_covers_all_development_staff(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    net = v2014.networks.get(key="konsulentnetvaerk")
    assert "alle ansatte, som arbejder med udvikling og projektledelse" in net.members_text.lower()
    assert net.owner is None


def test_001_afsnit_1_ejendomsdrift_centre_chief_post_is_vacant(load_fixture):
    _, v2011, _ = _versions(load_fixture)
    post = v2011.posts.get(key="centerchef-ejendomsdrift")
    assert post.holder is None
    assert "ledig" in post.note


# --- the fidelity audit (section 1): reporting lines, omissions, task moves, duties -----------------------------

HEADS_2011 = (
    "stabschef-koncernsekretariatet",
    "stabschef-servicecenter-allerslev",
    "stabschef-servicecenter-hvalsoe",
    "centerchef-veje-trafik",
    "centerchef-ejendomsdrift",
    "centerchef-byg-miljoe",
)
HEADS_2014 = ("chef-ksu", "chef-koea", "centerchef-trafik-ejendomsdrift", "centerchef-byg-miljoe")


def test_001_afsnit_8_heads_of_centres_and_staffs_report_to_no_named_director(load_fixture):
    """L-E1, seed L224: "Direktørerne har et linjeansvar for fagcenterchefer" — plural, and which director holds
    which centre or staff is not stated. So no head reports to the kommunaldirektør (the old guess); the
    reporting line is left empty and the note says so."""
    _, v2011, v2014 = _versions(load_fixture)
    for version, keys in ((v2011, HEADS_2011), (v2014, HEADS_2014)):
        for key in keys:
            post = version.posts.get(key=key)
            assert post.reports_to is None, key
            assert "ikke angivet" in post.note, key
        assert not version.units.exclude(responsible=None).exists()
    # the directors are led by the kommunaldirektør: "Den udgøres af direktørerne og ledes af kommunaldirektøren"
    for version in (v2011, v2014):
        directors = version.posts.filter(kind="director")
        assert {post.reports_to.key for post in directors} == {"kommunaldirektoer"}


def test_001_afsnit_7_byudvikling_project_leader_role_is_still_to_be_described(load_fixture):
    """Seed L224: "Den nærmere organisering af byudviklingsarbejdet, og herunder projektlederens rolle skal
    beskrives" — so the project leader's reporting line is left empty, whereas the branding post is "forankret
    i Koncernsekretariat & Udvikling" and the afdelingsleder takes over a task of "centerchefen"."""
    _, _, v2014 = _versions(load_fixture)
    assert v2014.posts.get(key="projektleder-byudvikling").reports_to is None
    assert v2014.posts.get(key="projektleder-branding").reports_to.key == "chef-ksu"


def test_001_afsnit_5_erhverv_vaekst_programme_existed_before_2014(load_fixture):
    """L-E2/L-O3, seed L216: the network covers "de konsulenter som er forankret i et program (f.eks. erhverv og
    vækst) eller i et fagcenter i dag" — the programme exists in 2011 and continues, under the same key, in KSU.
    Its 2011 placement is not stated; it sits under KCD (strategic programmes "tæt på direktionen")."""
    _, v2011, v2014 = _versions(load_fixture)
    old = v2011.units.get(key="program-erhverv-vaekst")
    assert old.parent.key == "koncerndirektion"
    assert "ikke angivet" in old.note
    assert old.head.key == "programleder-erhverv-vaekst"
    assert v2014.units.get(key="program-erhverv-vaekst").parent.key == "koncernsekretariat-udvikling"
    assert _task_unit(v2011, "erhverv-og-vaekst") == "program-erhverv-vaekst"
    # the erhvervschef and programleder are not among the posts the proposal creates (afsnit 4, 6, 7, 8)
    for key in ("erhvervschef", "programleder-erhverv-vaekst"):
        assert v2011.posts.filter(key=key).exists() and v2014.posts.filter(key=key).exists()
    assert v2011.posts.get(key="erhvervschef").unit is None
    # the 2014 note no longer says the programme is mentioned only about 2014
    assert "nævnes kun i afsnit 7" not in v2014.note
    assert "fandtes også før 2014" in v2014.note


def test_001_afsnit_10_implementeringsgruppen_is_led_by_mikkel_solgaard_bojsen_moeller(load_fixture):
    """L-O1, seed L226: "kontakt til implementeringsgruppen som ledes af Mikkel Solgaard Bojsen-Møller". He is a
    person of the municipality and holds the post of the group's leader, which chairs the forum; his own
    position is not stated, so the post has no unit."""
    municipality, v2011, v2014 = _versions(load_fixture)
    person = Person.objects.get(municipality=municipality, key="mikkel-solgaard-bojsen-moeller")
    assert person.name == "Mikkel Solgaard Bojsen-Møller"
    group = v2014.forums.get(key="implementeringsgruppen")
    assert group.chair.key == "leder-implementeringsgruppen"
    assert group.chair.holder == person
    assert group.chair.unit is None and group.chair.reports_to is None
    assert not group.members_text
    assert list(Post.objects.filter(holder=person).values_list("version__key", flat=True)) == ["2014"]
    assert not v2011.forums.filter(key="implementeringsgruppen").exists()


def test_001_afsnit_1_and_2_mandate_fokus_2014_and_february_launch_in_the_2014_note(load_fixture):
    """L-O2, seed L208 and L210: ØU approved "Fokus 2014+ samt tilhørende Handleplan" on 11 February, which
    requires the review, and "Koncerndirektionen har i februar måned iværksat eftersynet"."""
    _, _, v2014 = _versions(load_fixture)
    assert "11. februar 2014 godkendte Fokus 2014+ med tilhørende handleplan" in v2014.note
    assert "Koncerndirektionen i februar iværksatte eftersynet" in v2014.note


def test_001_afsnit_5_and_9_two_oekonomiudvalg_items_are_in_the_notes(load_fixture):
    """L-O7: the "program for bedre økonomistyring, som er vedtaget af ØU" (seed L218-L220) and the 2014 analysis
    of external advice that "forelægges Økonomiudvalget" (seed L226)."""
    _, _, v2014 = _versions(load_fixture)
    assert (
        "program for bedre økonomistyring, som er vedtaget af ØU" in v2014.units.get(key="koncernoekonomi-analyse").note
    )
    assert "eksterne rådgivningsydelser" in v2014.note and "forelægges Økonomiudvalget" in v2014.note


def test_001_afsnit_5_and_6_tendering_and_contract_management_sit_in_every_fagcenter(load_fixture):
    """L-O4, seed L218: "Udbud er forankret decentralt i de enkelte fagcentre og i Center for Ejendomsdrift",
    kontraktstyring "i de respektive fagcentre", and "Ansvaret for at initiere og gennemføre udbud vil fortsat
    være placeret i fagcentrene"; seed L220: both technical centres rely on external suppliers."""
    _, v2011, v2014 = _versions(load_fixture)
    placements = {
        "udbud-kontraktstyring-veje-trafik": ("center-veje-trafik", "center-trafik-ejendomsdrift"),
        "udbud-kontraktstyring-ejendomsdrift": ("center-ejendomsdrift", "center-trafik-ejendomsdrift"),
        "udbud-kontraktstyring-byg-miljoe": ("center-byg-miljoe", "center-byg-miljoe"),
    }
    for key, (old, new) in placements.items():
        assert _task_unit(v2011, key) == old
        assert _task_unit(v2014, key) == new
    for version in (v2011, v2014):
        for centre in version.units.filter(kind="centre"):
            assert centre.tasks.filter(key__startswith="udbud-kontraktstyring-").exists(), centre.key
    # the corporate tendering policy is new in KSU
    assert _task_unit(v2014, "udbudspolitik") == "koncernsekretariat-udvikling"
    assert not Task.objects.filter(version=v2011, key="udbudspolitik").exists()


def test_001_afsnit_5_development_support_in_the_fagcentre_stays_there(load_fixture):
    """L-O5, seed L216: "Udviklingsstøtte er i dag forankret i alle tre stabe og i fagcentrene"; only the
    consultants "som i dag er ansat i hhv. Koncernsekretariatet og i de to servicecentre samles"."""
    _, v2011, v2014 = _versions(load_fixture)
    placements = {
        "udviklingskonsulenter-center-veje-trafik": ("center-veje-trafik", "center-trafik-ejendomsdrift"),
        "udviklingskonsulenter-center-ejendomsdrift": ("center-ejendomsdrift", "center-trafik-ejendomsdrift"),
        "udviklingskonsulenter-center-byg-miljoe": ("center-byg-miljoe", "center-byg-miljoe"),
    }
    for key, (old, new) in placements.items():
        assert _task_unit(v2011, key) == old
        assert _task_unit(v2014, key) == new


def test_001_afsnit_6_realkapital_task_moves_from_ejendomsdrift_to_the_new_afdelingsleder(load_fixture):
    """Seed L220-L222: the afdelingsleder takes over a task that "blev tidligere varetaget af centerchefen". Which
    centre's chief is ambiguous; chosen: Ejendomsdrift, whose chief post is vacant (seed L208), which explains
    "tidligere". The task moves from that centre to the merged one, the duty from its chief to the afdelingsleder."""
    _, v2011, v2014 = _versions(load_fixture)
    assert _task_unit(v2011, "effektivisering-realkapital") == "center-ejendomsdrift"
    assert _task_unit(v2014, "effektivisering-realkapital") == "center-trafik-ejendomsdrift"
    assert Duty.objects.filter(version=v2011, post__key="centerchef-ejendomsdrift", key="effektivisering-realkapital")
    assert Duty.objects.filter(version=v2014, post__key="afdelingsleder-realkapital", key="effektivisering-realkapital")
    assert "ledig" in Task.objects.get(version=v2011, key="effektivisering-realkapital").note


def test_001_tasks_new_in_2014_are_exactly_those_without_a_stated_2011_placement(load_fixture):
    """A move is the same key in both versions. The 2014 tasks without a 2011 key are new ones (udbudspolitik,
    branding, rugekasse: seed L216-L218, L222) or ones whose earlier placement the text does not give
    (finans, løn og bogholderi "i et eller flere Servicecentre", seed L214; effektivisering "samles og styrkes",
    seed L212; byudvikling "styrke indsatsen", seed L224)."""
    _, v2011, v2014 = _versions(load_fixture)
    old = set(Task.objects.filter(version=v2011).values_list("key", flat=True))
    new = set(Task.objects.filter(version=v2014).values_list("key", flat=True))
    assert old <= new  # nothing disappears
    assert new - old == {
        "udbudspolitik",
        "branding",
        "rugekasse-strategiske-programmer",
        "finansiel-strategi",
        "loenadministration-bogholderi",
        "ledelsesinformation-effektivisering",
        "byudvikling",
    }
    for key in new - old - {"udbudspolitik", "branding", "rugekasse-strategiske-programmer"}:
        assert "før 2014" in Task.objects.get(version=v2014, key=key).note, key


def test_001_afsnit_8_kcd_note_cites_alle_direktoerer_ikke_mindst_kommunaldirektoeren(load_fixture):
    """L-Q4, seed L224: "Alle direktører ikke mindst kommunaldirektøren" settles that the three directors of 2011
    include the kommunaldirektør."""
    _, v2011, _ = _versions(load_fixture)
    assert "Alle direktører ikke mindst kommunaldirektøren" in v2011.units.get(key="koncerndirektion").note


DIRECTOR_DUTIES = {"linjeansvar-fagcenterchefer", "sekretaerfunktion-politiske-udvalg", "tvaergaaende-udvikling"}


def test_001_afsnit_8_duties_of_the_directors(load_fixture):
    """Seed L224: "Direktørerne har et linjeansvar for fagcenterchefer, en sekretærfunktion for givne politiske
    udvalg og særlige opgaver rettet mod tværgående udvikling"; KCD "ledes af kommunaldirektøren"; from 2014
    "Alle direktører ikke mindst kommunaldirektøren vil skulle fokusere på" økonomistyring og effektivisering."""
    _, v2011, v2014 = _versions(load_fixture)

    def duties(version, post_key):
        return set(Duty.objects.filter(version=version, post__key=post_key).values_list("key", flat=True))

    for key in ("direktoer-1", "direktoer-2"):
        assert duties(v2011, key) == DIRECTOR_DUTIES
        assert duties(v2014, key) == DIRECTOR_DUTIES | {"fokus-oekonomistyring-effektivisering"}
    assert duties(v2011, "kommunaldirektoer") == DIRECTOR_DUTIES | {"leder-koncerndirektionen"}
    assert duties(v2014, "kommunaldirektoer") == DIRECTOR_DUTIES | {
        "leder-koncerndirektionen",
        "fokus-oekonomistyring-effektivisering",
    }
    committees = Duty.objects.get(version=v2014, post__key="direktoer-1", key="sekretaerfunktion-politiske-udvalg")
    assert committees.note == "Udvalgene er ikke angivet."


def test_001_afsnit_8_duties_of_the_new_director_for_oekonomi_og_effektivisering(load_fixture):
    """Seed L224: "Direktøren rekrutteres til at tage målrettet ansvar for budget og økonomistyring,
    effektiviseringsstrategier og opfølgning, herunder strategi for konkurrenceudsættelse, digitalisering og IT"."""
    _, _, v2014 = _versions(load_fixture)
    post = v2014.posts.get(key="direktoer-oekonomi-effektivisering")
    assert set(post.duties.values_list("key", flat=True)) == DIRECTOR_DUTIES | {
        "budget-oekonomistyring",
        "effektiviseringsstrategier-opfoelgning",
        "konkurrenceudsaettelse-digitalisering-it",
        "fokus-oekonomistyring-effektivisering",
    }
    assert post.duties.get(key="konkurrenceudsaettelse-digitalisering-it").name == (
        "Strategi for konkurrenceudsættelse, digitalisering og IT"
    )


def test_001_afsnit_5_6_7_duties_of_the_new_and_the_centre_posts(load_fixture):
    """Seed L222: the branding project leader "skal ... styrke fortællingen om Lejre Kommune gennem en offensiv
    markedsføring, herunder tiltrække events ... samt supportere borgmester og direktion"; seed L222/L226: both
    investment posts finance themselves "ved at skaffe Lejre Kommunes byer/borgere adgang til eksterne midler";
    seed L216: "Fagcentercheferne råder således over den tid ... hvor konsulenterne arbejder for centeret"."""
    _, v2011, v2014 = _versions(load_fixture)
    assert set(v2014.posts.get(key="projektleder-branding").duties.values_list("key", flat=True)) == {
        "offensiv-markedsfoering",
        "stoette-borgmester-direktion",
        "skaffe-eksterne-midler",
    }
    assert set(v2014.posts.get(key="projektleder-byudvikling").duties.values_list("key", flat=True)) == {
        "skaffe-eksterne-midler"
    }
    for key in ("centerchef-trafik-ejendomsdrift", "centerchef-byg-miljoe"):
        assert set(v2014.posts.get(key=key).duties.values_list("key", flat=True)) == {"raadighed-over-konsulenttid"}
    assert Duty.objects.filter(version=v2011).count() == 11
    assert Duty.objects.filter(version=v2014).count() == 27


JARGON = re.compile(
    r"reports_to|formed_from|members_text|member_units|shared_centre|responsible|effective_(from|to)|decided_(on|by)"
    r"|\bnull\b|\bkind\b|\bunit\b|\bchair\b|\bstaff\b|\bkodet\b|nøgle",
    re.IGNORECASE,
)


def _notes(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "note" and isinstance(value, str):
                yield path, value
            else:
                yield from _notes(value, f"{path}/{node.get('key', key)}")
    elif isinstance(node, list):
        for item in node:
            yield from _notes(item, path)


def test_notes_are_danish_prose_without_data_model_jargon():
    """Notes are read by HR staff and politicians: "refererer til", "dannet af", "typen enhed", "ikke angivet" —
    never the format's field names or values."""
    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    offending = [(path, JARGON.findall(note)) for path, note in _notes(document) if JARGON.search(note)]
    assert offending == []
