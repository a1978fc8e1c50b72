"""Fact tests for fixtures/assens.yaml.

Source 003: Assens Kommune, notat "Ny administrativ struktur" (31. oktober 2013, sag 13/22776),
adopted by Byrådet 18 December 2013. Every test asserts a fact the memo states; the section is in the
test name ("afsnit" = the memo's section number, "s." = page).
"""

import datetime

import pytest

from centers.models import Post, Unit
from governance.models import Committee, CommitteeService

pytestmark = pytest.mark.django_db


@pytest.fixture
def assens(load_fixture):
    return load_fixture("assens")


def _version(mun, key):
    return mun.versions.get(key=key)


def _service_posts(version, committee_key, role):
    return set(
        version.committee_services.filter(committee__key=committee_key, role=role).values_list("post__key", flat=True)
    )


def test_003_municipality_is_assens_kommune_420(assens):
    assert assens.slug == "assens"
    assert assens.name == "Assens Kommune"
    assert assens.kommunekode == 420


def test_003_afsnit_10_new_structure_in_force_1_april_2014_decided_december_2013(assens):
    """Afsnit 10: Byrådet decides in December 2013 (18 Dec 2013); the structure takes effect 1 April 2014."""
    v = _version(assens, "2014")
    assert v.status == "current"
    assert v.effective_from == datetime.date(2014, 4, 1)
    assert v.decided_on == datetime.date(2013, 12, 18)
    assert v.based_on.key == "2013"
    previous = _version(assens, "2013")
    assert previous.status == "previous"
    assert previous.effective_to == datetime.date(2014, 3, 31)


def test_003_afsnit_1_direktion_keeps_4_directors_in_transition_period(assens):
    """Afsnit 1: 2014-2017 there are still 4 directors: kommunaldirektør, Velfærd, By, Land og Kultur,
    and the new Innovation og Netværk."""
    v = _version(assens, "2014")
    directors = set(v.posts.filter(kind__in=["chief_executive", "director"]).values_list("title", flat=True))
    assert directors == {
        "Kommunaldirektør",
        "Direktør for Velfærd",
        "Direktør for By, Land og Kultur",
        "Direktør for Innovation og Netværk",
    }


def test_003_afsnit_3_innovation_director_and_welfare_director_are_new_posts(assens):
    """Afsnit 3 and 10: the posts Direktør for Velfærd and Direktør for Innovation og Netværk are created
    (recruited externally, start 1 April 2014); By, Land og Kultur continues."""
    old_keys = set(_version(assens, "2013").posts.values_list("key", flat=True))
    assert "direktoer-innovation-og-netvaerk" not in old_keys
    assert "direktoer-velfaerd" not in old_keys
    assert "direktoer-by-land-og-kultur" in old_keys


def test_003_afsnit_1_and_11_planned_model_has_3_directors_without_innovation(assens):
    """Afsnit 1 and 11: after 2017 a model with a kommunaldirektør and 2 fagdirektører (Velfærd; By, Land
    og Kultur); the post of Direktør for Innovation og Netværk is abolished."""
    v = _version(assens, "efter-2017")
    assert v.status == "proposed"
    assert v.based_on.key == "2014"
    keys = set(v.posts.filter(kind__in=["chief_executive", "director"]).values_list("key", flat=True))
    assert keys == {"kommunaldirektoer", "direktoer-velfaerd", "direktoer-by-land-og-kultur"}
    assert set(v.forums.get(key="direktionen").member_posts.values_list("key", flat=True)) == keys


def test_003_afsnit_4_chefgrupper_go_from_4_to_3(assens):
    """Afsnit 4: the number of chefgrupper is reduced from 4 to 3 (samlet chefgruppe, By, Land og Kultur,
    Velfærd)."""
    v = _version(assens, "2014")
    assert set(v.forums.filter(kind="management_group").values_list("key", flat=True)) == {
        "samlet-chefgruppe",
        "chefgruppen-by-land-og-kultur",
        "chefgruppen-velfaerd",
    }


