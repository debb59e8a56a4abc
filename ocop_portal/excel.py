"""The one workbook renderer of the portal: lists for download, templates, appendices.

Cells whose text begins with = + - @ are written as text, never as formulas (CSV/Excel
injection), and every workbook is UTF-8 with full Vietnamese diacritics.

Tables (`write_table`) may carry headers that span several columns (`ColumnGroup`) and a bold
total row; an empty table says "Không có" rather than showing its header alone. Every workbook
the portal hands out is a document fit to sign: `OfficialDocument` writes the national heading
opposite the issuing body, the place and date, and the signature block, as Nghị định
30/2020/NĐ-CP lays them out. `print_setup` prints a sheet on A4, one page wide, landscape when the
table is wide, with the table's header repeated on every page, and `keep_together` moves a
heading, a short table or the signature block to the next page rather than split it.

Spreadsheet applications do not grow rows of wrapped text when they open a generated file, so
every row gets its height here (`text_height`), measured with Times New Roman's metrics.

Documents are written by openpyxl's write-only mode (`new_workbook()`), so that a list of
20,000 rows takes no more memory than one of 20: a `StreamingSheet` takes cells by row and
column as a normal sheet does, holds the rows not yet finished (a heading written in two halves,
a merged area), and writes a table's rows out as soon as the next one starts. Only the heights
of the rows are kept to the end, to lay out the pages.
"""

import array
import copy
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ocop_portal import progress
from ocop_portal.text import strip_diacritics

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT_NAME = "Times New Roman"
BODY_SIZE = 11  # table cells and notes; nothing in a workbook is smaller than 10 pt
HEADING_SIZE = 13  # document titles, the motto, the place and date
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")
_FORMULA_START = ("=", "+", "-", "@")
LINE_HEIGHT = 15.75  # points taken by a line of 12 pt Times New Roman
INDENT_WIDTH = 1.5  # the room (character units) that an indent of 1 takes from a cell
POINTS_PER_WIDTH = 5.25  # a column `width` characters wide is about 7 px, 5.25 pt, per unit
_CELL_PADDING = 5.0  # points lost to the cell's inner margins, left and right together
NOTHING = "Không có"
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# The document frame of Nghị định 30/2020/NĐ-CP (Phụ lục I): the national name and motto, the
# bodies of the province, and the titles of those who sign a table of figures ("biểu").
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE = "Bắc Kạn"
PROVINCE_BODY = "UBND TỈNH BẮC KẠN"
OFFICE_BODY = "VĂN PHÒNG ĐIỀU PHỐI NTM TỈNH"
COMPILER = "NGƯỜI LẬP BIỂU"
HEAD = "THỦ TRƯỞNG ĐƠN VỊ"
SIGN_NOTE = "(Ký, ghi rõ họ tên)"
SIGNING_ROWS = 4  # blank rows left for the signature, about 2.5 cm

# A4 in points, and the margins (inches) that print_setup sets.
_A4 = (595.0, 842.0)
_MARGINS = {"left": 0.7, "right": 0.5, "top": 0.6, "bottom": 0.7}
_WIDE = 96  # a table wider than this (character units) is printed landscape


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 16
    number_format: str | None = None
    # Horizontal alignment of the body cells; numbers and dates are centred when it is None, so
    # that a number never touches the text of the next column.
    align: str | None = None


@dataclass(frozen=True)
class ColumnGroup:
    """A header cell spanning `span` consecutive columns, above their own headers."""

    title: str
    span: int


@dataclass(frozen=True)
class HeadingLine:
    """One line of a document heading: merged over the first `columns` columns (None: the whole
    width of the table), centred unless `align` says otherwise. Without `height`, the row is as
    tall as the wrapped text needs when `write_heading` knows the columns' widths."""

    text: str
    bold: bool = False
    italic: bool = False
    size: int = 12
    columns: int | None = None
    align: str = "center"
    height: float | None = None


