from django.urls import include, path

from danvan.petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("new/", views.intake_view, name="intake"),
    path("assign/", views.assign_view, name="assign"),
    path("cases/<int:pk>/", views.case_view, name="case_detail"),
    path("cases/<int:pk>/move/", views.move_view, name="move"),
    path("cases/<int:pk>/identity/", views.reveal_view, name="reveal_identity"),
    path("cases/<int:pk>/link/", views.link_view, name="link"),
    path("", include("danvan.petitions.urls_notices")),
]
