"""The portal's entry points the bench times, one small function each, so that a change of the
portal's API (exports streamed or run as jobs, a batched import) is adapted here alone. Pages
are requested through the test client by benchmarks.run; everything else is called here."""

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone


def cold_figures() -> None:
    """Start the dashboards from a cold figures cache."""
    from ocop_portal.figures_cache import retire_version

    retire_version()


def _export(kind: str, user, path: Path, query: str = "") -> None:
    """An export as its background job makes it (ocop_portal.downloads.download_build): the
    list's rows in the user's scope, written row by row to a file."""
    from django.http import QueryDict

    from ocop_portal.downloads import export_for

    export_for(kind, user, QueryDict(query)).build().save(path)


def _portal_product_export(user, path: Path) -> None:
    """The product list's export, unfiltered."""
    _export("products", user, path)


def _portal_subject_export(user, path: Path) -> None:
    """The producer list's export, unfiltered."""
    _export("subjects", user, path)


def _portal_media_export(user, path: Path) -> None:
    """The media list's export, unfiltered."""
    _export("media", user, path)


def _portal_appendix(user, number: int, year: int, path: Path) -> None:
    """Phụ lục `number` of the year's plan (targets.appendix.appendix_export)."""
    _export("appendix", user, path, f"number={number}&year={year}")


def _portal_monthly_report(month: dt.date, path: Path) -> None:
    """The monthly report's workbook as its job builds it (targets.reports.monthly_report_generate),
    without storing or e-mailing it."""
    from ocop_portal.excel import workbook_bytes
    from targets.monthly import month_figures, month_workbook

    figures = month_figures(month)
    path.write_bytes(workbook_bytes(month_workbook(figures, generated_at=timezone.localtime())))


def _portal_import(user, content: bytes, *, dry_run: bool):
    """The import of a workbook (manage.py import_products). A real import is rolled back
    afterwards, so that each run imports the same rows into the same registry."""
    from products.imports.batches import import_file

    with transaction.atomic():
        report = import_file(user=user, name="bench-import.xlsx", content=content,
                             dry_run=dry_run)
        transaction.set_rollback(True)
    if not report.ok:
        first = "; ".join(str(issue) for issue in report.errors[:3])
        raise SystemExit(f"The bench's import file was refused: {first}")
    return report


product_export = _portal_product_export
subject_export = _portal_subject_export
media_export = _portal_media_export
appendix = _portal_appendix
monthly_report = _portal_monthly_report
import_rows = _portal_import
