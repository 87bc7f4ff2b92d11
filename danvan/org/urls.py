from django.urls import path

from danvan.org import views

app_name = "org"
urlpatterns = [
    path("agencies/", views.agency_list_view, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail_view, name="agency_detail"),
]
