"""The application's URLs plus /bench/hello/, the baseline of the HTTP benchmark."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("bench/hello/", hello), *app_urlpatterns]
