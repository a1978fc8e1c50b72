"""The unit page shows when and what changed in the unit, and that an editor did it (never which account), in a
fixed number of queries; the admin's history names the account."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import services, structure_format
from centers.models import Municipality, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(valid_document):
    structure_format.load(valid_document)
    user = User.objects.create_user("kd", first_name="Kirsten", last_name="Dahl", is_staff=True)
    user.groups.add(Group.objects.get(name="Kommunaldirektør"))
    user.municipalities.set(Municipality.objects.all())
    return user


def unit_page(client, key: str, **headers) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("centers:unit", args=["testby", "2014", key]), **headers)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_loading_records_a_baseline(client, chief):
    content, _queries = unit_page(client, "skolen")
    log = " ".join(content[content.index("data-history-log") :].split())
    assert "indlæst" in log and "Overordnet enhed: Center for Trafik og Ejendomme" in log


def test_a_move_and_a_rename_appear_in_the_units_history(client, chief):
    skolen = Unit.objects.get(version__key="2014", key="skolen")
    services.move_unit(skolen, Unit.objects.get(version__key="2014", key="direktion"), actor=chief)
    services.rename_unit(Unit.objects.get(pk=skolen.pk), "Skolen ved Søen", actor=chief)
    content, _queries = unit_page(client, "skolen")
    log = " ".join(content[content.index("data-history-log") :].split())
    assert log.index("omdøbt") < log.index("flyttet")  # newest first
    assert "Redaktør" in log
    assert "Navn: Skolen → Skolen ved Søen" in log
    assert "Overordnet enhed: Center for Trafik og Ejendomme → Direktionen" in log


def test_history_costs_the_same_queries_however_long_it_is(client, chief):
    _content, before = unit_page(client, "center-trafik-ejendomme")
    unit = Unit.objects.get(version__key="2014", key="center-trafik-ejendomme")
    for number in range(12):
        unit = services.rename_unit(unit, f"Center nr. {number}", actor=chief)
    content, after = unit_page(client, "center-trafik-ejendomme")
    assert "Center nr. 11" in content
    assert after == before


def test_the_public_page_never_names_the_editor_but_the_admin_history_does(client, admin_client, chief):
    """Security review D10: a username on a public page is half a login for an attacker."""
    editor = User.objects.create_user("assens-direktoer-probe", is_staff=True)
    editor.groups.add(Group.objects.get(name="Kommunaldirektør"))
    editor.municipalities.set(Municipality.objects.all())
    skolen = Unit.objects.get(version__key="2014", key="skolen")
    services.move_unit(skolen, Unit.objects.get(version__key="2014", key="direktion"), actor=editor)
    services.rename_unit(Unit.objects.get(pk=skolen.pk), "Skolen ved Søen", actor=chief)  # chief: Kirsten Dahl
    for language in ("da", "en"):
        content, _queries = unit_page(client, "skolen", HTTP_ACCEPT_LANGUAGE=language)
        log = " ".join(content[content.index("data-history-log") :].split())
        assert "flyttet" in log or "moved" in log
        for identity in ("assens-direktoer-probe", "Kirsten", "Dahl"):
            assert identity not in content, (language, identity)
    assert "Editor" in log
    admin_history = admin_client.get(reverse("admin:centers_unit_history", args=[skolen.pk])).content.decode()
    assert "assens-direktoer-probe" in admin_history and "Kirsten Dahl" in admin_history
