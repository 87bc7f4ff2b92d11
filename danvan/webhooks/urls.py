from django.urls import path

from danvan.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list_view, name="subscriptions"),
    path("<int:pk>/stop/", views.subscription_deactivate_view, name="deactivate"),
]