def _times_new_roman(workbook: Workbook) -> Workbook:
    font = Font(name=FONT_NAME, size=BODY_SIZE, family=1)
    workbook._fonts = IndexedList([font])
    workbook._named_styles["Normal"].font = font
    return workbook


def new_workbook() -> "DocumentWorkbook":
    """An empty workbook, written row by row (write-only), whose default font is the documents'
    Times New Roman. Applications measure column widths in digits of the default font: with
    Calibri, absent where LibreOffice runs, it takes a wider font and every column grows by a
    quarter, and the page shrinks to fit; Times New Roman (Liberation Serif) has the same digits
    everywhere. Its sheets come from `create_sheet`."""
    return _times_new_roman(DocumentWorkbook())


def editable_workbook() -> Workbook:
    """A workbook held whole in memory, for the few that openpyxl's write-only mode cannot make
    (the import template's drop-down lists); small by nature."""
    return _times_new_roman(Workbook())


class StreamingSheet:
    """A write-only worksheet that takes cells by (row, column), as a normal one does, as long
    as the rows are finished in order: the rows after the last `flush` are held, and any of them
    may still be written, merged or made taller; `flush(row)` writes out every row above `row`.
    Everything else (widths, page setup, print titles, breaks) goes to the worksheet itself.

    Set before the first row goes out: the column widths and the frozen panes (openpyxl writes
    them at the top of the sheet). The pages fit the width from the start, as every document's
    does (`print_setup`)."""

    PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4

    def __init__(self, sheet):
        object.__setattr__(self, "_sheet", sheet)
        object.__setattr__(self, "_pending", {})
        object.__setattr__(self, "_written", 0)  # rows 1.._written are out
        object.__setattr__(self, "max_row", 0)
        object.__setattr__(self, "max_column", 0)
        object.__setattr__(self, "_heights", array.array("d"))  # by row; 0: none given
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def __getattr__(self, name):
        return getattr(self._sheet, name)

    def __setattr__(self, name, value):
        setattr(self._sheet, name, value)

    @property
    def oddFooter(self):  # noqa: N802 - openpyxl's name
        return self._sheet.HeaderFooter.oddFooter

    def cell(self, row: int, column: int, value=None):
        if row <= self._written:
            raise ValueError(f"Dòng {row} đã được ghi ra tệp; không sửa được nữa.")
        cells = self._pending.setdefault(row, {})
        cell = cells.get(column)
        if cell is None:
            cell = cells[column] = Cell(self._sheet, row=row, column=column)
            object.__setattr__(self, "max_row", max(self.max_row, row))
            object.__setattr__(self, "max_column", max(self.max_column, column))
        if value is not None:
            cell.value = value
        return cell

    def merge_cells(self, *, start_row: int, start_column: int, end_row: int, end_column: int):
        self._sheet.merged_cells.add(CellRange(min_row=start_row, min_col=start_column,
                                               max_row=end_row, max_col=end_column))

    @property
    def started(self) -> bool:
        """Whether rows have gone out (and with the first, the columns' widths)."""
        return self._written > 0

    def height(self, row: int) -> float | None:
        """The height given to row `row`, None if none was."""
        height = self._heights[row] if row < len(self._heights) else 0.0
        return height or None

    def set_height(self, row: int, height: float) -> None:
        """Give row `row` a height; a blank row given one counts as used."""
        if row <= self._written:
            raise ValueError(f"Dòng {row} đã được ghi ra tệp; không sửa được nữa.")
        if row >= len(self._heights):
            self._heights.extend([0.0] * (row + 1 - len(self._heights)))
        self._heights[row] = height
        object.__setattr__(self, "max_row", max(self.max_row, row))

    def flush(self, before: int | None = None) -> None:
        """Write out every row above `before` (all of them without it), in order, blank rows
        included (they may carry a height). Only the row's height is kept, in 8 bytes."""
        last = self.max_row if before is None else before - 1
        dimensions = self._sheet.row_dimensions
        for row in range(self._written + 1, last + 1):
            cells = self._pending.pop(row, {})
            values = [None] * (max(cells) if cells else 0)
            for column, cell in cells.items():
                values[column - 1] = cell
            height = self.height(row)
            if height:
                dimensions[row].height = height
            self._sheet.append(values)
            dimensions.pop(row, None)
        object.__setattr__(self, "_written", max(self._written, last))


