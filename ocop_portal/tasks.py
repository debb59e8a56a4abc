"""The portal's own task: beat re-dispatches what waited for the queue or stalled."""

from celery import shared_task

from ocop_portal import jobs


@shared_task(soft_time_limit=60, time_limit=90)
def requeue_jobs_task():
    return jobs.requeue_jobs()
