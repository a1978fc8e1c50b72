"""Pages of the political and collaborative layer: thin views over `selectors`."""

from django.views.generic import TemplateView

from centers.views import VersionMixin

from . import selectors
from .models import Forum, Network


class CommitteeListView(VersionMixin, TemplateView):
    """Every committee of the municipality and who serves it in the selected version."""

    template_name = "governance/committee_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "committees": selectors.committees(self.version)}


class CommitteeDetailView(VersionMixin, TemplateView):
    """One committee: the units and posts serving it in the selected version, with their roles, and members."""

    template_name = "governance/committee_detail.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "committee": selectors.committee(self.version, kwargs["committee"]),
        }


class ForumListView(VersionMixin, TemplateView):
    template_name = "governance/forum_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "forums": selectors.forums(self.version)}


class ForumDetailView(VersionMixin, TemplateView):
    template_name = "governance/forum_detail.html"
    dated_objects = {"forum": Forum}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "forum": selectors.forum(self.version, kwargs["forum"])}


class NetworkListView(VersionMixin, TemplateView):
    template_name = "governance/network_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "networks": selectors.networks(self.version)}


class NetworkDetailView(VersionMixin, TemplateView):
    template_name = "governance/network_detail.html"
    dated_objects = {"network": Network}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "network": selectors.network(self.version, kwargs["network"]),
        }


class BudgetView(VersionMixin, TemplateView):
    """The levels of budget responsibility of a version: holders, scopes and who supports them."""

    template_name = "governance/budget.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "levels": selectors.budget_levels(self.version)}
