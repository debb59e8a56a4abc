"""Celery tasks of the plan: the monthly report. Thin wrappers around one service each; they
take ids and may run twice without leaving two results."""

from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from ocop_portal import jobs
from targets import reports

EMAIL_MAX_RETRIES = 5
EMAIL_RETRY_DELAY = 60  # seconds before the first retry; doubled each time
REPORT_SOFT_LIMIT = 4 * 60


@shared_task(soft_time_limit=60, time_limit=90)
def monthly_report_for_previous_month():
    """Beat, on the 1st at 07:00: ask for last month's report (its build is queued)."""
    report = reports.monthly_report_request(month=reports.previous_month(timezone.localdate()))
    return report.pk


@shared_task(soft_time_limit=REPORT_SOFT_LIMIT, time_limit=REPORT_SOFT_LIMIT + 60)
def monthly_report_generate(report_id: int):
    """Build and store a report's workbook, then queue its e-mail. Past the soft limit the report
    is marked failed with the reason; "Lập lại" asks for it again."""
    try:
        report = reports.monthly_report_generate(report_id=report_id)
    except SoftTimeLimitExceeded:
        report = reports.monthly_report_fail(
            report_id=report_id,
            reason=f"Lập báo cáo quá thời gian cho phép ({REPORT_SOFT_LIMIT // 60} phút) nên "
                   "đã dừng; hãy bấm “Lập lại”, nếu vẫn lỗi hãy báo quản trị hệ thống.")
    return report.status if report else None


@jobs.on_give_up("targets.tasks.monthly_report_generate")
def _report_given_up(report_id: int, *, reason: str):
    reports.monthly_report_fail(report_id=report_id, reason=(
        f"Lập báo cáo không thành công: {reason} Hãy bấm “Lập lại”."))


@shared_task(bind=True, max_retries=EMAIL_MAX_RETRIES, soft_time_limit=60, time_limit=90)
def monthly_report_email(self, report_id: int):
    """E-mail a built report; retried with a growing delay when the mail server fails."""
    try:
        report = reports.monthly_report_email(report_id=report_id)
    except (SMTPException, OSError) as error:
        # The failure is already recorded on the report. Run in-process (no worker, no queue to
        # wait in), retrying at once would fail again: the report page offers to send it again.
        if self.request.is_eager:
            return "failed"
        raise self.retry(exc=error,
                         countdown=EMAIL_RETRY_DELAY * 2 ** self.request.retries) from error
    return report.email_status if report else None