class _CellRows(WriteOnlyWorksheet):
    """A write-only worksheet fed rows of finished cells (each knows its row and column).
    openpyxl's own first tries each value as a cell's value, and a cell given as a value fails
    that with an exception (and its repr) before it is taken as it is: most of a long list's
    time."""

    def _values_to_row(self, values, row_idx):
        return (cell for cell in values if cell is not None)


class DocumentWorkbook(Workbook):
    """A write-only workbook whose sheets are `StreamingSheet`s; saving writes out what they
    still hold."""

    def __init__(self):
        super().__init__(write_only=True)
        self._streaming: list[StreamingSheet] = []

    def create_sheet(self, title=None, index=None):
        worksheet = _CellRows(parent=self, title=title)
        self._add_sheet(sheet=worksheet, index=index)
        sheet = StreamingSheet(worksheet)
        self._streaming.append(sheet)
        return sheet

    def save(self, filename):
        for sheet in self._streaming:
            sheet.flush()
        super().save(filename)


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
    value = _put(cell, value)
    if isinstance(value, dt.date):
        cell.number_format = _number_format(value, None)
    if number_format:
        cell.number_format = number_format
    return cell


def _put(cell, value):
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
    return value


def _number_format(value, column_format: str | None) -> str:
    """The format a cell holding `value` is shown with: the column's, else a date's."""
    if column_format:
        return column_format
    if isinstance(value, dt.datetime):
        return "dd/mm/yyyy hh:mm"
    if isinstance(value, dt.date):
        return "dd/mm/yyyy"
    return "General"


# Advance widths of Times New Roman (thousandths of an em), by letter without its diacritics;
# bold letters are a little wider. Characters not listed count as a lowercase "n".
_GLYPHS = {
    **dict.fromkeys("ilj.,;:'!|", 278), **dict.fromkeys("frt()[]-/", 333), "s": 389,
    **dict.fromkeys("acez", 444), **dict.fromkeys("IJ", 389), " ": 250,
    **dict.fromkeys("FPS", 556), **dict.fromkeys("ELTZ", 611), **dict.fromkeys("BCR", 667),
    **dict.fromkeys("ADGHKNOQUVXY", 722), "w": 722, "m": 778, "M": 889, "W": 944, "%": 833,
    "“": 444, "”": 444, "–": 500, "—": 1000,
}
_BOLD_FACTOR = 1.08


@functools.lru_cache(maxsize=4096)
def _glyph_width(char: str) -> float:
    letters = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))
    width = _GLYPHS.get(letters[0], 500)
    # The horn of ư and ơ sticks out to the right of the letter.
    return width * (1.1 if "\u031b" in letters else 1.0)


def text_width(text: str, *, size: float = BODY_SIZE, bold: bool = False) -> float:
    """The width (points) of `text` set on one line in Times New Roman of `size` points."""
    return _em_width(str(text)) * size * (_BOLD_FACTOR if bold else 1.0)


def _em_width(text: str) -> float:
    return sum(_glyph_width(char) for char in text) / 1000


@functools.lru_cache(maxsize=8192)
def _word_width(word: str, size: float, bold: bool) -> float:
    # Words repeat over a long list (names of districts, communes, kinds): measured once each.
    return text_width(word, size=size, bold=bold)


def columns_points(width: float) -> float:
    """The room (points) that text has in columns `width` characters wide in all."""
    return max(1.0, width * POINTS_PER_WIDTH - _CELL_PADDING)


