"""Import batches: the uploaded workbook kept between preview and confirmation, and the record
of every import that was saved (who, when, which file, what it did)."""

import hashlib

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from products.imports import run_import
from products.imports.report import ImportReport
from products.models import ImportBatch


def _batch(*, user, name: str, content: bytes, source: str, report: ImportReport,
           status: str) -> ImportBatch:
    return ImportBatch.objects.create(
        filename=name[:255], content=content, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), user=user if user.pk else None,
        source=source, status=status, summary=report.to_dict(),
        applied_at=timezone.now() if status == ImportBatch.Status.APPLIED else None)


def import_batch_preview(*, user, name: str, content: bytes):
    """Check a workbook without saving any record; keep the file for confirmation only when it
    has no error. Returns (batch or None, report)."""
    report = run_import(name=name, content=content, user=user, dry_run=True)
    if not report.ok:
        return None, report
    batch = _batch(user=user, name=name, content=content, source=ImportBatch.Source.WEB,
                   report=report, status=ImportBatch.Status.PREVIEWED)
    return batch, report


@transaction.atomic
def import_batch_confirm(batch: ImportBatch, *, user) -> ImportReport:
    """Import a previewed workbook for real, checked again against today's records; a batch
    already imported (a second click) is not imported twice."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.APPLIED:
        return ImportReport.from_dict(batch.summary)
    report = run_import(name=batch.filename, content=bytes(batch.content), user=user,
                        dry_run=False)
    batch.status = ImportBatch.Status.APPLIED if report.applied else ImportBatch.Status.FAILED
    batch.summary = report.to_dict()
    batch.applied_at = timezone.now() if report.applied else None
    batch.save(update_fields=["status", "summary", "applied_at"])
    return report


@transaction.atomic
def import_file(*, user, name: str, content: bytes, dry_run: bool) -> ImportReport:
    """Import a workbook in one step (the management command); a saved import is recorded."""
    report = run_import(name=name, content=content, user=user, dry_run=dry_run)
    if report.applied:
        _batch(user=user, name=name, content=content, source=ImportBatch.Source.COMMAND,
               report=report, status=ImportBatch.Status.APPLIED)
    return report


def import_batch_get_for_user(user, pk: int) -> ImportBatch:
    """A batch its own uploader may open; anyone else's is a 404."""
    return get_object_or_404(ImportBatch.objects.filter(user_id=user.pk), pk=pk)
