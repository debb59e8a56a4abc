"""Import batches: an uploaded workbook checked in the background, kept between preview and
confirmation, then imported in the background; and the record of every saved import (who,
when, which file, what it did). A workbook of 5,000 rows takes seconds, still longer than a web
request should wait: the batch page follows the work's progress."""

import hashlib

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ocop_portal.jobs import enqueue_on_commit
from ocop_portal.models import User
from ocop_portal.permissions import require_write
from products.imports import run_import
from products.imports.report import ImportReport
from products.models import ImportBatch

Status = ImportBatch.Status


def progress_name(batch_id: int) -> str:
    """The name under which a batch's check and import count their rows (ocop_portal.progress)."""
    return f"import:{batch_id}"


def _new_batch(*, user, name: str, content: bytes, source: str, status: str) -> ImportBatch:
    return ImportBatch.objects.create(
        filename=name[:255], content=content, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), user=user if user.pk else None,
        source=source, status=status)


def _finish(batch: ImportBatch, report: ImportReport, status: str):
    batch.status = status
    batch.summary = report.to_dict()
    batch.applied_at = timezone.now() if status == Status.APPLIED else None
    if status == Status.FAILED:
        # A refused file is never imported: keep its name, hash and errors, not its bytes.
        batch.content = b""
    batch.save(update_fields=["status", "summary", "applied_at", "content", "updated_at"])


@transaction.atomic
def import_batch_upload(*, user, name: str, content: bytes) -> ImportBatch:
    """Keep an uploaded workbook and queue its check; nothing else is saved."""
    require_write(user)
    batch = _new_batch(user=user, name=name, content=content, source=ImportBatch.Source.WEB,
                       status=Status.CHECKING)
    enqueue_on_commit("products.imports.tasks.import_batch_check_task", batch.pk)
    return batch


def _locked(batch_id: int, status: str) -> ImportBatch | None:
    """The batch, locked, if it is still waiting in `status`; else None (already done)."""
    batch = (ImportBatch.objects.select_for_update(of=("self",)).select_related("user")
             .filter(pk=batch_id, status=status).first())
    if batch is not None and (batch.user is None or not batch.user.is_active):
        _finish(batch, _refused(batch, "Tài khoản đã tải tệp lên không còn hoạt động."),
                Status.FAILED)
        return None
    return batch


def _refused(batch: ImportBatch, message: str) -> ImportReport:
    report = ImportReport(filename=batch.filename)
    report.error(message)
    return report


@transaction.atomic
def import_batch_check(batch_id: int) -> None:
    """Check a waiting batch for its uploader without saving any record (the preview).
    Running it again for the same batch does nothing."""
    batch = _locked(batch_id, Status.CHECKING)
    if batch is None:
        return
    report = run_import(name=batch.filename, content=bytes(batch.content), user=batch.user,
                        dry_run=True, progress=progress_name(batch.pk))
    _finish(batch, report, Status.PREVIEWED if report.ok else Status.FAILED)


@transaction.atomic
def import_batch_confirm(batch: ImportBatch, *, user: User) -> ImportBatch:
    """Queue the import of a previewed batch; a second click queues nothing."""
    require_write(user)
    updated = ImportBatch.objects.filter(pk=batch.pk, user=user,
                                         status=Status.PREVIEWED).update(
        status=Status.IMPORTING, updated_at=timezone.now())
    if updated:
        enqueue_on_commit("products.imports.tasks.import_batch_apply_task", batch.pk)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_batch_apply(batch_id: int) -> None:
    """Import a confirmed batch for real, checked again against today's records; all or
    nothing. Running it again for the same batch does nothing."""
    batch = _locked(batch_id, Status.IMPORTING)
    if batch is None:
        return
    report = run_import(name=batch.filename, content=bytes(batch.content), user=batch.user,
                        dry_run=False, progress=progress_name(batch.pk))
    _finish(batch, report, Status.APPLIED if report.applied else Status.FAILED)


@transaction.atomic
def import_batch_stop(batch_id: int, *, minutes: int) -> None:
    """A check or an import stopped at its time limit (nothing was saved: its transaction was
    rolled back): the batch fails with the reason, keeping its file so it can be checked again."""
    batch = (ImportBatch.objects.select_for_update()
             .filter(pk=batch_id, status__in=[Status.CHECKING, Status.IMPORTING]).first())
    if batch is None:
        return
    step = "Kiểm tra" if batch.status == Status.CHECKING else "Nhập"
    report = ImportReport.from_dict(batch.summary) if batch.summary else ImportReport(
        filename=batch.filename)
    report.errors = []
    report.error(f"{step} tệp quá thời gian cho phép ({minutes} phút) nên đã dừng; chưa có gì "
                 "được lưu. Hãy bấm “Kiểm tra lại”; nếu vẫn quá thời gian, hãy chia tệp thành "
                 "nhiều tệp nhỏ hơn.")
    batch.status, batch.summary = Status.FAILED, report.to_dict()
    batch.save(update_fields=["status", "summary", "updated_at"])


@transaction.atomic
def import_batch_retry(batch: ImportBatch, *, user: User) -> ImportBatch:
    """Check again a batch that stopped at its time limit (its file was kept)."""
    require_write(user)
    updated = ImportBatch.objects.filter(pk=batch.pk, user=user, status=Status.FAILED).exclude(
        content=b"").update(status=Status.CHECKING, summary={}, updated_at=timezone.now())
    if updated:
        enqueue_on_commit("products.imports.tasks.import_batch_check_task", batch.pk)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_file(*, user, name: str, content: bytes, dry_run: bool) -> ImportReport:
    """Import a workbook in one step (the management command); a saved import is recorded."""
    report = run_import(name=name, content=content, user=user, dry_run=dry_run)
    if report.applied:
        batch = _new_batch(user=user, name=name, content=content,
                           source=ImportBatch.Source.COMMAND, status=Status.APPLIED)
        _finish(batch, report, Status.APPLIED)
    return report


def import_batch_list_for_user(user):
    """The user's own batches, newest first, without their files."""
    return ImportBatch.objects.filter(user_id=user.pk).defer("content", "summary")


def import_batch_get_for_user(user, pk: int) -> ImportBatch:
    """A batch its own uploader may open; anyone else's is a 404."""
    return get_object_or_404(ImportBatch.objects.filter(user_id=user.pk), pk=pk)
