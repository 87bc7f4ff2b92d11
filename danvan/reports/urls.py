from django.urls import path

from danvan.reports import views, views_reports

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("records/export/", views.records_export, name="records_export"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/file/", views.export_download, name="export_download"),
    path("documents/", views_reports.report_list, name="report_list"),
    path("documents/new/", views_reports.report_create, name="report_create"),
    path("documents/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("documents/<int:pk>/edit/", views_reports.report_edit, name="report_edit"),
    path("documents/<int:pk>/submit/", views_reports.report_submit, name="report_submit"),
    path(
        "documents/<int:pk>/download/<str:fmt>/",
        views_reports.report_download,
        name="report_download",
    ),
    path("documents/<int:pk>/compare/", views_reports.report_compare, name="report_compare"),
]
