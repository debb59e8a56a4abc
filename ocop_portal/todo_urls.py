from django.urls import path

from ocop_portal import todo_views

app_name = "todo"

urlpatterns = [
    path("", todo_views.todo_list, name="list"),
]
