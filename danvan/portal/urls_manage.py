from django.urls import path

from danvan.portal import views_manage

urlpatterns = [
    path("manage/articles/", views_manage.article_manage_list, name="article_manage_list"),
    path("manage/articles/new/", views_manage.article_manage_edit, name="article_manage_new"),
    path("manage/articles/<int:pk>/", views_manage.article_manage_edit, name="article_manage_edit"),
    path("news/<slug:slug>/image/", views_manage.article_image, name="article_image"),
]
