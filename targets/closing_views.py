"""The month close page (chốt số liệu): every signed-in role reads the last 24 months with their
state and the history of closes and reopens; province staff and administrators close an ended
month and reopen a closed one with a reason (anyone else gets a 403)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ocop_portal.permissions import require_plan_manager
from targets import closing
from targets.forms import MonthCloseForm, MonthReopenForm

HISTORY_PAGE_SIZE = 50


@require_GET
def month_close_list(request):
    events = list(reversed(closing.close_events()))
    page_obj = Paginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "targets/month_close_list.html", {
        "rows": closing.month_rows(), "page_obj": page_obj, "events": page_obj.object_list,
        "can_manage": request.user.can_manage_plan,
    })


def _say_errors(request, prefix: str, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, f"{prefix}: {message}")


@require_POST
def month_close(request):
    require_plan_manager(request.user)
    form = MonthCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa chốt: tháng không hợp lệ.")
        return redirect("targets:month_close_list")
    try:
        close = closing.month_close(month=form.cleaned_data["month"], user=request.user)
    except ValidationError as error:
        _say_errors(request, "Chưa chốt", error)
    else:
        messages.success(request, f"Đã chốt số liệu tháng {close.month:%m/%Y}: từ nay không thể "
                                  "thêm, sửa hoặc xoá hồ sơ có ngày trong tháng này.")
    return redirect("targets:month_close_list")


@require_POST
def month_reopen(request):
    require_plan_manager(request.user)
    form = MonthReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"Chưa mở lại: {message}")
        return redirect("targets:month_close_list")
    try:
        close = closing.month_reopen(month=form.cleaned_data["month"], user=request.user,
                                     reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _say_errors(request, "Chưa mở lại", error)
    else:
        messages.success(request, f"Đã mở lại số liệu tháng {close.month:%m/%Y}; hãy chốt lại "
                                  "sau khi sửa xong.")
    return redirect("targets:month_close_list")