def wrapped_lines(text: str, width: float, *, size: float = BODY_SIZE, bold: bool = False) -> int:
    """How many lines `text` takes when wrapped at word ends over columns `width` characters
    wide (a word longer than a line, such as a web address, is broken where it must be)."""
    text = str(text)
    room = columns_points(width)
    if "\n" not in text and text_width(text, size=size, bold=bold) <= room:
        return 1  # most cells of a list: a short text on one line
    space = text_width(" ", size=size, bold=bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            word_width = _word_width(word, size, bold)
            needed = word_width if used == 0 else used + space + word_width
            if needed <= room:
                used = needed
                continue
            if used:
                lines += 1
            while word_width > room:  # broken over as many lines as it fills
                lines += 1
                word_width -= room
            used = word_width
    return lines


def text_height(text: str, width: float, *, size: float = 11, bold: bool = False) -> float:
    """The row height (points) that `text`, wrapped over columns `width` characters wide, needs.
    Excel and LibreOffice do not grow rows of wrapped text by themselves when they open a
    generated file, so the renderer sets heights from this estimate; it errs on the tall side
    (line spacing as Excel's, which is wider than LibreOffice's)."""
    return wrapped_lines(text, width, size=size, bold=bold) * LINE_HEIGHT * size / 12 + 3


@functools.lru_cache(maxsize=64)
def _font(*, bold=False, italic=False, size=BODY_SIZE, underline=None) -> Font:
    # One object per style, shared by every cell that has it: openpyxl validates each new
    # style object, which dominated the cost of a long workbook (the cells store a style id).
    return Font(name=FONT_NAME, bold=bold, italic=italic, size=size, underline=underline)


@functools.lru_cache(maxsize=64)
def _alignment(horizontal: str, vertical: str = "top", indent: int = 0) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True, indent=indent)


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


def _set_width(sheet, letter: str, width: float):
    """Give a column its width; a streaming sheet has written its widths with its first row,
    so a second table there must keep them (it would be drawn with the first one's)."""
    dimension = sheet.column_dimensions[letter]
    if isinstance(sheet, StreamingSheet) and sheet.started and dimension.width != width:
        raise ValueError(f"Cột {letter} đã ghi ra tệp với độ rộng {dimension.width}; bảng sau "
                         f"trên cùng trang không đổi được thành {width}.")
    dimension.width = width


def _set_height(sheet, row_index: int, height: float):
    if isinstance(sheet, StreamingSheet):
        sheet.set_height(row_index, height)
    else:
        sheet.row_dimensions[row_index].height = height


def _height(sheet, row_index: int) -> float | None:
    if isinstance(sheet, StreamingSheet):
        return sheet.height(row_index)
    return sheet.row_dimensions[row_index].height


def _grow_row(sheet, row_index: int, height: float):
    """Make a row at least `height` points tall (several cells may ask for a height)."""
    _set_height(sheet, row_index, max(_height(sheet, row_index) or 0, round(height, 2)))


def _text_cell(sheet, row_index: int, first_column: int, last_column: int, text: str, *,
               widths: Sequence[float] | None = None, bold=False, italic=False,
               size=BODY_SIZE, align="center", underline=None):
    """A line of running text merged over columns first..last, as tall as its wrapping needs
    when the columns' `widths` (the whole sheet's, from column A) are known."""
    cell = set_cell(sheet.cell(row=row_index, column=first_column), text)
    cell.font = _font(bold=bold, italic=italic, size=size, underline=underline)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    merge_cells(sheet, row_index, first_column, row_index, last_column)
    if widths:
        span = sum(widths[first_column - 1:last_column])
        _grow_row(sheet, row_index, text_height(text, span, size=size, bold=bold))
    return cell


