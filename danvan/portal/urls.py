from django.urls import include, path

app_name = "portal"
urlpatterns = [
    path("", include("danvan.portal.urls_citizen")),
    path("", include("danvan.portal.urls_manage")),
    path("", include("danvan.portal.urls_content")),
]
