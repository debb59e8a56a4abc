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


def _portal_product_export(user, path: Path) -> None:
    """The product list's export (products.views.product_export, unfiltered)."""
    from ocop_portal.excel import workbook_bytes
    from products.exports import product_workbook
    from products.selectors import product_list_for_user

    today = timezone.localdate()
    title = f"Danh sách sản phẩm OCOP tỉnh Bắc Kạn (trích xuất ngày {today:%d/%m/%Y})"
    path.write_bytes(workbook_bytes(product_workbook(product_list_for_user(user), title=title)))


def _portal_subject_export(user, path: Path) -> None:
    """The producer list's export (subjects.views.subject_export, unfiltered)."""
    from ocop_portal.excel import workbook_bytes
    from subjects.exports import subject_workbook
    from subjects.selectors import subject_list_for_user

    today = timezone.localdate()
    title = f"Danh sách chủ thể OCOP tỉnh Bắc Kạn (trích xuất ngày {today:%d/%m/%Y})"
    path.write_bytes(workbook_bytes(subject_workbook(subject_list_for_user(user), title=title)))


def _portal_media_export(user, path: Path) -> None:
    """The media list's export (communications.views.media_item_export, unfiltered)."""
    from communications.exports import media_items_workbook
    from communications.selectors import media_item_list_for_user
    from ocop_portal.excel import workbook_bytes

    title = "Danh sách tin, bài truyền thông về OCOP"
    path.write_bytes(workbook_bytes(media_items_workbook(media_item_list_for_user(user),
                                                         title=title, user=user)))


def _portal_appendix(number: int, year: int, path: Path) -> None:
    """Phụ lục `number` of the year's plan (targets.report_views.appendix_download)."""
    from ocop_portal.excel import workbook_bytes
    from targets.appendix import appendix_data, appendix_workbook
    from targets.selectors import plan_get

    data = appendix_data(number=number, plan=plan_get(year))
    path.write_bytes(workbook_bytes(appendix_workbook(data)))


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
