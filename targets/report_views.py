"""Reports: the plan's appendices for download, and the monthly reports (list, download, make
again, send again). District officers get a 403 everywhere: reports hold every district."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop_portal import jobs, progress
from ocop_portal.download_views import export_or_offer
from ocop_portal.excel import XLSX_CONTENT_TYPE
from ocop_portal.permissions import require_plan_manager
from ocop_portal.views_helpers import file_download
from targets import reports, selectors
from targets.appendix import APPENDICES
from targets.forms import MonthlyReportForm, YearForm
from targets.models import ReportStatus

PAGE_SIZE = 24
BUILD_TASK = "targets.tasks.monthly_report_generate"
QUEUE_DOWN = ("Hàng đợi xử lý nền tạm thời không hoạt động; báo cáo sẽ được lập tự động khi hàng "
              "đợi hoạt động lại, không cần yêu cầu lại.")


def _years() -> tuple[list[int], list]:
    """The years that have a plan (newest first), and the months a report may be made for:
    from January of the first plan's year (or of last year) to this month."""
    today = timezone.localdate()
    years = sorted(selectors.plan_years(), reverse=True)
    months = selectors.report_months(today=today, first_year=min([*years, today.year - 1]))
    return years, months


def default_month(today: dt.date, years_with_plan: list[int] | None = None) -> dt.date:
    """The month the form offers: last month, unless the pages open on an earlier year (the
    plan in force is older), then that year's December."""
    previous = reports.previous_month(today)
    year = selectors.default_year(today, years_with_plan)
    return previous if year >= previous.year else dt.date(year, 12, 1)


@require_http_methods(["GET", "POST"])
def report_list(request):
    monthly_reports = selectors.monthly_report_list_for_user(request.user)
    years, months = _years()
    form = MonthlyReportForm(request.POST or None, months=months,
                             initial={"month": default_month(timezone.localdate(), years)})
    if request.method == "POST":
        require_plan_manager(request.user)
        if form.is_valid():
            report = reports.monthly_report_request(month=form.cleaned_data["month"],
                                                    user=request.user)
            _say_what_happened(request, report)
            return redirect("reports:list")
    page_obj = Paginator(monthly_reports, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = jobs.waiting_records(BUILD_TASK, [
        r.pk for r in page_obj.object_list if r.status == ReportStatus.QUEUED])
    for report in page_obj.object_list:
        report.waiting_for_queue = report.pk in waiting
        report.progress = (progress.read(report.progress_key)
                           if report.status == ReportStatus.RUNNING else None)
    return render(request, "targets/report_list.html", {
        "page_obj": page_obj, "reports": page_obj.object_list, "form": form,
        "year_form": YearForm(initial={"year": years[0]}, years=years) if years else None,
        "appendices": APPENDICES, "can_manage": request.user.can_manage_plan,
        "queue_down": QUEUE_DOWN,
        "busy": any(r.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
                    for r in page_obj.object_list),
    })


def _say_what_happened(request, report):
    # Without a broker the build has already run in this request; with one it is queued.
    report.refresh_from_db()
    if report.status == ReportStatus.DONE:
        messages.success(request, f"Đã lập báo cáo tháng {report.label} (lần {report.version}).")
    elif report.status == ReportStatus.FAILED:
        messages.error(request, f"Lập báo cáo tháng {report.label} không thành công: "
                                f"{report.error}")
    elif jobs.is_waiting(BUILD_TASK, report.pk):
        messages.warning(request, f"Đã ghi nhận yêu cầu lập báo cáo tháng {report.label} (lần "
                                  f"{report.version}). {QUEUE_DOWN}")
    else:
        messages.info(request, f"Đã đưa báo cáo tháng {report.label} (lần {report.version}) vào "
                               "hàng đợi; trang sẽ tự cập nhật khi lập xong.")


@require_GET
def report_download(request, pk):
    report = selectors.monthly_report_get_for_user(request.user, pk)
    return file_download(report.file, filename=report.filename, content_type=XLSX_CONTENT_TYPE,
                         not_made="Báo cáo chưa có tệp.", missing="Không tìm thấy tệp báo cáo.")


@require_POST
def report_email(request, pk):
    report = selectors.monthly_report_get_for_user(request.user, pk)
    try:
        report = reports.monthly_report_resend(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        report.refresh_from_db()
        messages.info(request, f"Gửi thư báo cáo tháng {report.label}: "
                               f"{report.get_email_status_display().lower()}.")
    return redirect("reports:list")


@require_GET
def appendix_download(request, number):
    params = request.GET.copy()
    params["number"] = str(number)
    return export_or_offer(request, "appendix", params)
