from django.urls import include, path

app_name = "plans"
urlpatterns = [
    path("", include("danvan.plans.urls_xlsx")),
]
