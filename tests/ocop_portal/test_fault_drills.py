"""Fault drills, with real processes: a Redis that is down and then started, a Celery worker that
is killed with SIGKILL mid-task, and the database connections of a running gunicorn cut. Each
drill names the protection it stands for; without it, the drill fails (each was tried).

They need PostgreSQL and redis-server (CI has both); elsewhere they are skipped, unless
OCOP_DRILLS_REQUIRED is set, as CI sets it, so that a missing piece fails instead."""

import datetime as dt
import json
import os
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from ocop_portal import jobs
from ocop_portal.models import Job
from targets import reports
from targets.models import EmailStatus, MonthlyReport, ReportStatus
from targets.tasks import monthly_report_generate
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.ocop_portal.drills import Drill, celery_publishing_to, database_url, missing, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
BUILD = "targets.tasks.monthly_report_generate"
EMAIL = "targets.tasks.monthly_report_email"
MAY_2024 = dt.date(2024, 5, 1)


@pytest.fixture
def drill(transactional_db, reference_data, tmp_path):
    why = missing()
    if why:
        if os.environ.get("OCOP_DRILLS_REQUIRED"):
            pytest.fail(why)
        pytest.skip(why)
    recognise(ProductFactory(name="Miến dong Na Rì", subject=SubjectFactory(
        district=district("066"))), decision_date=dt.date(2024, 5, 20))
    drill = Drill(tmp_path)
    yield drill
    drill.stop()  # before the database is flushed


def built(report_id: int) -> MonthlyReport | None:
    """The report once built and e-mailed (or failed: then the assertion after says why)."""
    report = MonthlyReport.objects.get(pk=report_id)
    done = report.status == ReportStatus.FAILED or (
        report.status == ReportStatus.DONE and report.email_status != EmailStatus.PENDING)
    return report if done else None


def report_files() -> list[str]:
    """Every workbook stored, the private storage's included."""
    return sorted(str(path) for path in Path(settings.MEDIA_ROOT).rglob("*.xlsx"))


def assert_one_result(drill: Drill, report: MonthlyReport) -> None:
    """One report, built once, one file, one e-mail; every job of it done."""
    assert (report.status, report.error, report.email_status) == (
        ReportStatus.DONE, "", EmailStatus.SENT)
    assert (report.version, report.file_version) == (1, 1)
    assert report_files() == [report.file.path]
    assert len(drill.mails()) == 1, [path.read_text()[:200] for path in drill.mails()]
    assert list(Job.objects.order_by("pk").values_list("task", "status")) == [
        (BUILD, Job.Status.DONE), (EMAIL, Job.Status.DONE)]


def test_a_report_asked_for_while_redis_is_down_waits_and_is_built_once_it_is_back(
        drill, province_staff):
    """Protection: the job is a row written with the request, and `requeue_jobs` dispatches it.
    Without the row (the task published straight from the view), the POST answers 500 and the
    report stays "queued" for ever; without `requeue_jobs`, nothing builds it."""
    client = Client()
    client.force_login(province_staff)
    with celery_publishing_to(drill.redis_url):  # nobody listens there yet
        response = client.post("/reports/", {"month": "2024-05-01"}, follow=True)
    assert response.status_code == 200
    assert "Hàng đợi xử lý nền tạm thời không hoạt động" in response.content.decode()
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED
    job = Job.objects.get()
    assert (job.task, job.status, job.attempts) == (BUILD, Job.Status.WAITING, 1)

    still_down = drill.manage("requeue_jobs")
    assert still_down.returncode != 0, still_down.stdout
    assert "vẫn chờ" in still_down.stdout + still_down.stderr

    drill.redis()
    worker = drill.worker()
    requeued = drill.manage("requeue_jobs")
    assert requeued.returncode == 0, requeued.stderr
    assert "Đã đưa vào hàng đợi 1 việc" in requeued.stdout
    report = wait_for(lambda: built(report.pk), "the report built after Redis is back",
                      log=worker)
    assert_one_result(drill, report)

    # The same job delivered again (a redelivered message, a requeue racing the worker): the
    # task finds the report built and leaves it as it is.
    generated_at = report.generated_at
    with celery_publishing_to(drill.redis_url):
        monthly_report_generate.apply_async(args=[report.pk], task_id=job.celery_id)
    wait_for(lambda: worker.log().count(f"[{job.celery_id}] succeeded") == 2,
             "the second delivery run", log=worker)
    report.refresh_from_db()
    assert report.generated_at == generated_at
    assert_one_result(drill, report)
    # Once done, the job is not dispatched again.
    assert "Đã đưa vào hàng đợi 0 việc" in drill.manage("requeue_jobs").stdout


