"""Background jobs of the Excel import: each takes a batch id and calls one service; running
one twice does nothing more (the batch's status says what is left to do). Registered with the
worker through CELERY_IMPORTS in settings."""

from celery import shared_task

from products.imports.batches import import_batch_apply, import_batch_check


@shared_task
def import_batch_check_task(batch_id: int):
    import_batch_check(batch_id)


@shared_task
def import_batch_apply_task(batch_id: int):
    import_batch_apply(batch_id)