def write_heading(sheet, lines: Sequence[HeadingLine], *, width: int, start_row: int = 1,
                  widths: Sequence[float] | None = None) -> int:
    """Write a document heading, a line a row, each merged over its columns; return the next
    free row. A line's row gets the height it asks for or, given the columns' `widths`, the
    height its wrapped text needs."""
    row_index = start_row
    for line in lines:
        if line.text:
            _text_cell(sheet, row_index, 1, line.columns or width, line.text,
                       widths=None if line.height else widths, bold=line.bold,
                       italic=line.italic, size=line.size, align=line.align)
        if line.height:
            _set_height(sheet, row_index, line.height)
        row_index += 1
    return row_index


def official_date_line(day: dt.date, place: str = PLACE) -> str:
    """The place and date of a document as Nghị định 30/2020/NĐ-CP writes them: a zero before a
    day under 10 and before months 1 and 2 ("Bắc Kạn, ngày 05 tháng 02 năm 2026", but
    "ngày 15 tháng 12")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _split(widths: Sequence[float], left: Sequence[tuple[str, int, bool]],
           right: Sequence[tuple[str, int, bool]]) -> int:
    """The last column of the left half: the split that gives the texts of either side (text,
    size, bold) the most room for what they need, so that neither wraps if it can be helped."""
    if len(widths) < 2:
        raise ValueError("Một văn bản cần ít nhất hai cột để đặt quốc hiệu đối diện cơ quan.")
    need_left = max(1.0, *(text_width(t, size=s, bold=b) for t, s, b in left))
    need_right = max(1.0, *(text_width(t, size=s, bold=b) for t, s, b in right))

    def room(last_left: int) -> float:
        left_room = columns_points(sum(widths[:last_left]))
        right_room = columns_points(sum(widths[last_left:]))
        return min(left_room / need_left, right_room / need_right)

    return max(range(1, len(widths)), key=room)


@dataclass(frozen=True)
class OfficialDocument:
    """The frame that makes a sheet a document fit to sign (Nghị định 30/2020/NĐ-CP): the
    issuing body top left (its parent body above it, plain; the body itself bold) opposite the
    national name and motto, the place and date of issue below them on the right, and at the
    end the signature block, one signer a side (the last on the right). The date is the day the
    workbook is made, in the portal's time zone (Asia/Ho_Chi_Minh)."""

    on: dt.date = field(default_factory=timezone.localdate)
    issuer: tuple[str, ...] = (PROVINCE_BODY, OFFICE_BODY)
    signers: tuple[str, ...] = (COMPILER, HEAD)
    place: str = PLACE

    @property
    def date_line(self) -> str:
        return official_date_line(self.on, self.place)

    def _issuer_lines(self) -> list[tuple[str, int, bool]]:
        return [(name, 12, index == len(self.issuer) - 1) for index, name in enumerate(self.issuer)]

    def _national_lines(self) -> list[tuple[str, int, bool]]:
        return [(NATION, 12, True), (MOTTO, HEADING_SIZE, True)]

    def _split(self, widths: Sequence[float]) -> int:
        """The last column of the left half, the same for the heading and the signatures."""
        return _split(widths, self._issuer_lines(),
                      [*self._national_lines(), (self.date_line, HEADING_SIZE, False)])

    def write_heading(self, sheet, widths: Sequence[float], *, start_row: int = 1) -> int:
        """The heading over columns of `widths`; returns the next free row (after a blank
        one)."""
        left = self._issuer_lines()
        right = self._national_lines()
        split = self._split(widths)
        last = len(widths)
        for offset, (text, size, bold) in enumerate(left):
            _text_cell(sheet, start_row + offset, 1, split, text, widths=widths, bold=bold,
                       size=size)
        for offset, (text, size, bold) in enumerate(right):
            _text_cell(sheet, start_row + offset, split + 1, last, text, widths=widths,
                       bold=bold, size=size, underline="single" if text == MOTTO else None)
        date_row = start_row + max(len(left), len(right))
        _text_cell(sheet, date_row, split + 1, last, self.date_line, widths=widths,
                   italic=True, size=HEADING_SIZE)
        return date_row + 2

    def write_signature(self, sheet, widths: Sequence[float], *, start_row: int) -> int:
        """The signature block from `start_row` (leave a blank row before it): each signer's
        title, bold, "(Ký, ghi rõ họ tên)" in italics under it, and blank rows to sign in.
        Returns its last row."""
        last = len(widths)
        split = self._split(widths)
        sides = [(1, split), (split + 1, last)][-len(self.signers):]
        for (first, end), title in zip(sides, self.signers, strict=True):
            _text_cell(sheet, start_row, first, end, title, widths=widths, bold=True, size=12)
            _text_cell(sheet, start_row + 1, first, end, SIGN_NOTE, widths=widths, italic=True,
                       size=12)
        for row_index in range(start_row + 2, start_row + 2 + SIGNING_ROWS):
            _set_height(sheet, row_index, LINE_HEIGHT)
        return start_row + 1 + SIGNING_ROWS


