"""The Excel import of products, template v1 of DESIGN.md §6.

One code path for the web page and `manage.py import_products`: read the workbook (limits,
formulas, header), check every row (collecting all errors with row and column), then apply the
rows through the registry's services inside one transaction. A preview is that same transaction
rolled back; an import keeps it only when there is no error at all.
"""

from contextlib import contextmanager
from types import SimpleNamespace

from django.db import transaction
from simple_history.models import HistoricalRecords

from ocop_portal.permissions import require_write
from ocop_portal.text import clean_text
from products.imports.apply import Applier
from products.imports.columns import COLUMNS, title
from products.imports.reader import (
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    FileRefused,
    check_content,
    check_file,
    check_name_and_size,
    read_sheet,
)
from products.imports.report import Action, ImportReport, Issue, RowResult
from products.imports.rows import RowChecker, RowData
from products.imports.template import EXAMPLE_ROW, template_workbook

__all__ = [
    "COLUMNS", "MAX_DATA_ROWS", "MAX_FILE_BYTES", "Action", "FileRefused", "ImportReport",
    "Issue", "RowResult", "check_content", "check_name_and_size", "run_import",
    "template_workbook",
]


def run_import(*, name: str, content: bytes, user, dry_run: bool) -> ImportReport:
    """Check and apply a workbook for `user`; saved only when nothing is wrong and not a dry
    run. Every error and warning is in the report, located by row and column."""
    require_write(user)
    report = ImportReport(filename=name)
    try:
        check_file(name, content)
        sheet = read_sheet(name, content)
    except FileRefused as refused:
        report.error(str(refused))
        return report
    report.errors += sheet.errors
    report.warnings += sheet.warnings
    if sheet.fatal or not sheet.rows:
        report.sort()
        return report
    valid = _checked_rows(sheet.rows, user, report)
    with transaction.atomic(), _history_by(user):
        Applier(user, report).apply(valid)
        if dry_run or not report.ok:
            transaction.set_rollback(True)
        else:
            report.applied = True
    report.sort()
    return report


@contextmanager
def _history_by(user):
    """Outside a web request (the worker, the command), history has no request to name its
    author: name the importing user, when it is an account."""
    context = HistoricalRecords.context
    if getattr(context, "request", None) is not None or not user.pk:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def _checked_rows(rows, user, report: ImportReport) -> list[RowData]:
    checker = RowChecker(user)
    valid = []
    seen_decisions = {}
    for row, values in rows:
        if _is_example(values):
            report.error("đây là dòng ví dụ của tệp mẫu; hãy xoá hoặc thay bằng dữ liệu thật "
                         "trước khi nhập.", row)
            continue
        data, issues = checker.check(row, values)
        report.errors += issues
        if data is None:
            continue
        if data.stars:
            key = (*data.product_key, data.decision_key)
            if key in seen_decisions:
                report.error(
                    f"sản phẩm “{data.product_name}” của “{data.subject_name}” đã có quyết định "
                    f"{data.decision_number} ở dòng {seen_decisions[key]}; mỗi quyết định của "
                    "một sản phẩm chỉ ghi một dòng.", row, title("decision_number"))
                continue
            seen_decisions[key] = row
        valid.append(data)
    return valid


def _is_example(values: dict) -> bool:
    return all(clean_text(values.get(key)) == clean_text(EXAMPLE_ROW[key])
               for key in ("product_name", "subject_name", "decision_number"))