def _hold_the_report_row(report_id: int) -> psycopg.Connection:
    """Lock the report's row from another connection, so that a build that has started waits
    there: the worker is then killed in the middle of the task, before it has written anything."""
    holder = psycopg.connect(database_url())
    holder.execute("SELECT id FROM targets_monthlyreport WHERE id = %s FOR UPDATE", [report_id])
    return holder


def _waiting_on_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_task_is_requeued_and_the_report_built_once(drill, province_staff):
    """The whole worker killed (`kill -9`, the OOM killer): its message stays unacknowledged in
    Redis until the visibility timeout (20 minutes). Protection: `requeue_jobs` dispatches a job
    running past its threshold again (here `--stalled-after 0`); the task is idempotent. Without
    the stall rule, the report stays "running" for ever."""
    drill.redis()
    worker = drill.worker()
    report = reports.monthly_report_request(month=MAY_2024, user=province_staff, queue=False)
    holder = _hold_the_report_row(report.pk)
    try:
        with celery_publishing_to(drill.redis_url):
            job = jobs.enqueue_on_commit(BUILD, report.pk)  # no transaction: dispatched now
        wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
                 and _waiting_on_the_lock(), "the build started", log=worker)
        worker.kill()
    finally:
        holder.close()
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    assert MonthlyReport.objects.get(pk=report.pk).status != ReportStatus.DONE

    worker = drill.worker(name="worker2")
    requeued = drill.manage("requeue_jobs", "--stalled-after", "0")
    assert requeued.returncode == 0, requeued.stderr
    assert "Đã đưa vào hàng đợi 1 việc" in requeued.stdout
    report = wait_for(lambda: built(report.pk), "the report built after the restart",
                      log=worker)
    assert_one_result(drill, report)
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_a_killed_pool_process_has_its_task_redelivered_at_once(drill, province_staff):
    """A prefork pool process killed mid-task (the usual form of an out-of-memory kill).
    Protection: late acknowledgement with CELERY_TASK_REJECT_ON_WORKER_LOST: the message goes
    back to the queue and runs again at once, with no `requeue_jobs`. Without it, Celery marks the
    task failed and acknowledges it, and the report waits for `requeue_jobs`'s stall threshold
    (12 minutes)."""
    drill.redis()
    worker = drill.worker(pool="prefork")
    report = reports.monthly_report_request(month=MAY_2024, user=province_staff, queue=False)
    holder = _hold_the_report_row(report.pk)
    try:
        with celery_publishing_to(drill.redis_url):
            job = jobs.enqueue_on_commit(BUILD, report.pk)
        wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
                 and _waiting_on_the_lock(), "the build started", log=worker)
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        assert len(children) == 1, children
        os.kill(int(children[0]), 9)
        wait_for(lambda: "WorkerLostError" in worker.log() or "SIGKILL" in worker.log(),
                 "the worker noticing its lost process", log=worker)
    finally:
        holder.close()
    report = wait_for(lambda: built(report.pk), "the report built by the redelivered task",
                      log=worker)
    assert_one_result(drill, report)
    assert Job.objects.get(pk=job.pk).attempts == 1  # Celery redelivered it, not requeue_jobs


def _get(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_a_server_whose_database_connections_were_cut_answers_the_next_request(drill):
    """The database restarted under a running gunicorn: every connection it held is gone (cut
    here with pg_terminate_backend, which is what a restart does to them, without stopping the
    database under the other tests). Protection: CONN_HEALTH_CHECKS, which tests a persistent
    connection before a request reuses it. Without it, the next request fails (503 here, 500 on
    a page) on the dead connection."""
    server, port = drill.gunicorn()
    for _ in range(2):  # the second request reuses the first one's connection
        status, body = _get(port, "/healthz")
        assert (status, body["database"]) == (200, "ok")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert cursor.fetchone()[0] >= 1  # gunicorn's connection
    status, body = _get(port, "/healthz")
    assert (status, body.get("database")) == (200, "ok"), server.tail()