def write_table(sheet, columns: Sequence[Column], rows: Iterable[Sequence], *, start_row: int = 1,
                title: str | None = None, groups: Sequence[ColumnGroup | None] | None = None,
                total: Sequence | None = None, freeze: bool = True):
    """Write a bordered table (header, then rows, then an optional bold `total` row) on a sheet;
    return the last row written. A table without rows says "Không có" under its header.

    With `groups`, the header takes two rows: a group's title spans its columns above their own
    titles, and a column outside any group (None in `groups`, one column) has its title merged
    over both rows."""
    row_index = start_row
    if title:
        sheet.cell(row=row_index, column=1, value=title).font = _font(bold=True, size=13)
        row_index += 2
    for col_index, column in enumerate(columns, start=1):
        _set_width(sheet, get_column_letter(col_index), column.width)
    if groups:
        row_index = _grouped_header(sheet, columns, groups, row_index)
    else:
        for col_index, column in enumerate(columns, start=1):
            _header_cell(sheet.cell(row=row_index, column=col_index), column.title)
        _grow_row(sheet, row_index, max(
            (text_height(column.title, column.width, bold=True) for column in columns), default=0))
    header_row = row_index
    if freeze:  # before the first row goes out: openpyxl writes it at the top of the sheet
        sheet.freeze_panes = f"A{header_row + 1}"
    streaming = isinstance(sheet, StreamingSheet)
    for values in rows:
        row_index += 1
        if streaming:
            sheet.flush(row_index)  # the rows above are finished: out of memory they go
        _body_row(sheet, columns, values, row_index)
        progress.row_written()
    if row_index == header_row:
        row_index += 1
        _nothing_row(sheet, columns, row_index)
    if total is not None:
        row_index += 1
        _body_row(sheet, columns, total, row_index, bold=True)
    return row_index


def _grouped_header(sheet, columns, groups, row_index) -> int:
    col_index = 1
    top, bottom = 0.0, 0.0  # the heights the two header rows need
    tall = 0.0  # the height a title merged over both rows needs
    for group in groups:
        if group is None:
            column = columns[col_index - 1]
            _header_cell(sheet.cell(row=row_index, column=col_index), column.title)
            _header_cell(sheet.cell(row=row_index + 1, column=col_index), None)
            merge_cells(sheet, row_index, col_index, row_index + 1, col_index)
            tall = max(tall, text_height(column.title, column.width, bold=True))
            col_index += 1
            continue
        _header_cell(sheet.cell(row=row_index, column=col_index), group.title)
        spanned = columns[col_index - 1:col_index - 1 + group.span]
        top = max(top, text_height(group.title, sum(c.width for c in spanned), bold=True))
        for offset, column in enumerate(spanned):
            _header_cell(sheet.cell(row=row_index + 1, column=col_index + offset), column.title)
            bottom = max(bottom, text_height(column.title, column.width, bold=True))
        merge_cells(sheet, row_index, col_index, row_index, col_index + group.span - 1)
        col_index += group.span
    if col_index - 1 != len(columns):
        raise ValueError("Column groups must cover every column of the table.")
    _grow_row(sheet, row_index, max(top, tall - bottom))
    _grow_row(sheet, row_index + 1, bottom)
    return row_index + 1


