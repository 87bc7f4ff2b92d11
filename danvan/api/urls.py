from django.urls import path

from danvan.api import views
from danvan.api.api import api

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list_view, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("v1/redoc", views.redoc_view, name="redoc"),
]

# Mounted by config/urls.py next to these pages (its own namespace "api-v1").
api_urls = api.urls
