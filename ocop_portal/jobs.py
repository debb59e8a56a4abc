"""Background jobs that survive a broker outage and a killed worker.

A service asks for a job with `enqueue_on_commit(task_path, *args)`: a `Job` row is written in
the service's own transaction, and the task is dispatched once that transaction commits. When the
broker is unreachable the request still succeeds: the row stays "waiting" and the page says the
work will run when the queue is back. `requeue_jobs()` (the command and beat, every few minutes)
dispatches again every job still waiting, and every job queued or running long past its task's
time limit (its worker was killed). The tasks are idempotent, so a second dispatch leaves one
result. Celery signals keep the row's status: running, done or failed.

A service names its task by dotted path instead of importing it: the tasks module imports the
service it wraps, and a module-level import back would make the two a circle.
"""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from celery import current_app
from celery.signals import task_postrun, task_prerun
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

from ocop_portal.models import Job

logger = logging.getLogger(__name__)

# What a broker that is down raises when a task is published (redis-py's errors derive from
# ConnectionError or OSError; kombu wraps them in OperationalError).
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)
# A job dispatched this many times without finishing is given up (and says so).
MAX_ATTEMPTS = 5
# Without a time limit of its own, a task is stalled after this long.
DEFAULT_STALL_SECONDS = 15 * 60
STALL_MARGIN_SECONDS = 60
JOB_ID_PREFIX = "ocop-job-"

Status = Job.Status


def job_key(task_path: str, args: tuple[object, ...] | list[Any]) -> str:
    return f"{task_path}:{args[0]}" if args else task_path


def enqueue_on_commit(task_path: str, *args: object) -> Job:
    """Record a job for the task at `task_path` with `args`, and dispatch it once the current
    transaction commits (at once outside one), so that a worker never reads rows that are not
    saved yet and a broker outage loses nothing."""
    job = Job.objects.create(task=task_path, args=list(args), key=job_key(task_path, args))
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def dispatch(job_id: int) -> bool:
    """Publish a job to the queue; False (and the job left waiting) when the broker is down.
    Without a broker (the embedded default) the task runs here and now."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status in (Status.DONE, Status.FAILED):
        return False
    previous = job.status
    # Marked before publishing: a fast worker may start (and mark it running) at once.
    Job.objects.filter(pk=job.pk).update(status=Status.QUEUED, dispatched_at=timezone.now(),
                                         attempts=F("attempts") + 1, error="")
    task = import_string(job.task)
    if _eager():
        task.apply_async(args=job.args, task_id=job.celery_id)
        return True
    try:
        task.apply_async(args=job.args, task_id=job.celery_id, retry=False)
    except BROKER_ERRORS as error:
        logger.warning("Hàng đợi không hoạt động, việc %s chờ chạy lại: %s", job, error)
        Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
            status=Status.WAITING if previous == Status.WAITING else previous,
            error=f"Hàng đợi không hoạt động: {type(error).__name__}: {error}"[:2000])
        return False
    return True


def is_waiting(task_path: str, record_id: object) -> bool:
    """Whether the latest job of `task_path` for a record still waits for the queue to be back."""
    latest = (Job.objects.filter(key=job_key(task_path, [record_id]))
              .order_by("-pk").values_list("status", "attempts").first())
    return latest is not None and _refused(*latest)


def _refused(status: str, attempts: int) -> bool:
    # Waiting after a dispatch was tried: the broker refused it (not merely before the commit).
    return status == Status.WAITING and attempts > 0


def waiting_records(task_path: str, record_ids: list[int]) -> set[int]:
    """Of these records, those whose latest job of `task_path` waits for the queue, in one
    query."""
    keys = {job_key(task_path, [pk]): pk for pk in record_ids}
    latest: dict[str, tuple[str, int]] = {}
    for key, status, attempts in (Job.objects.filter(key__in=keys).order_by("pk")
                                  .values_list("key", "status", "attempts")):
        latest[key] = (status, attempts)
    return {keys[key] for key, state in latest.items() if _refused(*state)}


def _stall_seconds(task_path: str) -> int:
    try:
        task = import_string(task_path)
    except ImportError:
        return DEFAULT_STALL_SECONDS
    limit = getattr(task, "time_limit", None) or current_app.conf.task_time_limit
    return int(limit or DEFAULT_STALL_SECONDS) + STALL_MARGIN_SECONDS


def requeue_jobs(*, now: dt.datetime | None = None,
                 stalled_after: int | None = None) -> dict[str, int]:
    """Dispatch again every job waiting for the queue, and every job queued or running past its
    task's hard time limit (or `stalled_after` seconds); give up a job after MAX_ATTEMPTS."""
    now = now or timezone.now()
    counts = {"dispatched": 0, "still_waiting": 0, "given_up": 0}
    candidates = list(Job.objects.filter(
        status__in=[Status.WAITING, Status.QUEUED, Status.RUNNING]).order_by("pk"))
    for job in candidates:
        if job.status != Status.WAITING:
            limit = stalled_after if stalled_after is not None else _stall_seconds(job.task)
            since = job.started_at or job.dispatched_at or job.created_at
            if now - since < dt.timedelta(seconds=limit):
                continue
            if job.attempts >= MAX_ATTEMPTS:
                reason = f"Đã đưa vào hàng đợi {job.attempts} lần mà không xong; ngừng thử."
                Job.objects.filter(pk=job.pk).update(status=Status.FAILED, finished_at=now,
                                                     error=reason)
                _tell_given_up(job, reason)
                counts["given_up"] += 1
                continue
            logger.warning("Việc %s quá thời hạn (%s giây), đưa lại vào hàng đợi", job, limit)
        if dispatch(job.pk):
            counts["dispatched"] += 1
        else:
            counts["still_waiting"] += 1
    return counts


# What a task's record does when its job is given up (a worker killed at the hard time limit
# never runs the task's own failure handling): by task path, a function of the job's args and
# the reason. Registered by the tasks' modules (`on_give_up`), which dispatching imports.
_GIVE_UP: dict[str, Callable[..., object]] = {}


def on_give_up(task_path: str):
    """Register what marks the task's record failed when its job is given up, so that a page
    never shows "running" for ever."""
    def register(function):
        _GIVE_UP[task_path] = function
        return function
    return register


def _tell_given_up(job: Job, reason: str) -> None:
    try:
        import_string(job.task)  # its module registers the hook
    except ImportError:
        return
    hook = _GIVE_UP.get(job.task)
    if hook is not None:
        hook(*job.args, reason=reason)


def _job_id(task_id: str | None) -> int | None:
    if not task_id or not task_id.startswith(JOB_ID_PREFIX):
        return None
    return int(task_id.removeprefix(JOB_ID_PREFIX))


@task_prerun.connect
def _job_started(task_id=None, **kwargs):
    job_id = _job_id(task_id)
    if job_id is not None:
        Job.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
            status=Status.RUNNING, started_at=timezone.now())


@task_postrun.connect
def _job_finished(task_id=None, state=None, retval=None, **kwargs):
    job_id = _job_id(task_id)
    if job_id is None:
        return
    if state == "SUCCESS":
        Job.objects.filter(pk=job_id).update(status=Status.DONE, finished_at=timezone.now())
    elif state == "RETRY":
        Job.objects.filter(pk=job_id).update(status=Status.QUEUED, started_at=None)
    elif state == "FAILURE":
        Job.objects.filter(pk=job_id).update(status=Status.FAILED, finished_at=timezone.now(),
                                             error=f"{type(retval).__name__}: {retval}"[:2000])
