from django.urls import path
from django.views.generic import TemplateView

app_name = "governance"

# Routes are final; helper work replaces these views with governance/views.py.
placeholder = TemplateView.as_view(template_name="base.html")

urlpatterns = [
    path("<slug:slug>/<str:version>/udvalg/", placeholder, name="committees"),
    path("<slug:slug>/<str:version>/udvalg/<slug:committee>/", placeholder, name="committee"),
    path("<slug:slug>/<str:version>/fora/", placeholder, name="forums"),
    path("<slug:slug>/<str:version>/fora/<slug:forum>/", placeholder, name="forum"),
    path("<slug:slug>/<str:version>/netvaerk/", placeholder, name="networks"),
    path("<slug:slug>/<str:version>/netvaerk/<slug:network>/", placeholder, name="network"),
    path("<slug:slug>/<str:version>/oekonomiansvar/", placeholder, name="budget"),
]
