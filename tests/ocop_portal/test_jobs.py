"""Background jobs that survive a broker outage: a job whose broker is down waits (the request
still answers a page), `requeue_jobs` dispatches it once the queue is back, and a stalled job is
dispatched again, with one result. The broker here is a closed port on this machine (nothing to
mock: publishing to it really fails); "back" is the in-process queue of the embedded default."""

import datetime as dt
import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from ocop_portal import jobs
from ocop_portal.celery import app as celery_app
from ocop_portal.models import Job
from products.models import ImportBatch
from targets.models import MonthlyReport, ReportStatus
from tests.ocop_portal.drills import celery_publishing_to
from tests.products.import_workbooks import row, workbook_bytes

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """The queue unreachable: tasks are published to a port nobody listens on."""
    with celery_publishing_to(CLOSED_PORT):
        yield


def back_up():
    """The queue is back: tasks run (in-process, as on the embedded default)."""
    celery_app.conf.task_always_eager = True


# Committed for real: a job is dispatched when its request's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_asking_for_a_report_with_the_broker_down_answers_a_page_and_waits(
        province_staff, broker_down):
    client = Client()
    client.force_login(province_staff)
    started = time.perf_counter()
    response = client.post("/reports/", {"month": "2024-05-01"}, follow=True)
    assert time.perf_counter() - started < 10
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hàng đợi xử lý nền tạm thời không hoạt động" in html
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED
    job = Job.objects.get()
    assert (job.status, job.attempts, job.key) == (
        Job.Status.WAITING, 1, f"targets.tasks.monthly_report_generate:{report.pk}")
    assert "Hàng đợi không hoạt động" in job.error
    # The list says so beside the report, not only once after the request.
    assert 'data-testid="queue-down"' in client.get("/reports/").content.decode()

    # Still down: requeue_jobs tries, says so, and keeps the job.
    with pytest.raises(CommandError, match="Hàng đợi vẫn chưa hoạt động"):
        call_command("requeue_jobs", stdout=io.StringIO())
    assert Job.objects.get().status == Job.Status.WAITING

    back_up()
    out = io.StringIO()
    call_command("requeue_jobs", stdout=out)
    assert "Đã đưa vào hàng đợi 1 việc" in out.getvalue()
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert MonthlyReport.objects.count() == 1
    assert report.version == 1
    build = Job.objects.get(key=f"targets.tasks.monthly_report_generate:{report.pk}")
    assert build.status == Job.Status.DONE
    # Running it again finds nothing to do: one result.
    call_command("requeue_jobs", stdout=io.StringIO())
    assert MonthlyReport.objects.get().version == 1


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_the_broker_down_is_kept_and_checked_later(province_staff, broker_down):
    client = Client()
    client.force_login(province_staff)
    upload = io.BytesIO(workbook_bytes([row()]))
    upload.name = "san-pham.xlsx"
    response = client.post("/products/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert 'data-testid="queue-down"' in response.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKING
    back_up()
    jobs.requeue_jobs()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.summary


def test_a_stalled_job_is_dispatched_again_and_a_running_one_is_left(province_staff):
    report = MonthlyReport.objects.create(month=dt.date(2024, 5, 1), status=ReportStatus.RUNNING)
    task = "targets.tasks.monthly_report_generate"
    long_ago = timezone.now() - dt.timedelta(hours=1)
    stalled = Job.objects.create(task=task, args=[report.pk], key=f"{task}:{report.pk}",
                                 status=Job.Status.RUNNING, attempts=1,
                                 dispatched_at=long_ago, started_at=long_ago)
    running = Job.objects.create(task=task, args=[report.pk], key=f"{task}:{report.pk}",
                                 status=Job.Status.RUNNING, attempts=1,
                                 dispatched_at=timezone.now(), started_at=timezone.now())
    counts = jobs.requeue_jobs()
    assert counts["dispatched"] == 1
    stalled.refresh_from_db()
    running.refresh_from_db()
    assert (stalled.status, stalled.attempts) == (Job.Status.DONE, 2)
    assert running.status == Job.Status.RUNNING
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_the_stall_threshold_is_the_tasks_hard_limit():
    from targets.tasks import monthly_report_generate
    assert jobs._stall_seconds("targets.tasks.monthly_report_generate") == (
        monthly_report_generate.time_limit + jobs.STALL_MARGIN_SECONDS)


def test_a_job_that_never_finishes_is_given_up_and_says_so():
    long_ago = timezone.now() - dt.timedelta(hours=2)
    job = Job.objects.create(task="targets.tasks.monthly_report_generate", args=[999],
                             key="targets.tasks.monthly_report_generate:999",
                             status=Job.Status.QUEUED, attempts=jobs.MAX_ATTEMPTS,
                             dispatched_at=long_ago)
    assert jobs.requeue_jobs()["given_up"] == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ngừng thử" in job.error


def test_every_task_has_soft_and_hard_time_limits():
    celery_app.loader.import_default_modules()
    ours = [t for name, t in celery_app.tasks.items()
            if name.split(".")[0] in {"products", "targets", "subjects", "communications",
                                      "ocop_portal"}]
    assert len(ours) >= 7
    for task in ours:
        assert task.soft_time_limit, task.name
        assert (task.time_limit or 0) > task.soft_time_limit, task.name


def test_a_killed_workers_task_is_redelivered_not_lost(settings):
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    celery_app.loader.import_default_modules()  # the tasks registered, whatever ran before
    longest = max(t.time_limit for name, t in celery_app.tasks.items()
                  if t.time_limit and not name.startswith("celery."))
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest
    assert settings.CELERY_BEAT_SCHEDULE["requeue-jobs"]["task"] in celery_app.tasks


def test_a_report_stopped_at_its_soft_limit_fails_with_the_reason(reference_data):
    from targets import reports
    report = MonthlyReport.objects.create(month=dt.date(2024, 5, 1), status=ReportStatus.RUNNING)
    reports.monthly_report_fail(report_id=report.pk, reason="Lập báo cáo quá thời gian cho phép")
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "Lập báo cáo quá thời gian cho phép"
