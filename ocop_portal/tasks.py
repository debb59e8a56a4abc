"""The portal's own tasks: beat re-dispatches what waited for the queue or stalled; long
downloads are made and, after a week, deleted."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from ocop_portal import downloads, jobs, reminders


@shared_task(soft_time_limit=60, time_limit=90)
def requeue_jobs_task():
    return jobs.requeue_jobs()


# 20,000 products take well under a minute; far more is a fault.
DOWNLOAD_SOFT_LIMIT = 10 * 60


@shared_task(soft_time_limit=DOWNLOAD_SOFT_LIMIT, time_limit=DOWNLOAD_SOFT_LIMIT + 60)
def download_build_task(download_id: int):
    """Make a long export's file; past the soft limit the download says so."""
    try:
        download = downloads.download_build(download_id)
    except SoftTimeLimitExceeded:
        download = downloads.download_fail(download_id, reason=(
            f"Lập tệp quá thời gian cho phép ({DOWNLOAD_SOFT_LIMIT // 60} phút) nên đã dừng; "
            "hãy lọc bớt danh sách rồi yêu cầu lại."))
    return download.status if download else None


@jobs.on_give_up("ocop_portal.tasks.download_build_task")
def _download_given_up(download_id: int, *, reason: str):
    downloads.download_fail(download_id, reason=f"Không lập được tệp: {reason} Hãy yêu cầu lại.")


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def download_purge_task():
    """Beat, daily: delete the files made more than a week ago."""
    return downloads.download_purge()


@shared_task(bind=True, max_retries=3, soft_time_limit=10 * 60, time_limit=11 * 60)
def reminders_send_task(self, run_key: str | None = None):
    """Beat (REMINDER_CRONTAB): e-mail each person their to-do list, once per run key; the
    e-mails that failed are tried again later (those sent are not sent twice)."""
    outcome = reminders.reminders_send(run_key=run_key)
    if outcome.failed:
        raise self.retry(args=[outcome.run_key], countdown=10 * 60)
    return {"run_key": outcome.run_key, "sent": len(outcome.sent),
            "already_sent": len(outcome.already_sent)}
