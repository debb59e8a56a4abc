"""The Excel import of products, template v1 of DESIGN.md §6.

One code path for the web page and `manage.py import_products`: read the workbook (limits,
formulas, header), check every row (collecting all errors with row and column), then apply the
rows with the registry's rules in memory (products.imports.apply) and, when no row is refused,
write them in bulk inside one transaction. Both report their progress, row by row, under a name
the batch page reads.

A preview (dry run) is the same path stopped before the writes. It reports what the import
would do, exactly: every rule is checked while the rows are applied in memory (the services'
own build-and-check steps, uniqueness against what was loaded), and the database's constraints
cannot be broken by the values those steps build, so the writes add no error of their own. The
one error only the writes could give is a record changed by someone else between the preview
and the import; the import reports it (“dữ liệu vừa bị thay đổi cùng lúc…”) and saves nothing,
as a preview rolled back could not have foreseen either. The import locks the products it reads
until it commits, and every other writer of a product's history locks the product too
(products.services.history), so the two take turns rather than overwrite each other. Stopping
there saves the preview the writes, about half the time of an import
(tests/products/test_import_preview.py compares a preview's report with the import's on a
varied file, refused rows included).
"""

from django.db import transaction

from ocop_portal.permissions import require_write
from ocop_portal.progress import Reporter
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


CHECKING = "Đang kiểm tra"
WRITING = "Đang ghi"
# The preview applies the rows in memory, against the registry as it is, and writes nothing.
WRITING_TRIAL = "Đang đối chiếu với dữ liệu đã có"


def run_import(*, name: str, content: bytes, user, dry_run: bool,
               progress: str | None = None) -> ImportReport:
    """Check and apply a workbook for `user`; saved only when nothing is wrong and not a dry
    run. Every error and warning is in the report, located by row and column. With
    `progress`, the rows checked then applied are counted under that name (ocop_portal.progress)."""
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
    reporter = (Reporter(progress, total=len(sheet.rows), stage=CHECKING)
                if progress else None)
    valid = _checked_rows(sheet.rows, user, report, reporter)
    if reporter is not None:
        reporter.set_stage(WRITING_TRIAL if dry_run else WRITING, total=len(valid))
    # History names the importing account; the command's system actor is none.
    applier = Applier(user, report, history_user=user if user.pk else None, progress=reporter)
    with transaction.atomic():
        applier.apply(valid, lock=not dry_run)
        if report.ok and not dry_run:
            applier.write()
        if dry_run or not report.ok:
            transaction.set_rollback(True)
        else:
            report.applied = True
    if reporter is not None:
        reporter.finish()
    report.sort()
    return report


def _checked_rows(rows, user, report: ImportReport, reporter: Reporter | None) -> list[RowData]:
    checker = RowChecker(user)
    valid = []
    seen_decisions = {}
    for row, values in rows:
        if reporter is not None:
            reporter.advance()
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
