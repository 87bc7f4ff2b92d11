from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from danvan.api.urls import api_urls
from danvan.core import views as core_views

urlpatterns = [
    path("", include("danvan.core.urls")),
    path("org/", include("danvan.org.urls")),
    path("plans/", include("danvan.plans.urls")),
    path("reception/", include("danvan.reception.urls")),
    path("petitions/", include("danvan.petitions.urls")),
    path("portal/", include("danvan.portal.urls")),
    path("reports/", include("danvan.reports.urls")),
    path("api/", include("danvan.api.urls")),
    path("api/v1/", api_urls),
    path("open311/v2/", include("danvan.api.open311.urls")),
    path("webhooks/", include("danvan.webhooks.urls")),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]


admin.site.site_header = "danvan"
admin.site.site_title = "danvan"
