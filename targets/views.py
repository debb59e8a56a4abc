"""Dashboards, the plan with its quotas, the quota tables and their history, plan tasks."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communications.selectors import year_choices
from ocop_portal.permissions import require_plan_manager, visible_districts
from targets import selectors, services
from targets.dashboard import (
    cycle_context,
    dashboard_context,
    district_rows,
    years_offered,
)
from targets.forms import (
    QUOTA_PARTS,
    PlanTaskForm,
    PlanTaskUpdateForm,
    QuotaTableForm,
    YearForm,
    year_asked,
)
from targets.models import Plan
from targets.selectors.cycle import (
    DECISION_OVERDUE_DAYS,
    PLAN_OVERDUE_DAYS,
    overdue_participations,
    progress_outlook,
)

HISTORY_PAGE_SIZE = 50


def _year(request) -> tuple[int, YearForm]:
    today = timezone.localdate()
    years = years_offered(today)
    year = year_asked(request.GET, years=years) or selectors.default_year(today)
    return year, YearForm(initial={"year": year}, years=years)


@require_GET
def dashboard(request):
    year, year_form = _year(request)
    context = dashboard_context(year=year)
    context.update(year_form=year_form, districts=context["progress"].districts)
    return render(request, "targets/dashboard.html", context)


@require_GET
def dashboard_district(request, code):
    district = selectors.district_get(code)
    year, year_form = _year(request)
    context = dashboard_context(year=year, district=district)
    context.update(year_form=year_form, districts=context["progress"].districts)
    return render(request, "targets/dashboard.html", context)


@require_GET
def cycle(request):
    """Chu trình OCOP năm Y: where the year's participations stand, and what is overdue (named
    only within the user's districts)."""
    year, year_form = _year(request)
    today = timezone.localdate()
    progress = selectors.indicator_progress(year=year, today=today)
    outlook = progress_outlook(progress)
    return render(request, "targets/cycle.html", {
        "year": year, "year_form": year_form, "today": today,
        "cycle": cycle_context(outlook, progress.districts, None),
        "overdue": overdue_participations(year=year, today=today,
                                          districts=visible_districts(request.user)),
        "plan_overdue_days": PLAN_OVERDUE_DAYS, "decision_overdue_days": DECISION_OVERDUE_DAYS,
    })


def plan_asked(request) -> Plan:
    """The plan of the year asked for, else the latest plan; 404 when there is none."""
    return selectors.plan_get(year_asked(request.GET))


@require_GET
def plan_detail(request):
    plan = plan_asked(request)
    progress = selectors.indicator_progress(year=plan.year)
    return render(request, "targets/plan_detail.html", {
        "plan": plan, "progress": progress, "plans": selectors.plan_list(),
        "district_rows": district_rows(progress, plan.year),
        "mismatches": selectors.progress_mismatches(progress),
        "task_count": len(selectors.plan_tasks(plan)),
    })


def _quota_forms(plan: Plan, data=None, bound_part=None) -> list[QuotaTableForm]:
    indicators = list(selectors.plan_indicators())
    districts = selectors.districts_of_year(plan.year)
    quotas = selectors.plan_quotas(plan)
    forms = []
    for part, (appendix, _title) in QUOTA_PARTS.items():
        members = [i for i in indicators if i.appendix == appendix]
        if not members:
            continue
        forms.append(QuotaTableForm(data if part == bound_part else None, part=part,
                                    indicators=members, districts=districts, quotas=quotas))
    return forms


