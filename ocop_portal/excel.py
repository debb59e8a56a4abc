"""The one workbook renderer of the portal: lists for download, templates, appendices.

Cells whose text begins with = + - @ are written as text, never as formulas (CSV/Excel
injection), and every workbook is UTF-8 with full Vietnamese diacritics.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ocop_portal.text import strip_diacritics

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")
_FORMULA_START = ("=", "+", "-", "@")
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 16
    number_format: str | None = None


def safe_value(value):
    """A value as it may go into a cell: text that looks like a formula stays text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write the local wall-clock time.
        if timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return _ILLEGAL_CHARACTERS.sub("", str(value))


def set_cell(cell, value, *, number_format=None):
    """Write a value; text starting with = + - @ is stored as a string cell, not a formula."""
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
    if isinstance(value, dt.datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "dd/mm/yyyy"
    if number_format:
        cell.number_format = number_format
    return cell


def write_table(sheet, columns: Sequence[Column], rows: Iterable[Sequence], *, start_row: int = 1,
                title: str | None = None):
    """Write a bordered table (header, then rows) on a sheet; return the last row written."""
    row_index = start_row
    if title:
        sheet.cell(row=row_index, column=1, value=title).font = Font(name=FONT_NAME, bold=True,
                                                                     size=13)
        row_index += 2
    for col_index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row_index, column=col_index)
        set_cell(cell, column.title)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col_index)].width = column.width
    header_row = row_index
    for values in rows:
        row_index += 1
        for col_index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = set_cell(sheet.cell(row=row_index, column=col_index), value,
                            number_format=column.number_format)
            cell.font = Font(name=FONT_NAME)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return row_index


def table_workbook(sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence], *,
                   title: str | None = None) -> Workbook:
    """A workbook with one sheet holding one table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    write_table(sheet, columns, rows, title=title)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Workbook | bytes, filename: str) -> HttpResponse:
    """An attachment response; the Vietnamese file name survives (RFC 6266 filename*)."""
    content = workbook if isinstance(workbook, bytes) else workbook_bytes(workbook)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    ascii_name = strip_diacritics(filename).replace('"', "").encode("ascii", "ignore").decode()
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name or "ocop.xlsx"}"; filename*=UTF-8\'\'{quote(filename)}'
    )
    return response
