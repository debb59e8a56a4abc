"""The one workbook renderer of the portal: lists for download, templates, appendices.

Cells whose text begins with = + - @ are written as text, never as formulas (CSV/Excel
injection), and every workbook is UTF-8 with full Vietnamese diacritics.

Tables (`write_table`) may carry headers that span several columns (`ColumnGroup`) and a bold
total row; `write_heading` lays out the heading of an official document (the issuing body top
left, centred titles) and `print_setup` prints a sheet on A4, landscape, one page wide, with the
table's header repeated on every page.
"""

import copy
import datetime as dt
import io
import math
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
LINE_HEIGHT = 15.75  # points taken by a line of 12 pt Times New Roman
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 16
    number_format: str | None = None
    align: str | None = None  # horizontal alignment of the body cells: "center", "right"


@dataclass(frozen=True)
class ColumnGroup:
    """A header cell spanning `span` consecutive columns, above their own headers."""

    title: str
    span: int


@dataclass(frozen=True)
class HeadingLine:
    """One line of a document heading: merged over the first `columns` columns (None: the whole
    width of the table), centred unless `align` says otherwise."""

    text: str
    bold: bool = False
    italic: bool = False
    size: int = 12
    columns: int | None = None
    align: str = "center"
    height: float | None = None


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


def text_height(text: str, width: float, *, size: float = 11, bold: bool = False) -> float:
    """The row height (points) that `text`, wrapped over columns `width` characters wide, needs.
    Excel and LibreOffice do not grow rows of wrapped text by themselves when they open a
    generated file, so the renderer sets heights from this estimate; it errs on the tall side
    (wrapping at word ends wastes part of each line; bold capitals are wider)."""
    per_line = (width * 1.4 - 5) * 11 / size
    if bold:
        per_line *= 0.85
    if str(text).isupper():
        per_line *= 0.8
    per_line = max(1.0, per_line)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
    return lines * LINE_HEIGHT * size / 12 + 3


def _font(*, bold=False, italic=False, size=None) -> Font:
    return Font(name=FONT_NAME, bold=bold, italic=italic, size=size)


def _header_cell(cell, value):
    set_cell(cell, value)
    cell.font = _font(bold=True)
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def merge_cells(sheet, first_row: int, first_column: int, last_row: int, last_column: int):
    """Merge a range and give every cell of it the style of the first one, so that borders and
    fills show on the whole merged area (Excel and LibreOffice draw each cell's own border)."""
    if (first_row, first_column) == (last_row, last_column):
        return
    sheet.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row,
                      end_column=last_column)
    origin = sheet.cell(row=first_row, column=first_column)
    for row in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            if (row, column) == (first_row, first_column):
                continue
            cell = sheet.cell(row=row, column=column)
            cell.border = copy.copy(origin.border)
            cell.fill = copy.copy(origin.fill)


def write_heading(sheet, lines: Sequence[HeadingLine], *, width: int, start_row: int = 1) -> int:
    """Write a document heading, a line a row, each merged over its columns; return the next
    free row. Rows with wrapped text get the height the line asks for."""
    row_index = start_row
    for line in lines:
        if line.text:
            cell = set_cell(sheet.cell(row=row_index, column=1), line.text)
            cell.font = _font(bold=line.bold, italic=line.italic, size=line.size)
            cell.alignment = Alignment(horizontal=line.align, vertical="center", wrap_text=True)
            merge_cells(sheet, row_index, 1, row_index, line.columns or width)
        if line.height:
            sheet.row_dimensions[row_index].height = line.height
        row_index += 1
    return row_index


def write_table(sheet, columns: Sequence[Column], rows: Iterable[Sequence], *, start_row: int = 1,
                title: str | None = None, groups: Sequence[ColumnGroup | None] | None = None,
                total: Sequence | None = None, freeze: bool = True):
    """Write a bordered table (header, then rows, then an optional bold `total` row) on a sheet;
    return the last row written.

    With `groups`, the header takes two rows: a group's title spans its columns above their own
    titles, and a column outside any group (None in `groups`, one column) has its title merged
    over both rows."""
    row_index = start_row
    if title:
        sheet.cell(row=row_index, column=1, value=title).font = _font(bold=True, size=13)
        row_index += 2
    for col_index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col_index)].width = column.width
    if groups:
        row_index = _grouped_header(sheet, columns, groups, row_index)
    else:
        for col_index, column in enumerate(columns, start=1):
            _header_cell(sheet.cell(row=row_index, column=col_index), column.title)
        _fit_height(sheet, row_index, max(
            (text_height(column.title, column.width, bold=True) for column in columns), default=0))
    header_row = row_index
    for values in rows:
        row_index += 1
        _body_row(sheet, columns, values, row_index)
    if total is not None:
        row_index += 1
        _body_row(sheet, columns, total, row_index, bold=True)
    if freeze:
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return row_index


def _grouped_header(sheet, columns, groups, row_index) -> int:
    col_index = 1
    for group in groups:
        if group is None:
            _header_cell(sheet.cell(row=row_index, column=col_index), columns[col_index - 1].title)
            _header_cell(sheet.cell(row=row_index + 1, column=col_index), None)
            merge_cells(sheet, row_index, col_index, row_index + 1, col_index)
            col_index += 1
            continue
        _header_cell(sheet.cell(row=row_index, column=col_index), group.title)
        for offset in range(group.span):
            _header_cell(sheet.cell(row=row_index + 1, column=col_index + offset),
                         columns[col_index + offset - 1].title)
        merge_cells(sheet, row_index, col_index, row_index, col_index + group.span - 1)
        col_index += group.span
    if col_index - 1 != len(columns):
        raise ValueError("Column groups must cover every column of the table.")
    return row_index + 1


def _body_row(sheet, columns, values, row_index, *, bold=False):
    height = 0.0
    for col_index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = set_cell(sheet.cell(row=row_index, column=col_index), value,
                        number_format=column.number_format)
        cell.font = _font(bold=bold)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal=column.align, vertical="top", wrap_text=True)
        if isinstance(cell.value, str):
            height = max(height, text_height(cell.value, column.width, bold=bold))
    _fit_height(sheet, row_index, height)


def _fit_height(sheet, row_index: int, height: float):
    # Only rows whose text wraps get a height; the others keep the application's default.
    if height > text_height("", 1):
        sheet.row_dimensions[row_index].height = height


def print_setup(sheet, *, title_rows: tuple[int, int] | None = None, landscape: bool = True):
    """Print on A4, one page wide (as many pages tall as needed), repeating `title_rows` (the
    table's header) at the top of every page."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if title_rows:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def table_workbook(sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence], *,
                   title: str | None = None) -> Workbook:
    """A workbook with one sheet holding one table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    write_table(sheet, columns, rows, title=title)
    header_row = 3 if title else 1
    print_setup(sheet, title_rows=(header_row, header_row))
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