def test_003_afsnit_4_samlet_chefgruppe_is_4_stabschefer_kd_and_innovation_director(assens):
    """Afsnit 4: the 4 stabschefer plus kommunaldirektør and direktør for Innovation og Netværk form one
    chefgruppe."""
    forum = _version(assens, "2014").forums.get(key="samlet-chefgruppe")
    posts = list(forum.member_posts.all())
    assert len(posts) == 6
    assert sum(1 for p in posts if p.kind == "head") == 4
    assert {p.key for p in posts if p.kind != "head"} == {
        "kommunaldirektoer",
        "direktoer-innovation-og-netvaerk",
    }


def test_003_afsnit_4_velfaerd_chefgruppe_is_director_and_3_vicedirektoerer(assens):
    """Afsnit 4: Chefgruppen indenfor Velfærd consists of the director and 3 vicedirektører."""
    forum = _version(assens, "2014").forums.get(key="chefgruppen-velfaerd")
    assert forum.kind == "management_group"
    members = forum.member_posts.all()
    assert sorted(p.kind for p in members) == ["deputy_director"] * 3 + ["director"]
    assert members.get(kind="director").key == "direktoer-velfaerd"


def test_003_afsnit_4_three_vicedirektoerer_report_to_welfare_director(assens):
    """Afsnit 4 and 6: vicedirektører for Social, Sundhed og Arbejdsmarked; Familie, Unge og Uddannelse;
    Dagtilbud og Skole."""
    v = _version(assens, "2014")
    vice = v.posts.filter(kind="deputy_director")
    assert set(vice.values_list("title", flat=True)) == {
        "Vicedirektør for Social, Sundhed og Arbejdsmarked",
        "Vicedirektør for Familie, Unge og Uddannelse",
        "Vicedirektør for Dagtilbud og Skole",
    }
    assert set(vice.values_list("reports_to__key", flat=True)) == {"direktoer-velfaerd"}


def test_003_afsnit_6_vicedirektoerer_head_their_named_welfare_areas(assens):
    """Afsnit 4 and 6: the 3 vicedirektører inside Velfærd (Social, Sundhed og Arbejdsmarked; Familie, Unge og
    Uddannelse; Dagtilbud og Skole) each get a large budget and staff responsibility for their area."""
    v = _version(assens, "2014")
    areas = {
        "social-sundhed-og-arbejdsmarked": "Social, Sundhed og Arbejdsmarked",
        "familie-unge-og-uddannelse": "Familie, Unge og Uddannelse",
        "dagtilbud-og-skole": "Dagtilbud og Skole",
    }
    for key, name in areas.items():
        unit = v.units.get(key=key)
        assert unit.name == name
        assert unit.parent.key == "velfaerd"
        assert unit.head.title == f"Vicedirektør for {name}"
        assert unit.head.kind == "deputy_director"
    scopes = set(v.budget_responsibilities.filter(level=2).values_list("scope__key", flat=True))
    assert scopes == set(areas)


def test_003_afsnit_4_the_4_staffs_continue_unchanged(assens):
    """Afsnit 4: the 4 stabe Økonomi, Organisation og Personale, Byrådssekretariat, Borgerservice og IT."""
    expected = {"oekonomi", "organisation-og-personale", "byraadssekretariat", "borgerservice-og-it"}
    for key in ("2013", "2014"):
        staffs = _version(assens, key).units.filter(kind="staff")
        assert set(staffs.values_list("key", flat=True)) == expected
    names = set(_version(assens, "2014").units.filter(kind="staff").values_list("name", flat=True))
    assert names == {"Økonomi", "Organisation og Personale", "Byrådssekretariat", "Borgerservice og IT"}


def test_003_afsnit_3_ungeenhed_and_new_jobcenter_are_formed_from_the_old_jobcenter(assens):
    """Afsnit 3: staff move from the present Jobcenter to the new Ungeenhed; 'det nye Jobcenter'."""
    v = _version(assens, "2014")
    unge = v.units.get(key="ungeenhed")
    assert [u.key for u in unge.formed_from.all()] == ["jobcenter"]
    assert unge.formed_from.get().version.key == "2013"
    job = v.units.get(key="jobcenter-2014")
    assert [u.key for u in job.formed_from.all()] == ["jobcenter"]
    old = _version(assens, "2013").units.get(key="jobcenter")
    assert set(old.successors.values_list("key", flat=True)) == {"ungeenhed", "jobcenter-2014"}


