from django.urls import path

from danvan.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tools/deadline/", views.deadline_calculator, name="deadline_calculator"),
    path("audit/", views.audit_events, name="audit_events"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("healthz", views.healthz, name="healthz"),
]
