from django.urls import include, path

from danvan.plans import views, views_tasks

app_name = "plans"
urlpatterns = [
    path("", views.plan_list_view, name="plan_list"),
    path("new/", views.plan_create_view, name="plan_create"),
    path("new/from-text/", views.plan_text_import_view, name="plan_text_import"),
    path("my-tasks/", views_tasks.my_tasks_view, name="my_tasks"),
    path("<int:pk>/", views.plan_detail_view, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit_view, name="plan_edit"),
    path("<int:pk>/status/", views.plan_status_view, name="plan_status"),
    path("<int:pk>/print/", views.plan_print_view, name="plan_print"),
    path("<int:pk>/contents/new/", views.content_create_view, name="content_create"),
    path("<int:pk>/tasks/new/", views.task_create_view, name="task_create"),
    path("<int:pk>/implement/", views.plan_implement_view, name="plan_implement"),
    path("<int:pk>/attachments/", views.plan_attachment_add_view, name="attachment_add"),
    path("attachments/<int:pk>/", views.plan_attachment_download_view, name="attachment_download"),
    path("tasks/<int:pk>/", views_tasks.task_detail_view, name="task_detail"),
    path(
        "tasks/<int:pk>/updates/<int:update_pk>/review/",
        views_tasks.progress_review_view,
        name="progress_review",
    ),
    path("evidence/<int:pk>/", views_tasks.evidence_download_view, name="evidence_download"),
    path("", include("danvan.plans.urls_xlsx")),
]
