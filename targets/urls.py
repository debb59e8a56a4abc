from django.urls import path

from targets import closing_views, views

app_name = "targets"

urlpatterns = [
    path("", views.plan_detail, name="plan_detail"),
    path("cycle/", views.cycle, name="cycle"),
    path("quotas/", views.quota_edit, name="quota_edit"),
    path("quotas/history/", views.quota_history, name="quota_history"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/notes/", views.task_note_add, name="task_note_add"),
    path("months/", closing_views.month_close_list, name="month_close_list"),
    path("months/close/", closing_views.month_close, name="month_close"),
    path("months/reopen/", closing_views.month_reopen, name="month_reopen"),
]
