from django.urls import path

from . import download_views, views

app_name = "governance"

urlpatterns = [
    path("<slug:slug>/popolo.json", download_views.PopoloView.as_view(), name="popolo"),
    path(
        "<slug:slug>/<str:version>/udvalgsbetjening.csv",
        download_views.CommitteeServicesCsvView.as_view(),
        name="committee-services-csv",
    ),
    path("<slug:slug>/<str:version>/udvalg/", views.CommitteeListView.as_view(), name="committees"),
    path("<slug:slug>/<str:version>/udvalg/<slug:committee>/", views.CommitteeDetailView.as_view(), name="committee"),
    path("<slug:slug>/<str:version>/fora/", views.ForumListView.as_view(), name="forums"),
    path("<slug:slug>/<str:version>/fora/<slug:forum>/", views.ForumDetailView.as_view(), name="forum"),
    path("<slug:slug>/<str:version>/netvaerk/", views.NetworkListView.as_view(), name="networks"),
    path("<slug:slug>/<str:version>/netvaerk/<slug:network>/", views.NetworkDetailView.as_view(), name="network"),
    path("<slug:slug>/<str:version>/oekonomiansvar/", views.BudgetView.as_view(), name="budget"),
]