def _body_style(sheet, *, bold: bool, horizontal: str, indent: int, number_format: str):
    """The style of a body cell, made once per workbook and copied to each cell: assigning
    font, border and alignment cell by cell makes openpyxl hash each style object every time,
    which was most of a long export's cost."""
    styles = sheet.parent.__dict__.setdefault("_ocop_body_styles", {})
    key = (bold, horizontal, indent, number_format)
    if key not in styles:
        model = Cell(sheet)
        model.font = _font(bold=bold)
        model.border = BORDER
        model.alignment = _alignment(horizontal, "top", indent)
        model.number_format = number_format
        styles[key] = model._style
    if isinstance(sheet, StreamingSheet):
        return styles[key]  # its cells go out as they are, never restyled: one array serves
    return copy.copy(styles[key])


def _body_row(sheet, columns, values, row_index, *, bold=False):
    height = text_height("", 1, bold=bold)
    for col_index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = sheet.cell(row=row_index, column=col_index)
        value = _put(cell, value)
        horizontal = column.align or _default_align(value) or "left"
        # Text set from the left starts an indent in: applications wrap it up to the cell's
        # right border, where it would touch the text of the next cell.
        indent = 1 if horizontal == "left" else 0
        # The whole style at once (the number format with it), from the workbook's few.
        cell._style = _body_style(sheet, bold=bold, horizontal=horizontal, indent=indent,
                                  number_format=_number_format(value, column.number_format))
        if isinstance(value, str):
            height = max(height, text_height(value, column.width - indent * INDENT_WIDTH,
                                             bold=bold))
    _grow_row(sheet, row_index, height)


def _default_align(value) -> str | None:
    """Numbers and dates centred, text to the left: a right-aligned figure would touch the
    left-aligned text of the next cell ("1Bánh chưng", "18/04/2027Còn hiệu lực")."""
    if isinstance(value, int | float | Decimal | dt.date) and not isinstance(value, bool):
        return "center"
    return None  # left


def _nothing_row(sheet, columns, row_index):
    """The row of an empty table: "Không có" over the whole width, so that the table reads as
    a list with nothing in it rather than a header left alone."""
    cell = set_cell(sheet.cell(row=row_index, column=1), NOTHING)
    cell.font = _font(italic=True)
    cell.border = BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    merge_cells(sheet, row_index, 1, row_index, len(columns))
    _grow_row(sheet, row_index, text_height(NOTHING, sum(c.width for c in columns)))


def sheet_width(sheet) -> float:
    """The width (character units) of the sheet's columns in use."""
    return sum(sheet.column_dimensions[get_column_letter(index)].width or 13
               for index in range(1, sheet.max_column + 1))


def print_setup(sheet, *, title_rows: tuple[int, int] | None = None,
                landscape: bool | None = None):
    """Print on A4 with the margins of an official document, one page wide (as many pages tall
    as needed), landscape when the table is too wide to be read upright (`landscape` None
    decides from the columns' widths), repeating `title_rows` (the table's header) at the top of
    every page, and the page number at the foot."""
    if landscape is None:
        landscape = sheet_width(sheet) > _WIDE
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    for side, inches in _MARGINS.items():
        setattr(sheet.page_margins, side, inches)
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.size = 10
    sheet.oddFooter.center.font = FONT_NAME
    if title_rows:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def _page_room(sheet) -> float:
    """The height (points of the sheet, before scaling) that one printed page holds."""
    width, height = _A4 if sheet.page_setup.orientation != "landscape" else _A4[::-1]
    printable_width = width - (_MARGINS["left"] + _MARGINS["right"]) * 72
    printable_height = height - (_MARGINS["top"] + _MARGINS["bottom"]) * 72
    scale = min(1.0, printable_width / (sheet_width(sheet) * POINTS_PER_WIDTH))
    return printable_height / scale * 0.97  # what the estimate of row heights may miss


