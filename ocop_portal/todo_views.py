"""The "Việc cần làm" page: each person's own to-do list (ocop_portal.todo)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ocop_portal import todo
from ocop_portal.models import Role


@require_GET
def todo_list(request):
    todo_list = todo.todo_list_for_user(request.user)
    return render(request, "todo/todo_list.html", {
        "todo": todo_list,
        "follows_only": request.user.effective_role == Role.LEADER,
    })
