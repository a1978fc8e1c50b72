from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("Politik og samarbejde")

    def ready(self) -> None:
        from centers import extensions
        from centers.extensions import Download, Panel, SearchKind

        from . import download_views, selectors, structure

        extensions.register_structure_section(structure.GovernanceSection())
        extensions.register_unit_panel(
            Panel("governance/panels/unit_committees.html", selectors.unit_committee_panel, 200)
        )
        extensions.register_unit_panel(Panel("governance/panels/unit_forums.html", selectors.unit_forum_panel, 210))
        extensions.register_unit_panel(Panel("governance/panels/unit_budget.html", selectors.unit_budget_panel, 220))
        extensions.register_post_panel(
            Panel("governance/panels/post_committees.html", selectors.post_committee_panel, 200)
        )
        extensions.register_post_panel(Panel("governance/panels/post_forums.html", selectors.post_forum_panel, 210))
        extensions.register_post_panel(Panel("governance/panels/post_budget.html", selectors.post_budget_panel, 220))
        extensions.register_person_panel(
            Panel("governance/panels/person_memberships.html", selectors.person_membership_panel, 200)
        )
        extensions.register_reporting_tail(selectors.political_tail)
        extensions.register_search_provider(selectors.search_committees)
        extensions.register_search_kind(SearchKind("committee", _("Udvalg"), 60))
        extensions.register_chart_highlight(selectors.committee_highlight)
        extensions.register_download(Download(_("udvalgsbetjening"), download_views.committee_services_url, "version"))
        extensions.register_download(Download("Popolo JSON", download_views.popolo_url, "municipality"))
