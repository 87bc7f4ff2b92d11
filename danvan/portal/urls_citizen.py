from django.urls import path

from danvan.portal import views_citizen as views

urlpatterns = [
    path("send/", views.submit_view, name="submit"),
    path("send/receipt/", views.submit_done_view, name="submit_done"),
    path("track/", views.track_view, name="track"),
]
