"""XLSX template, import and export URLs (included by plans/urls.py in the "plans" namespace)."""

from django.urls import path

from danvan.plans import views_xlsx

urlpatterns = [
    path("<int:pk>/xlsx/template/", views_xlsx.xlsx_template, name="xlsx_template"),
    path("<int:pk>/xlsx/import/", views_xlsx.xlsx_import, name="xlsx_import"),
    path("<int:pk>/xlsx/export/", views_xlsx.xlsx_export, name="xlsx_export"),
]
