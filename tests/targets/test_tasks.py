"""The monthly report's tasks: beat's schedule, idempotence, the command, and (with REDIS_URL, as
in CI) a run through a real Celery worker on the real Redis broker."""

import datetime as dt
import io
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from ocop_portal.celery import app
from ocop_portal.models import Job
from targets import reports
from targets.models import EmailStatus, MonthlyReport, ReportStatus
from targets.tasks import (
    EMAIL_MAX_RETRIES,
    monthly_report_email,
    monthly_report_for_previous_month,
    monthly_report_generate,
)
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import media_item


def test_beat_runs_last_months_report_on_the_first_at_seven():
    entry = django_settings.CELERY_BEAT_SCHEDULE["monthly-report"]
    assert entry["task"] == monthly_report_for_previous_month.name
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {7}, {0})
    assert django_settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_only_the_email_task_retries_and_a_bounded_number_of_times():
    assert monthly_report_email.max_retries == EMAIL_MAX_RETRIES == 5
    assert not getattr(monthly_report_generate, "autoretry_for", ())
    assert not getattr(monthly_report_for_previous_month, "autoretry_for", ())


@pytest.mark.parametrize(("today", "month"), [
    (dt.date(2024, 6, 1), dt.date(2024, 5, 1)),
    (dt.date(2025, 1, 1), dt.date(2024, 12, 1)),
    (dt.date(2024, 3, 31), dt.date(2024, 2, 1)),
])
def test_the_previous_month(today, month):
    assert reports.previous_month(today) == month


@pytest.mark.parametrize(("text", "month"), [
    ("2024-05", dt.date(2024, 5, 1)), ("05/2024", dt.date(2024, 5, 1)),
    ("2024-5", dt.date(2024, 5, 1)), (" 12/2023 ", dt.date(2023, 12, 1)),
])
def test_a_month_is_written_2024_05_or_05_2024(text, month):
    assert reports.parse_month(text) == month


@pytest.mark.parametrize("text", ["2024-13", "2024", "5-2024", "", "tháng 5"])
def test_other_months_are_refused(text):
    with pytest.raises(ValueError, match="không hợp lệ"):
        reports.parse_month(text)


