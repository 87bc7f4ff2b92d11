"""XLSX template, import and export URLs (included by plans/urls.py)."""

urlpatterns: list = []