def test_003_afsnit_3_under_30_measures_move_from_jobcenter_to_ungeenhed(assens):
    """Afsnit 3: all measures for the under-30s move to the Ungeenhed (task move)."""
    old = _version(assens, "2013").tasks.get(key="ungeindsats-under-30")
    new = _version(assens, "2014").tasks.get(key="ungeindsats-under-30")
    assert old.unit.key == "jobcenter"
    assert new.unit.key == "ungeenhed"


def test_003_afsnit_3_jobcenter_and_ungeenhed_gathered_in_velfaerd(assens):
    """Afsnit 3: both the Ungeenhed and the new Jobcenter are placed in direktørområdet Velfærd."""
    v = _version(assens, "2014")
    for key in ("jobcenter-2014", "ungeenhed"):
        unit = v.units.get(key=key)
        assert unit.parent.key == "velfaerd"
        assert unit.responsible.key == "direktoer-velfaerd"
    assert v.units.get(key="jobcenter-2014").head.title == "Jobcenterchef"


def test_003_afsnit_6_welfare_director_attends_the_three_welfare_committees(assens):
    """Afsnit 6: Direktøren for Velfærd attends Børne- og Uddannelses-, Social- og Sundheds- and
    Beskæftigelses- og Erhvervsudvalget."""
    v = _version(assens, "2014")
    committees = set(
        v.committee_services.filter(post__key="direktoer-velfaerd", role="attends").values_list(
            "committee__key", flat=True
        )
    )
    assert committees == {
        "boerne-og-uddannelsesudvalget",
        "social-og-sundhedsudvalget",
        "beskaeftigelses-og-erhvervsudvalget",
    }


def test_003_afsnit_6_two_vicedirektoerer_prepare_boerne_og_uddannelsesudvalget(assens):
    """Afsnit 6: vicedirektørerne for Familie, Unge og Uddannelse and Dagtilbud og Skole prepare and run
    the meetings of Børne- og Uddannelsesudvalget."""
    v = _version(assens, "2014")
    assert _service_posts(v, "boerne-og-uddannelsesudvalget", "prepares_agenda") == {
        "vicedirektoer-familie-unge-og-uddannelse",
        "vicedirektoer-dagtilbud-og-skole",
    }


def test_003_afsnit_6_social_health_labour_vicedirector_prepares_two_committees(assens):
    """Afsnit 6: the Vicedirektør for Social, Sundhed og Arbejdsmarked is active in Social- og
    Sundhedsudvalget and Beskæftigelses- og Erhvervsudvalget."""
    v = _version(assens, "2014")
    committees = set(
        v.committee_services.filter(
            post__key="vicedirektoer-social-sundhed-og-arbejdsmarked", role="prepares_agenda"
        ).values_list("committee__key", flat=True)
    )
    assert committees == {"social-og-sundhedsudvalget", "beskaeftigelses-og-erhvervsudvalget"}


def test_003_afsnit_6_beskaeftigelses_og_erhvervsudvalget_attendees(assens):
    """Afsnit 6: BEU is attended by the welfare director, the vicedirektør for SSA, the jobcenterchef
    and ad hoc the kommunaldirektør, the director for By, Land og Kultur and for Innovation og Netværk."""
    v = _version(assens, "2014")
    assert _service_posts(v, "beskaeftigelses-og-erhvervsudvalget", "attends") == {
        "direktoer-velfaerd",
        "vicedirektoer-social-sundhed-og-arbejdsmarked",
        "jobcenterchef",
        "kommunaldirektoer",
        "direktoer-by-land-og-kultur",
        "direktoer-innovation-og-netvaerk",
    }


def test_003_afsnit_6_innovation_director_attends_all_standing_committees(assens):
    """Afsnit 6: the Direktør for Innovation og Netværk can attend ad hoc in 'samtlige stående udvalg':
    the five fagudvalg and Økonomiudvalget, which afsnit 6 itself counts among the standing committees."""
    v = _version(assens, "2014")
    services = CommitteeService.objects.filter(version=v, post__key="direktoer-innovation-og-netvaerk", role="attends")
    assert services.count() == 6
    assert set(services.values_list("committee__kind", flat=True)) == {"standing", "finance"}
    assert services.filter(committee__key="oekonomiudvalget").exists()


