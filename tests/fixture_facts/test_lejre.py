"""Fact tests for fixtures/lejre.yaml.

Every test checks a fact stated in source 001, "Beslutningsoplæg til høring: Eftersyn og justering af
organisation, forår 2014" (Lejre Kommune); the section is in the test name.
"""

import datetime

import pytest

from centers.models import Task, Unit
from governance.models import Committee

pytestmark = pytest.mark.django_db


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
    _, v2011, v2014 = _versions(load_fixture)
    assert v2011.units.get(key="koncernoekonomi").parent.key == "koncernsekretariatet"
    koea = v2014.units.get(key="koncernoekonomi-analyse")
    assert set(koea.formed_from.values_list("key", flat=True)) == {
        "koncernoekonomi",
        "servicecenter-allerslev",
        "servicecenter-hvalsoe",
    }
    assert _task_unit(v2011, "koncernoekonomi-opgaver") == "koncernoekonomi"
    assert _task_unit(v2014, "koncernoekonomi-opgaver") == "koncernoekonomi-analyse"


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
    _, v2011, v2014 = _versions(load_fixture)
    assert not v2011.networks.filter(key="konsulentnetvaerk").exists()
    net = v2014.networks.get(key="konsulentnetvaerk")
    assert net.kind == "network"
    assert net.frequency == "3-4 gange om året"
    assert net.leader is None  # the document names no leader
    assert list(net.member_units.values_list("key", flat=True)) == ["koncernsekretariat-udvikling"]


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
    centres -> Center for Trafik & Ejendomsdrift; afsnit 7: kommunikationsteamet ends up in KSU."""
    _, v2011, v2014 = _versions(load_fixture)
    ksu, koea, merged = "koncernsekretariat-udvikling", "koncernoekonomi-analyse", "center-trafik-ejendomsdrift"
    target = {
        "koncernsekretariatet": ksu,
        "servicecenter-allerslev": ksu,
        "servicecenter-hvalsoe": ksu,
        "koncernoekonomi": koea,
        "center-veje-trafik": merged,
        "center-ejendomsdrift": merged,
        "kommunikationsteam": "kommunikationsteam",
        "koncerndirektion": "koncerndirektion",
    }
    old_tasks = list(Task.objects.filter(version=v2011).values_list("key", "unit__key"))
    assert len(old_tasks) == 34
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


def test_001_afsnit_5_loenteam_sits_in_koea(load_fixture):
    _, v2011, v2014 = _versions(load_fixture)
    team = v2014.units.get(key="loenteam")
    assert (team.name, team.kind, team.parent.key) == ("Lønteam", "team", "koncernoekonomi-analyse")
    assert not v2011.units.filter(key="loenteam").exists()
    assert _task_unit(v2014, "loenadministration-bogholderi") == "koncernoekonomi-analyse"


def test_001_afsnit_5_ksu_is_headed_by_a_stabschef(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    ksu = v2014.units.get(key="koncernsekretariat-udvikling")
    assert ksu.head.key == "chef-ksu"
    assert ksu.head.title == "Stabschef, Koncernsekretariat & Udvikling"


def test_001_afsnit_7_erhvervschef_and_programleder_have_no_stated_unit(load_fixture):
    _, _, v2014 = _versions(load_fixture)
    for key, title in (
        ("erhvervschef", "Erhvervschef"),
        ("programleder-erhverv-vaekst", "Programleder, programmet for Erhverv & Vækst"),
    ):
        post = v2014.posts.get(key=key)
        assert post.title == title
        assert post.unit is None and post.reports_to is None


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
