"""Pages of the organisation."""

from django.views.generic import ListView

from . import selectors


class HomeView(ListView):
    """Every municipality with its organisation versions."""

    template_name = "centers/home.html"
    context_object_name = "municipalities"

    def get_queryset(self):
        return selectors.municipalities_with_versions()
