"""Celery tasks of the registry: thin wrappers around one service each."""

from celery import shared_task

from products.services import certificates_daily_check


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5,
             soft_time_limit=5 * 60, time_limit=6 * 60)
def certificates_check_expiry(self):
    """Daily: mark expired certificates; e-mail the office those expiring within 30 days."""
    outcome = certificates_daily_check()
    return {"marked_expired": outcome.marked_expired, "expiring": len(outcome.expiring),
            "emailed": outcome.emailed}
