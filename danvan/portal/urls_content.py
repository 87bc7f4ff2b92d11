from django.urls import path

from danvan.portal import views_content as views

urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.article_list, name="articles"),
    path("news/<slug:slug>/", views.article_detail, name="article_detail"),
    path("news/<slug:slug>/share/", views.article_share, name="article_share"),
    path("news/<slug:slug>/feedback/", views.article_feedback, name="article_feedback"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_decide, name="moderation_decide"),
    path("answers/", views.answer_list, name="answers"),
    path("answers/<int:pk>/", views.answer_detail, name="answer_detail"),
    path("answers/<int:pk>/withdraw/", views.answer_withdraw, name="answer_withdraw"),
    path("cases/<int:pk>/publish-answer/", views.answer_publish, name="answer_publish"),
]
