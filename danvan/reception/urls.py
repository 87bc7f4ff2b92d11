from django.urls import path

from danvan.reception import views, views_log

app_name = "reception"
urlpatterns = [
    path("", views.reception_index_view, name="index"),
    path("<int:agency_pk>/", views.schedule_view, name="schedule"),
    path("<int:agency_pk>/sessions/new/", views.session_create_view, name="session_create"),
    path(
        "<int:agency_pk>/sessions/<int:pk>/status/",
        views.session_status_view,
        name="session_status",
    ),
    path("<int:agency_pk>/log/", views_log.log_view, name="log"),
    path("<int:agency_pk>/visits/new/", views_log.visit_create_view, name="visit_create"),
    path("<int:agency_pk>/refusals/new/", views_log.refusal_create_view, name="refusal_create"),
]