def _row_height(sheet, row_index: int) -> float:
    return _height(sheet, row_index) or LINE_HEIGHT


def _title_rows(sheet) -> tuple[int, int] | None:
    rows = [int(n) for n in re.findall(r"\d+", sheet.print_title_rows or "")]
    return (rows[0], rows[-1]) if rows else None


def _paginate(sheet, blocks: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Lay the rows out on pages as the application will, estimated from the rows' heights and
    the fit-to-width scale, and return the first row of every page. A block of rows (first,
    last) that would be split across a page foot, but fits on a page, gets a manual break
    before it; the breaks already there are kept."""
    room = _page_room(sheet)
    titles = _title_rows(sheet)
    repeated = sum(_row_height(sheet, r) for r in range(titles[0], titles[1] + 1)) \
        if titles else 0.0
    manual = {brk.id + 1 for brk in sheet.row_breaks.brk}
    ends = dict(blocks)
    pages, used = [1], 0.0
    for row_index in range(1, sheet.max_row + 1):
        carried = repeated if titles and row_index > titles[1] else 0.0
        if row_index in manual and row_index > 1:
            pages.append(row_index)
            used = carried
        elif row_index in ends:
            block = sum(_row_height(sheet, r) for r in range(row_index, ends[row_index] + 1))
            if used > carried and used + block > room >= carried + block:
                sheet.row_breaks.append(Break(id=row_index - 1))
                pages.append(row_index)
                used = carried
        height = _row_height(sheet, row_index)
        if used > carried and used + height > room:  # the application breaks here itself
            pages.append(row_index)
            used = carried
        used += height
    return pages


def keep_together(sheet, blocks: Sequence[tuple[int, int]]):
    """Start a new page before any block of rows (a heading with its table's first rows, a short
    table, the signature block with the last lines above it) that would otherwise be split
    across a page foot, so that no heading is left alone at the foot of a page. Call after
    print_setup, once every row is written."""
    _paginate(sheet, blocks)


def repeat_header_if_split(sheet, header: tuple[int, int], last_row: int):
    """Repeat a table's header (rows header[0]..header[1]) at the top of the following pages
    when the table, ending at `last_row`, runs onto them; a short table kept on one page gets
    none, for it would head a page of notes and signatures with a header and no rows."""
    if any(header[1] < first <= last_row for first in _paginate(sheet)):
        sheet.print_title_rows = f"{header[0]}:{header[1]}"


def table_workbook(sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence], *,
                   title: str | None = None,
                   document: OfficialDocument | None = None) -> Workbook:
    """A workbook with one sheet holding one table. With `document`, the sheet is a document
    fit to sign: heading, title, the table, the signature block, its header repeated on every
    printed page; without, the table's header is in row 1 (3 with a title), as the import
    template needs it."""
    if document is None:
        workbook = editable_workbook()
        sheet = workbook.active
        sheet.title = sheet_title[:31]
        write_table(sheet, columns, rows, title=title)
        header_row = 3 if title else 1
        print_setup(sheet, title_rows=(header_row, header_row))
        return workbook
    workbook = new_workbook()
    sheet = workbook.create_sheet(sheet_title[:31])
    widths = [column.width for column in columns]
    header_row = document.write_heading(sheet, widths)
    if title:
        _text_cell(sheet, header_row, 1, len(columns), title, widths=widths, bold=True,
                   size=HEADING_SIZE)
        header_row += 2
    last = write_table(sheet, columns, rows, start_row=header_row)
    signature = document.write_signature(sheet, widths, start_row=last + 2)
    print_setup(sheet, title_rows=(header_row, header_row))
    keep_together(sheet, [(header_row - 2 if title else header_row, min(header_row + 2, last)),
                          (max(last - 1, header_row + 1), signature)])
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
