"""The Content-Security-Policy (security review D13) breaks no page: the chart, the pages, and the admin with
django-mptt's draggable tree run in Debian's chromium without a console error."""

import re

from django.contrib.auth.models import User

from centers import structure_format
from centers.models import OrgVersion, Unit
from tests.conftest import FIXTURES

PASSWORD = "Rigtig-Adgangskode-2014"


def test_no_page_or_admin_view_violates_the_policy_in_a_browser(browser, live_server, transactional_db):
    structure_format.load(structure_format.read_file(FIXTURES / "assens.yaml"))
    User.objects.create_superuser("csp-admin", password=PASSWORD)
    version = OrgVersion.objects.get(municipality__slug="assens", key="2014")
    unit = Unit.objects.get(version=version, key="velfaerd")
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []

    def console(message):
        if message.type == "error":
            problems.append(f"{page.url}: {message.text} ({message.location.get('url', '')})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    try:
        page.goto("/assens/2014/")
        page.wait_for_selector('#org-chart-app[data-state="ready"]')
        page.click('[data-action="expand-all"]')
        page.wait_for_timeout(300)
        for path in (
            "/",
            "/assens/2014/enheder/velfaerd/",
            "/assens/2014/enheder/velfaerd/rapportering/",  # embeds the SVG with <object>
            "/soeg/?q=center&kommune=assens",
            "/assens/2014/udvalg/",
        ):
            assert page.goto(path).status == 200, path
        page.goto("/admin/")
        page.fill("#id_username", "csp-admin")
        page.fill("#id_password", PASSWORD)
        page.locator('#login-form input[type="submit"]').click()
        page.wait_for_url(re.compile(r"/admin/$"))
        for path in (
            f"/admin/centers/unit/?version={version.pk}",  # django-mptt's draggable tree
            f"/admin/centers/unit/{unit.pk}/change/",
            f"/admin/centers/unit/{unit.pk}/history/",
            f"/admin/centers/unit/add/?version={version.pk}",
            "/admin/governance/committee/",
        ):
            assert page.goto(path).status == 200, path
        page.goto(f"/admin/centers/unit/?version={version.pk}")
        assert page.locator("#result_list .drag-handle").count() > 0  # draggable-admin.js ran
    finally:
        context.close()
    assert [problem for problem in problems if "favicon" not in problem] == []
