from django.urls import path, register_converter

from . import comparison_views, diagram_views, download_views, views

app_name = "centers"

register_converter(download_views.StructureFormatConverter, "structure_format")
register_converter(download_views.VersionTableConverter, "version_table")

urlpatterns = [
    path("soeg/", views.SearchView.as_view(), name="search"),
    path("<slug:slug>/", views.municipality_view, name="municipality"),
    # before the version pages: "personer" is a reserved version key (centers.slugs.RESERVED_VERSION_KEYS)
    path("<slug:slug>/personer/<slug:person>/", views.PersonDetailView.as_view(), name="person"),
    path("<slug:slug>/sammenlign/", comparison_views.ComparisonView.as_view(), name="compare"),
    path("<slug:slug>/sammenlign/data.json", comparison_views.ComparisonDataView.as_view(), name="compare-data"),
    path("<slug:slug>/sammenlign/hoering.pdf", comparison_views.ComparisonPdfView.as_view(), name="compare-pdf"),
    path(
        "<slug:slug>/struktur.<structure_format:fmt>",
        download_views.StructureDownloadView.as_view(),
        name="structure-download",
    ),
    path(
        "<slug:slug>/<str:version>/struktur.<structure_format:fmt>",
        download_views.StructureDownloadView.as_view(),
        name="version-structure-download",
    ),
    path(
        "<slug:slug>/<str:version>/<version_table:table>.csv",
        download_views.VersionTableView.as_view(),
        name="version-table",
    ),
    path("<slug:slug>/<str:version>/", views.ChartView.as_view(), name="chart"),
    path("<slug:slug>/<str:version>/organisation.json", views.VersionTreeView.as_view(), name="tree"),
    path("<slug:slug>/<str:version>/soegetekst.json", views.VersionSearchTextView.as_view(), name="search-text"),
    path("<slug:slug>/<str:version>/diagram.<str:fmt>", diagram_views.VersionDiagramView.as_view(), name="diagram"),
    path("<slug:slug>/<str:version>/enheder/<slug:unit>/", views.UnitDetailView.as_view(), name="unit"),
    path("<slug:slug>/<str:version>/enheder/<slug:unit>/panel/", views.UnitPanelView.as_view(), name="unit-panel"),
    path(
        "<slug:slug>/<str:version>/enheder/<slug:unit>/rapportering/",
        views.ReportingLineView.as_view(),
        name="unit-reporting-line",
    ),
    path(
        "<slug:slug>/<str:version>/enheder/<slug:unit>/rapportering.<str:fmt>",
        diagram_views.ReportingLineDiagramView.as_view(),
        name="unit-reporting-line-diagram",
    ),
    path("<slug:slug>/<str:version>/stillinger/<slug:post>/", views.PostDetailView.as_view(), name="post"),
    path(
        "<slug:slug>/<str:version>/stillinger/<slug:post>/rapportering/",
        views.ReportingLineView.as_view(),
        name="post-reporting-line",
    ),
    path(
        "<slug:slug>/<str:version>/stillinger/<slug:post>/rapportering.<str:fmt>",
        diagram_views.ReportingLineDiagramView.as_view(),
        name="post-reporting-line-diagram",
    ),
]
