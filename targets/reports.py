"""Monthly reports: asked for by beat (the previous month, on the 1st) or by province staff, built
by a task into a stored workbook, and e-mailed with it to REPORT_RECIPIENTS.

One record per month: asking again raises its version and rebuilds it. The build and the e-mail
are separate tasks, queued after the transaction commits, so that a failed e-mail is retried
without rebuilding the workbook and a failed build never loses the e-mail's state.
"""

import datetime as dt
import logging
import re
from smtplib import SMTPException

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from ocop_portal import progress
from ocop_portal.excel import XLSX_CONTENT_TYPE, workbook_bytes
from ocop_portal.jobs import enqueue_on_commit
from ocop_portal.permissions import require_plan_manager
from targets.models import EmailStatus, MonthlyReport, ReportStatus
from targets.monthly import month_figures, month_summary, month_workbook

logger = logging.getLogger(__name__)
ERROR_LENGTH = 2000
_MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before `today`'s."""
    return month_start(month_start(today) - dt.timedelta(days=1))


def parse_month(text: str) -> dt.date:
    """"2024-05" or "05/2024" as the first day of that month; ValueError otherwise."""
    match = _MONTH.match(text or "")
    if not match:
        raise ValueError(f"Tháng “{text}” không hợp lệ: ghi theo dạng 2024-05 hoặc 05/2024.")
    year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    try:
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"Tháng “{text}” không hợp lệ.") from None


@transaction.atomic
def monthly_report_request(*, month: dt.date, user=None, queue: bool = True) -> MonthlyReport:
    """Ask for the report of `month` (beat: no user): the month's one record is created or its
    version raised, marked queued, and (with `queue`) its build queued after commit."""
    if user is not None:
        require_plan_manager(user)
    month = month_start(month)
    report, created = MonthlyReport.objects.select_for_update().get_or_create(month=month)
    if not created:
        report.version += 1
    report.status = ReportStatus.QUEUED
    report.error = ""
    report.requested_at = timezone.now()
    report.requested_by = user if getattr(user, "pk", None) else None
    report.full_clean()
    report.save()
    if queue:
        enqueue_on_commit("targets.tasks.monthly_report_generate", report.pk)
    return report


def monthly_report_generate(*, report_id: int) -> MonthlyReport | None:
    """Build the report's workbook from the engine, store it and queue its e-mail. A build that
    fails is recorded on the report with its reason (the previous file, if any, stays)."""
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    if report.status == ReportStatus.DONE and report.file_version == report.version:
        # Built already: this is a second delivery of the same job (a redelivered message, or a
        # requeue racing the worker). Building again would e-mail the same report twice.
        return report
    MonthlyReport.objects.filter(pk=report_id).update(status=ReportStatus.RUNNING, error="")
    generated_at = timezone.localtime()
    try:
        figures = month_figures(report.month)
        with progress.tracking(report.progress_key, total=figures.list_rows,
                               stage="Đang ghi báo cáo"):
            content = workbook_bytes(month_workbook(figures, generated_at=generated_at))
        report, old_name = _store(report_id, content=content, summary=month_summary(figures),
                                  generated_at=generated_at)
    except SoftTimeLimitExceeded:
        raise  # the task says why, in words
    except Exception as error:
        # Whatever went wrong, the page must say so rather than show "running" for ever.
        logger.exception("Lập báo cáo tháng %s không thành công", report.month)
        MonthlyReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=(f"Lỗi khi lập báo cáo; hãy báo quản trị hệ thống (chi tiết kỹ thuật: "
                   f"{type(error).__name__}: {error})")[:ERROR_LENGTH])
        report.refresh_from_db()
        return report
    # Now that the new file is committed, the previous build's file belongs to no record.
    if old_name and old_name != report.file.name:
        report.file.storage.delete(old_name)
    return report


def monthly_report_fail(*, report_id: int, reason: str) -> MonthlyReport | None:
    """Mark a report whose build was stopped (its time limit) failed, with the reason."""
    MonthlyReport.objects.filter(pk=report_id).exclude(status=ReportStatus.DONE).update(
        status=ReportStatus.FAILED, error=reason[:ERROR_LENGTH])
    return MonthlyReport.objects.filter(pk=report_id).first()


@transaction.atomic
def _store(report_id: int, *, content: bytes, summary: dict,
           generated_at: dt.datetime) -> tuple[MonthlyReport, str]:
    report = MonthlyReport.objects.select_for_update().get(pk=report_id)
    if report.status == ReportStatus.DONE and report.file_version == report.version:
        # Another delivery of the same job built it while this one was building (the check at
        # the start of the task read before either had finished): keep its file and e-mail.
        return report, ""
    old_name = report.file.name
    # upload_to puts it under reports/monthly/ in the private storage.
    report.file.save(f"{report.month:%Y-%m}/bao-cao-ocop-{report.month:%Y-%m}-lan-"
                     f"{report.version}.xlsx", ContentFile(content), save=False)
    report.file_version = report.version
    report.summary = summary
    report.status = ReportStatus.DONE
    report.error = ""
    report.generated_at = generated_at
    report.email_status = EmailStatus.PENDING
    report.email_error = ""
    report.email_sent_at = None
    report.full_clean()
    report.save()
    enqueue_on_commit("targets.tasks.monthly_report_email", report.pk)
    return report, old_name


def monthly_report_email(*, report_id: int) -> MonthlyReport | None:
    """E-mail the stored workbook to REPORT_RECIPIENTS, once per build. A failure is recorded on
    the report and raised, so that the task retries the e-mail alone."""
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if (report is None or report.status != ReportStatus.DONE or not report.file
            or report.email_status == EmailStatus.SENT):
        return report
    recipients = list(settings.REPORT_RECIPIENTS)
    if not recipients:
        _email_outcome(report, EmailStatus.NOT_CONFIGURED)
        return report
    with report.file.open("rb") as stored:
        content = stored.read()
    summary = report.summary or {}
    message = EmailMessage(
        subject=f"[OCOP Bắc Kạn] Báo cáo tháng {report.label}",
        body=(f"{summary.get('paragraph', '')}\n\nBáo cáo chi tiết (lần lập {report.version}) ở "
              "tệp Excel đính kèm.\n\nCổng quản lý OCOP tỉnh Bắc Kạn"),
        to=recipients)
    message.attach(report.filename, content, XLSX_CONTENT_TYPE)
    try:
        message.send()
    except (SMTPException, OSError) as error:
        _email_outcome(report, EmailStatus.FAILED, recipients,
                       error=f"{type(error).__name__}: {error}")
        raise
    _email_outcome(report, EmailStatus.SENT, recipients)
    return report


def _email_outcome(report: MonthlyReport, status: str, recipients=(), error: str = ""):
    fields = {"email_status": status, "email_error": error[:ERROR_LENGTH],
              "email_recipients": ", ".join(recipients),
              "email_sent_at": timezone.now() if status == EmailStatus.SENT else None}
    MonthlyReport.objects.filter(pk=report.pk).update(**fields)
    for name, value in fields.items():
        setattr(report, name, value)


@transaction.atomic
def monthly_report_resend(*, report: MonthlyReport, user) -> MonthlyReport:
    """Send a built report's e-mail again (after a failure, or to new recipients), queued after
    commit; the workbook is not rebuilt."""
    require_plan_manager(user)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DONE:
        raise ValidationError("Báo cáo chưa lập xong nên chưa gửi được.")
    report.email_status = EmailStatus.PENDING
    report.email_error = ""
    report.save(update_fields=["email_status", "email_error"])
    enqueue_on_commit("targets.tasks.monthly_report_email", report.pk)
    return report