@pytest.mark.django_db
def test_running_the_monthly_task_twice_leaves_one_report(reference_data,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first = monthly_report_for_previous_month.apply().get()
        second = monthly_report_for_previous_month.apply().get()
    assert first == second
    assert len(queued) == 2  # a build queued each time, after commit
    report = MonthlyReport.objects.get()
    assert report.month == reports.previous_month(timezone.localdate())
    assert (report.version, report.status, report.requested_by) == (2, ReportStatus.QUEUED, None)
    with django_capture_on_commit_callbacks() as emails:
        for _ in range(2):
            assert monthly_report_generate.apply(args=[report.pk]).get() == ReportStatus.DONE
    built = MonthlyReport.objects.get()
    assert built.file
    assert built.file_version == 2
    # The second delivery of the build found it built: one file, one e-mail queued.
    assert len(emails) == 1
    assert Job.objects.filter(task="targets.tasks.monthly_report_email").count() == 1


@pytest.mark.django_db
def test_tasks_for_a_deleted_report_do_nothing(reference_data):
    assert monthly_report_generate.apply(args=[12345]).get() is None
    assert monthly_report_email.apply(args=[12345]).get() is None
    assert not MonthlyReport.objects.exists()


@pytest.mark.django_db
def test_the_command_builds_the_month_here_and_says_where_the_file_is(reference_data):
    out = io.StringIO()
    call_command("monthly_report", "--month", "2024-05", stdout=out)
    report = MonthlyReport.objects.get()
    assert (report.month, report.status, report.version) == (
        dt.date(2024, 5, 1), ReportStatus.DONE, 1)
    assert f"Đã lập báo cáo tháng 5/2024 (lần 1): {report.file.path}" in out.getvalue()
    call_command("monthly_report", "--month", "05/2024", stdout=io.StringIO())
    assert MonthlyReport.objects.get().version == 2


@pytest.mark.django_db
def test_the_command_refuses_a_bad_month(reference_data):
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("monthly_report", "--month", "2024-13")
    assert not MonthlyReport.objects.exists()


def _records():
    recognise(ProductFactory(name="Miến dong Na Rì", subject=SubjectFactory(
        district=district("066"))), decision_date=dt.date(2024, 5, 20))
    media_item(dt.datetime(2024, 5, 3, 9), district=district("066"))


def _wait_for_the_email(report_id: int, seconds: float = 60) -> MonthlyReport:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report = MonthlyReport.objects.filter(pk=report_id).first()
        if report and report.status == ReportStatus.FAILED:
            return report
        if report and report.email_status != EmailStatus.PENDING:
            return report
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish report {report_id} in {seconds} s")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_monthly_report_runs_through_the_worker(reference_data, settings, mailoutbox):
    """With REDIS_URL (CI), a real worker on the real broker runs the build and the e-mail from
    the queue; without it, the same command runs them in-process (CELERY_TASK_ALWAYS_EAGER)."""
    settings.REPORT_RECIPIENTS = ["vpdp.ntm@backan.gov.vn"]
    _records()
    if settings.REDIS_URL:
        # The app read its configuration at import: a worker needs it not to run tasks eagerly.
        settings.CELERY_TASK_ALWAYS_EAGER = False
        assert app.conf.task_always_eager is False
        assert app.conf.broker_url == settings.REDIS_URL
        from celery.contrib.testing.worker import start_worker

        app.control.purge()
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False,
                          shutdown_timeout=30):
            call_command("monthly_report", "--month", "2024-05", "--queue",
                         stdout=io.StringIO())
            report = MonthlyReport.objects.get()
            assert report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING,
                                     ReportStatus.DONE)
            report = _wait_for_the_email(report.pk)
    else:
        assert app.conf.task_always_eager is True
        call_command("monthly_report", "--month", "2024-05", "--queue", stdout=io.StringIO())
        report = MonthlyReport.objects.get()
    report.refresh_from_db()
    assert (report.status, report.error, report.email_status) == (
        ReportStatus.DONE, "", EmailStatus.SENT)
    with report.file.open("rb") as stored:
        workbook = load_workbook(stored)
    assert workbook.sheetnames[0] == "Tổng hợp"
    texts = [c.value for c in workbook["Tổng hợp"]["A"] if isinstance(c.value, str)]
    assert any(t.startswith("Trong tháng 5/2024, toàn tỉnh có thêm 1 sản phẩm") for t in texts)
    decisions = list(workbook["SP công nhận trong tháng"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in decisions] == ["Miến dong Na Rì"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].attachments[0][0] == "Báo cáo OCOP tháng 05-2024 (lần 1).xlsx"


@pytest.mark.django_db
def test_a_delivery_that_finishes_after_another_built_the_report_keeps_that_build(
        reference_data, django_capture_on_commit_callbacks):
    """The race a redelivery can run: both passed the check at the start, the other stored its
    build first. Storing then keeps the other's file and queues no second e-mail."""
    report = reports.monthly_report_request(month=dt.date(2024, 5, 1), queue=False)
    monthly_report_generate.apply(args=[report.pk]).get()
    built = MonthlyReport.objects.get(pk=report.pk)
    emails = Job.objects.filter(task="targets.tasks.monthly_report_email").count()
    with django_capture_on_commit_callbacks() as queued:
        kept, old_name = reports._store(report.pk, content=b"late build", summary={},
                                        generated_at=timezone.now())
    assert (kept.file.name, kept.generated_at, old_name) == (built.file.name,
                                                            built.generated_at, "")
    assert queued == []
    assert Job.objects.filter(task="targets.tasks.monthly_report_email").count() == emails