def test_003_afsnit_6_unchanged_committees_get_no_invented_servants(assens):
    """Afsnit 6: the service of Miljø- og Teknikudvalget, Kultur- og Fritidsudvalget and Økonomiudvalget
    'fortsætter uændret' without saying by whom; only the ad hoc attendance of the innovation director
    is stated."""
    v = _version(assens, "2014")
    for key in ("miljoe-og-teknikudvalget", "kultur-og-fritidsudvalget", "oekonomiudvalget"):
        posts = set(v.committee_services.filter(committee__key=key).values_list("post__key", flat=True))
        assert posts == {"direktoer-innovation-og-netvaerk"}


def test_003_committees_named_in_the_memo(assens):
    """Afsnit 1, 3 and 6: Byrådet, Økonomiudvalget, five standing committees, Ungekoordineringsgruppen,
    Erhvervsforum."""
    kinds = dict(Committee.objects.filter(municipality=assens).values_list("key", "kind"))
    assert kinds["byraadet"] == "council"
    assert kinds["oekonomiudvalget"] == "finance"
    assert sorted(k for k, kind in kinds.items() if kind == "standing") == [
        "beskaeftigelses-og-erhvervsudvalget",
        "boerne-og-uddannelsesudvalget",
        "kultur-og-fritidsudvalget",
        "miljoe-og-teknikudvalget",
        "social-og-sundhedsudvalget",
    ]
    assert len(kinds) == 9


def test_003_afsnit_8_3_three_network_types_tied_to_innovation_director(assens):
    """Afsnit 8.3: three network types (uformelle, formelle, innovationsnetværk), each led by a
    netværksleder and tied to the Direktør for Innovation og Netværk."""
    v = _version(assens, "2014")
    networks = v.networks.all()
    assert sorted(n.name for n in networks) == ["Formelle netværk", "Innovationsnetværk", "Uformelle netværk"]
    assert v.networks.get(key="innovationsnetvaerk").kind == "innovation_network"
    assert {n.owner.key for n in networks} == {"direktoer-innovation-og-netvaerk"}
    assert {n.leader.key for n in networks} == {"netvaerksleder"}


def test_003_afsnit_8_3_netvaerksleder_reports_to_innovation_director(assens):
    """Afsnit 8.3: 'et netværk og dets netværksleder [er] knyttet op til Direktør for Innovation og Netværk'."""
    leader = Post.objects.get(version__municipality=assens, version__key="2014", key="netvaerksleder")
    assert leader.title == "Netværksleder"
    assert leader.reports_to.title == "Direktør for Innovation og Netværk"
    assert leader.reports_to.reports_to.kind == "chief_executive"


def test_003_afsnit_10_hovedmed_and_faellesmed_heard_before_decision(assens):
    """Afsnit 10: the decision is taken after hearing HovedMED and the 4 FællesMED."""
    v = _version(assens, "2013")
    med = v.forums.filter(kind="med")
    assert {"hovedmed", "faellesmed"} <= set(med.values_list("key", flat=True))
    faellesmed = v.forums.get(key="faellesmed")
    assert faellesmed.name == "FællesMED"
    assert "4" in faellesmed.members_text
    assert v.forums.get(key="hovedmed").name == "HovedMED"


def test_003_afsnit_4_vicedirektoerer_carry_budget_responsibility(assens):
    """Afsnit 3 and 4: the directors for Velfærd and By, Land og Kultur hold the overall operating
    responsibility; the 3 vicedirektører get 'et stort budgetansvar'."""
    v = _version(assens, "2014")
    level1 = set(v.budget_responsibilities.filter(level=1).values_list("holder__key", flat=True))
    assert level1 == {"direktoer-velfaerd", "direktoer-by-land-og-kultur"}
    level2 = v.budget_responsibilities.filter(level=2)
    assert level2.count() == 3
    assert set(level2.values_list("holder__kind", flat=True)) == {"deputy_director"}


def test_003_s_15_memo_signed_by_kommunaldirektoer_henning_qvick(assens):
    """S. 15: the memo of 31 Oct 2013 is signed by kommunaldirektør Henning Qvick and organisation- og
    personalechef Anne Grønnegaard."""
    v = _version(assens, "2013")
    assert v.posts.get(key="kommunaldirektoer").holder.name == "Henning Qvick"
    oep = v.posts.get(key="organisation-og-personalechef")
    assert oep.holder.name == "Anne Grønnegaard"
    assert Unit.objects.get(version=v, head=oep).name == "Organisation og Personale"
