"""Background jobs of the Excel import: each takes a batch id and calls one service; running
one twice does nothing more (the batch's status says what is left to do). Registered with the
worker through CELERY_IMPORTS in settings."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from products.imports.batches import import_batch_apply, import_batch_check, import_batch_stop

# 5,000 rows take seconds (written in bulk); minutes mean a fault, the limits a stuck worker.
CHECK_SOFT_LIMIT = 10 * 60
APPLY_SOFT_LIMIT = 15 * 60


@shared_task(soft_time_limit=CHECK_SOFT_LIMIT, time_limit=CHECK_SOFT_LIMIT + 60)
def import_batch_check_task(batch_id: int):
    try:
        import_batch_check(batch_id)
    except SoftTimeLimitExceeded:
        import_batch_stop(batch_id, minutes=CHECK_SOFT_LIMIT // 60)


@shared_task(soft_time_limit=APPLY_SOFT_LIMIT, time_limit=APPLY_SOFT_LIMIT + 60)
def import_batch_apply_task(batch_id: int):
    try:
        import_batch_apply(batch_id)
    except SoftTimeLimitExceeded:
        import_batch_stop(batch_id, minutes=APPLY_SOFT_LIMIT // 60)