@require_http_methods(["GET", "POST"])
def quota_edit(request):
    require_plan_manager(request.user)
    plan = plan_asked(request)
    part = request.POST.get("part") if request.method == "POST" else None
    if part is not None and part not in QUOTA_PARTS:
        raise Http404("Không có bảng chỉ tiêu này.")
    forms = _quota_forms(plan, request.POST, part)
    form = next((f for f in forms if f.part == part), None)
    if form is not None and form.is_valid():
        try:
            changes = services.quotas_set(plan=plan, values=form.values(),
                                          reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, f"Đã lưu {len(changes)} thay đổi chỉ tiêu.")
            else:
                messages.info(request, "Không có chỉ tiêu nào thay đổi.")
            return redirect(f"{reverse('targets:quota_edit')}?year={plan.year}")
    return render(request, "targets/quota_edit.html", {
        "plan": plan, "forms": forms, "mismatches": selectors.quota_mismatches(plan),
    })


@require_GET
def quota_history(request):
    plan = plan_asked(request)
    entries = selectors.quota_history(plan)
    page_obj = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "targets/quota_history.html", {
        "plan": plan, "entries": entries, "page_obj": page_obj,
        "query_string": urlencode({"year": plan.year}),
    })


@require_GET
def task_list(request):
    plan = plan_asked(request)
    tasks = selectors.plan_tasks(plan)
    return render(request, "targets/task_list.html", {
        "plan": plan, "tasks": tasks, "today": timezone.localdate(),
        "can_manage": request.user.can_manage_plan,
    })


@require_http_methods(["GET", "POST"])
def task_create(request):
    require_plan_manager(request.user)
    plan = plan_asked(request)
    form = PlanTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.plan_task_create(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã thêm nội dung “{task}”.")
            return redirect("targets:task_detail", pk=task.pk)
    return render(request, "targets/task_form.html", {"plan": plan, "form": form, "task": None})


@require_GET
def task_detail(request, pk):
    task = selectors.plan_task_get(pk)
    return render(request, "targets/task_detail.html", {
        "task": task, "plan": task.plan, "updates": selectors.plan_task_updates(task),
        "today": timezone.localdate(), "can_manage": request.user.can_manage_plan,
        "note_form": PlanTaskUpdateForm(initial={"date": timezone.localdate()}),
    })


@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    require_plan_manager(request.user)
    task = selectors.plan_task_get(pk)
    form = PlanTaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_task_update(task, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu nội dung.")
            return redirect("targets:task_detail", pk=task.pk)
    return render(request, "targets/task_form.html", {"plan": task.plan, "form": form,
                                                      "task": task})


@require_POST
def task_note_add(request, pk):
    require_plan_manager(request.user)
    task = selectors.plan_task_get(pk)
    form = PlanTaskUpdateForm(request.POST)
    if form.is_valid():
        services.plan_task_note_add(task=task, user=request.user, date=form.cleaned_data["date"],
                                    note=form.cleaned_data["note"],
                                    status=form.cleaned_data["status"] or None)
        messages.success(request, "Đã ghi cập nhật tiến độ.")
        return redirect("targets:task_detail", pk=task.pk)
    return render(request, "targets/task_detail.html", {
        "task": task, "plan": task.plan, "updates": selectors.plan_task_updates(task),
        "today": timezone.localdate(), "can_manage": True, "note_form": form,
    })


@require_GET
def media_calendar(request):
    """The year's months against the plan's monthly media quota (the media indicator's page)."""
    today = timezone.localdate()
    years = year_choices(today)
    year = year_asked(request.GET, years=years) or selectors.default_year(today)
    quota = selectors.media_items_per_month(year)
    months = selectors.media_calendar_for_user(request.user, year=year, today=today, quota=quota)
    elapsed = [cell for cell in months if cell.status in ("met", "missed")]
    return render(request, "communications/media_calendar.html", {
        "year": year, "years": years, "months": months,
        "quota": quota,
        "met_count": sum(cell.status == "met" for cell in elapsed),
        "elapsed_count": len(elapsed),
        "current": next((cell for cell in months if cell.status == "current"), None),
        "total": sum(cell.count for cell in months),
        "previous_year": year - 1 if year - 1 in years else None,
        "next_year": year + 1 if year + 1 in years else None,
    })
