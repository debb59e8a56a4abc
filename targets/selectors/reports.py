"""Reads of the monthly reports. They hold every district's records, so only the roles that see
the whole province (province staff, administrators, leaders) read them; others get a 403."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from targets.models import MonthlyReport


def require_report_reader(user):
    """Refuse (403) a user who may not read reports and appendices (district officers)."""
    if not (user and user.is_authenticated and user.can_download_appendix):
        raise PermissionDenied("Báo cáo và phụ lục tổng hợp số liệu của mọi huyện: chỉ cán bộ "
                               "Văn phòng Điều phối tỉnh, lãnh đạo và quản trị được xem.")


def monthly_report_list_for_user(user):
    """Every monthly report, newest month first, for a user who may read reports."""
    require_report_reader(user)
    return MonthlyReport.objects.select_related("requested_by").order_by("-month")


def monthly_report_get_for_user(user, pk) -> MonthlyReport:
    """A monthly report, or 404; 403 for a user who may not read reports."""
    require_report_reader(user)
    return get_object_or_404(MonthlyReport, pk=pk)


def report_months(*, today: dt.date, first_year: int) -> list[dt.date]:
    """The months a report may be made for: from January of `first_year` to this month,
    newest first."""
    months = []
    year, month = today.year, today.month
    while year > first_year or (year == first_year and month >= 1):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
