"""Reading an uploaded workbook safely: the file's limits, its first sheet, the header row, and
every data row as raw cell values. Nothing here touches the database."""

import io
import posixpath
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from products.imports import columns
from products.imports.report import Issue

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 5000
# What the first sheet may hold, checked on the file's XML before openpyxl reads any of it: a
# 545 KB file of one row of 5 million cells kept a worker busy 111 s and grew it to 4.65 GB.
# The template's columns with room for some of the user's own (notes, running numbers)...
MAX_COLUMNS = len(columns.COLUMNS) + 30
# ...and twice the data rows, for blank or formatted rows among and below the data and so that
# a sheet of a few more than 5,000 products still gets the message naming the first row over.
MAX_SHEET_ROWS = 2 * MAX_DATA_ROWS
# Every column of the header and of 5,000 data rows filled.
MAX_CELLS = MAX_COLUMNS * (MAX_DATA_ROWS + 1)
# A full template (5,000 rows × 20 columns) unpacks to about 4 MB; spreadsheet XML deflates 10
# to 30 times. Far more, or a large part deflated far more, is a zip bomb, not a product list.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
_UNPACKED_LIMIT = f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB"
_RATIO_CHECKED_FROM = 1024 * 1024
# openpyxl builds every XML element of the parts it parses on opening the workbook (the shared
# strings, the styles: a 16 KB styles.xml of 2 million <xf/> took it 51 s and 1.2 GB), then of
# the first sheet. A cell is two elements (<c><v>), three with an inline string or a formula.
_ELEMENTS_PER_CELL = 4
_SHEET_ELEMENTS = _ELEMENTS_PER_CELL * MAX_CELLS
_STRINGS_ELEMENTS = _ELEMENTS_PER_CELL * MAX_CELLS
_PART_ELEMENTS = 50_000  # styles, workbook, relationships, properties
_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files with a password
_SAVE_AS = "Hãy mở tệp bằng Excel, chọn Lưu thành “Excel Workbook (*.xlsx)” rồi tải lên lại."
_FRESH_TEMPLATE = ("Hãy sao chép các ô dữ liệu, dán đặc biệt “Chỉ giá trị” vào tệp mẫu mới tải "
                   "từ cổng rồi tải lên lại.")


# Stands for a formula cell's value: the cell is reported once, as a formula.
FORMULA = object()


class FileRefused(Exception):
    """The file cannot be read as an import workbook at all; the message says why."""


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _damaged(name: str) -> FileRefused:
    return FileRefused(f"Không đọc được tệp “{name}”: tệp bị hỏng hoặc không đúng định dạng "
                       f".xlsx. {_SAVE_AS}")


def check_name_and_size(name: str, size: int) -> None:
    """Refuse a file that is not named .xlsx, is empty or is over 5 MB."""
    if PurePath(name or "").suffix.lower() != ".xlsx":
        raise FileRefused(f"Tệp “{name}” không phải tệp Excel .xlsx. {_SAVE_AS}")
    if size == 0:
        raise FileRefused(f"Tệp “{name}” trống (0 byte).")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"Tệp “{name}” nặng {_megabytes(size)} MB, vượt giới hạn 5 MB mỗi lần nhập. "
            "Hãy xoá ảnh, định dạng thừa hoặc chia thành nhiều tệp nhỏ hơn.")


def check_content(name: str, content: bytes) -> None:
    """Refuse content that is not an Excel workbook, whatever the file is called, or whose
    parts would cost far more to read than the largest import (see MAX_CELLS)."""
    if content.startswith(_OLE_SIGNATURE):
        raise FileRefused(
            f"Tệp “{name}” là tệp Excel 97-2003 (.xls) đổi tên hoặc tệp có đặt mật khẩu, không "
            f"phải tệp .xlsx. {_SAVE_AS} (không đặt mật khẩu)")
    not_a_workbook = FileRefused(
        f"Tệp “{name}” có đuôi .xlsx nhưng nội dung không phải bảng tính Excel (có thể là tệp "
        f"CSV hay tệp khác được đổi tên). {_SAVE_AS}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise not_a_workbook from exc
    with archive:
        # From the central directory, before anything is unpacked.
        _check_unpacked_size(name, archive.infolist())
        if "[Content_Types].xml" not in archive.namelist():
            raise not_a_workbook
        try:
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if _XLSM_MAIN in content_types:
                raise FileRefused(f"Tệp “{name}” là tệp Excel có macro (.xlsm), cổng không "
                                  f"nhận. {_SAVE_AS}")
            if _XLSX_MAIN not in content_types:
                raise not_a_workbook
            _Package(name, archive).check()
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError,
                expat.ExpatError) as exc:
            raise _damaged(name) from exc


def check_file(name: str, content: bytes) -> None:
    check_name_and_size(name, len(content))
    check_content(name, content)


def _check_unpacked_size(name: str, infos: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(
            f"Tệp “{name}” khi giải nén lên tới {_megabytes(unpacked)} MB, vượt giới hạn "
            f"{_UNPACKED_LIMIT}; không phải một danh sách sản phẩm thông thường. "
            f"{_FRESH_TEMPLATE}")
    for info in infos:
        if (info.file_size > _RATIO_CHECKED_FROM
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise FileRefused(
                f"Tệp “{name}” có phần “{info.filename}” giải nén ra "
                f"{_megabytes(info.file_size)} MB, gấp {_thousands(ratio)} lần khi nén (bảng "
                "tính thông thường chỉ gấp 10 đến 30 lần): đây là dấu hiệu của tệp nén độc "
                f"hại, không phải một danh sách sản phẩm. {_FRESH_TEMPLATE}")


# What opening a workbook with openpyxl 3.1 (read-only, without external links) parses, found
# the way it finds it: the workbook part from [Content_Types].xml, its sheets in workbook.xml
# (the last <sheets> element wins), their parts through the workbook's relationships.
_WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    _XLSM_MAIN, _XLSX_MAIN)
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROW = f"{_MAIN_NS} row"
_DIMENSION = f"{_MAIN_NS} dimension"
_COORDINATE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_COLUMN_OF = {get_column_letter(index): index for index in range(1, 18279)}  # A to ZZZ
_CHUNK = 64 * 1024
# expat 2.5 parses a token cut by the end of a chunk again from its start with each chunk, so a
# 45 MB comment costs it minutes (openpyxl reads 16 KB chunks). Between two tags there is at
# most a cell's text: 32,767 characters, under 100 KB in UTF-8.
_MAX_UNTAGGED_BYTES = 512 * 1024


def _local(tag: str) -> str:
    return tag.rpartition(" ")[2]


def _rels_path(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


@dataclass
class _FirstSheet:
    title: str
    part: str


class _Package:
    """Streams, through expat, each part that opening the workbook parses and then its first
    worksheet, counting elements and unpacked bytes; refuses the file as soon as one is past
    its budget, before openpyxl reads any of it."""

    def __init__(self, name: str, archive: zipfile.ZipFile):
        self.name = name
        self.archive = archive
        self.members = set(archive.namelist())
        self.unpacked = 0

    def check(self) -> None:
        for part in ("docProps/core.xml", "docProps/custom.xml"):
            self._stream(part, _PART_ELEMENTS)
        self._stream("xl/styles.xml", _PART_ELEMENTS, what="bảng kiểu định dạng ô")
        sheet = self.first_worksheet(check=True)
        if sheet is not None:
            shape = _SheetShape(self.name, sheet.title)
            self._stream(sheet.part, _SHEET_ELEMENTS, shape.start, shape.end,
                         what=f"trang tính đầu tiên (“{sheet.title}”)")

    def first_worksheet(self, *, check: bool = False) -> _FirstSheet | None:
        """The sheet openpyxl gives as worksheets[0]; with `check`, also stream the shared
        strings and what it reads of every sheet on opening (relationships, chartsheets)."""
        overrides, defaults = self._content_types()
        if check and (strings := overrides.get(_STRINGS_TYPE)):
            self._stream(strings[1:], _STRINGS_ELEMENTS, what="bảng chuỗi văn bản dùng chung")
        workbook = next((overrides[kind] for kind in _WORKBOOK_TYPES if kind in overrides),
                        "/xl/workbook.xml" if defaults & set(_WORKBOOK_TYPES) else None)
        if workbook is None:
            return None  # openpyxl cannot open it either
        relations = self._relations(workbook[1:])
        first = None
        for title, relation_id in self._sheets(workbook[1:]):
            if relation_id not in relations:
                break  # opening fails on it
            kind, target = relations[relation_id]
            if target not in self.members:
                continue
            if "chartsheet" in kind:
                if check:
                    self._stream_chartsheet(target)
            elif first is None:
                first = _FirstSheet(title, target)
            if check:
                self._stream(_rels_path(target), _PART_ELEMENTS)
            elif first is not None:
                break
        return first

    def _content_types(self) -> tuple[dict[str, str], set[str]]:
        overrides: dict[str, str] = {}
        defaults: set[str] = set()

        def collect(tag, attrs, depth):
            if depth == 2 and _local(tag) == "Override":
                overrides.setdefault(attrs.get("ContentType"), attrs.get("PartName") or "/")
            elif depth == 2 and _local(tag) == "Default":
                defaults.add(attrs.get("ContentType"))

        self._stream("[Content_Types].xml", _PART_ELEMENTS, collect)
        return overrides, defaults

    def _sheets(self, workbook: str) -> list[tuple[str, str]]:
        """(title, relationship id) of each sheet that has an id, in order."""
        found: list[tuple[str, str]] = []
        in_sheets = False

        def collect(tag, attrs, depth):
            nonlocal in_sheets
            if depth == 2:
                in_sheets = _local(tag) == "sheets"
                if in_sheets:
                    found.clear()  # openpyxl keeps the last <sheets>
            elif depth == 3 and in_sheets:
                relation_id = attrs.get(f"{_REL_NS} id") or attrs.get("id")
                if relation_id:
                    found.append((attrs.get("name", ""), relation_id))

        self._stream(workbook, _PART_ELEMENTS, collect)
        return found

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """{id: (type, target)} of a part's relationships, internal targets as archive names."""
        relations: dict[str, tuple[str, str]] = {}
        path = _rels_path(part)
        parent = posixpath.split(posixpath.dirname(path))[0]

        def collect(tag, attrs, depth):
            if depth != 2:
                return
            target = attrs.get("Target") or ""
            if attrs.get("TargetMode") != "External":
                target = target[1:] if target.startswith("/") else posixpath.normpath(
                    posixpath.join(parent, target))
            relations[attrs.get("Id")] = (attrs.get("Type") or "", target)

        self._stream(path, _PART_ELEMENTS, collect)
        return relations

    def _stream_chartsheet(self, part: str) -> None:
        """openpyxl reads a chartsheet whole, with its drawings and their charts."""
        self._stream(part, _PART_ELEMENTS)
        for kind, drawing in self._relations(part).values():
            if kind.endswith("/drawing"):
                self._stream(drawing, _PART_ELEMENTS)
                for kind, chart in self._relations(drawing).values():
                    if kind.endswith("/chart"):
                        self._stream(chart, _PART_ELEMENTS)
                        self._stream(_rels_path(chart), _PART_ELEMENTS)

    def _stream(self, part: str, limit: int, on_start=None, on_end=None, *,
                what: str | None = None) -> None:
        """Parse `part`, if present, calling on_start(tag, attrs, depth) for each element (tag
        is "namespace local"); past `limit` elements or the unpacked budget, refuse the file."""
        if part not in self.members:
            return
        parser = expat.ParserCreate(namespace_separator=" ")
        depth = elements = read = tagged = 0

        def count(tag, attrs):
            nonlocal elements, tagged
            elements += 1
            tagged = read
            if elements > limit:
                raise FileRefused(
                    f"Tệp “{self.name}” có {what or f'phần “{part}”'} quá lớn (hơn "
                    f"{_thousands(limit)} phần tử XML), quá sức một danh sách sản phẩm thông "
                    f"thường. {_FRESH_TEMPLATE}")

        def start(tag, attrs):
            nonlocal depth
            depth += 1
            count(tag, attrs)
            on_start(tag, attrs, depth)

        def end(tag):
            nonlocal depth, tagged
            tagged = read
            if on_end is not None:
                on_end(tag, depth)
            depth -= 1

        def no_doctype(*args):
            # No part of a workbook declares one; its entities could expand without bound.
            raise _damaged(self.name)

        if on_start is None:
            parser.StartElementHandler = count
        else:
            parser.StartElementHandler = start
            parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = no_doctype
        with self.archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                # zipfile stops at the size in the central directory, already checked, but a
                # part is read again for each sheet that shares it: count what is unpacked.
                self.unpacked += len(chunk)
                if self.unpacked > MAX_UNPACKED_BYTES:
                    raise FileRefused(
                        f"Tệp “{self.name}” khi giải nén vượt giới hạn {_UNPACKED_LIMIT} "
                        f"(ở phần “{part}”); không phải một danh sách sản phẩm thông "
                        f"thường. {_FRESH_TEMPLATE}")
                read += len(chunk)
                parser.Parse(chunk, False)
                if read - tagged > _MAX_UNTAGGED_BYTES:
                    raise FileRefused(
                        f"Tệp “{self.name}” có phần “{part}” chứa một đoạn dài hơn "
                        f"{_MAX_UNTAGGED_BYTES // 1024} KB không có thẻ nào, trong khi một ô "
                        "Excel chỉ chứa tối đa 32.767 ký tự; không phải một danh sách sản "
                        f"phẩm thông thường. {_FRESH_TEMPLATE}")
        parser.Parse(b"", True)


def _position(coordinate: str | None) -> tuple[int, int] | None:
    """(column, row) of a reference such as “AB12”, None if it is not one."""
    match = _COORDINATE.fullmatch(coordinate or "")
    if match is None:
        return None
    return column_index_from_string(match[1].upper()), int(match[2])


def _column(coordinate: str | None, previous: int) -> int:
    """A cell's column as openpyxl reads its r, else the next one."""
    if coordinate:
        column = _COLUMN_OF.get(coordinate.rstrip("0123456789"))  # most often “AB12”
        if column is None:
            position = _position(coordinate)
            column = position[0] if position else None
        if column is not None:
            return column
    return previous + 1


def _row_number(value: str | None, previous: int) -> int:
    """A row's number as openpyxl reads its r (“12” or “12.0”), else the next one."""
    try:
        number = float(value or "")
    except ValueError:
        return previous + 1
    return int(number) if number.is_integer() else previous + 1


class _SheetShape:
    """The first worksheet's extent as openpyxl will read it: each row numbered by its r or one
    after the last, each child of a row a cell in the column of its r or the next one."""

    def __init__(self, name: str, title: str):
        self.where = f"Trang tính đầu tiên (“{title}”) của tệp “{name}”"
        self.row = self.column = self.cells = 0
        self.row_depth = 0

    def start(self, tag: str, attrs: dict, depth: int) -> None:
        if self.row_depth and depth == self.row_depth + 1:
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise FileRefused(
                    f"{self.where} có hơn {_thousands(MAX_CELLS)} ô, vượt quá mức mẫu nhập có "
                    f"thể chứa ({MAX_COLUMNS} cột × {_thousands(MAX_DATA_ROWS + 1)} dòng); hãy "
                    f"chỉ giữ các cột của mẫu và tối đa {_thousands(MAX_DATA_ROWS)} dòng dữ "
                    "liệu.")
            self.column = _column(attrs.get("r"), self.column)
            if self.column > MAX_COLUMNS:
                raise FileRefused(
                    f"{self.where} có ô ở cột {get_column_letter(self.column)} (cột thứ "
                    f"{_thousands(self.column)}), vượt quá {MAX_COLUMNS} cột mẫu nhập có thể "
                    f"chứa ({len(columns.COLUMNS)} cột của mẫu và các cột ghi thêm); hãy xoá "
                    "các cột thừa bên phải, kể cả cột trống đã định dạng.")
        if tag == _ROW:
            self.row = _row_number(attrs.get("r"), self.row)
            self.column = 0
            self.row_depth = depth
            if self.row > MAX_SHEET_ROWS:
                raise FileRefused(
                    f"{self.where} có dòng {_thousands(self.row)}, vượt quá "
                    f"{_thousands(MAX_SHEET_ROWS)} dòng mẫu nhập có thể chứa (tối đa "
                    f"{_thousands(MAX_DATA_ROWS)} dòng dữ liệu mỗi lần nhập); hãy xoá các "
                    "dòng thừa phía dưới, kể cả dòng trống đã định dạng, hoặc chia thành "
                    "nhiều tệp.")
        elif tag == _DIMENSION:
            last = (attrs.get("ref") or "").rpartition(":")[2]
            position = _position(last)
            if position and (position[0] > MAX_COLUMNS or position[1] > MAX_SHEET_ROWS):
                raise FileRefused(
                    f"{self.where} khai báo vùng dữ liệu đến ô {last} "
                    f"({_thousands(position[0])} cột × {_thousands(position[1])} dòng), vượt "
                    f"quá mức mẫu nhập có thể chứa ({MAX_COLUMNS} cột × "
                    f"{_thousands(MAX_SHEET_ROWS)} dòng); hãy xoá các cột và dòng thừa, kể cả "
                    "ô trống đã định dạng, rồi lưu lại.")

    def end(self, tag: str, depth: int) -> None:
        if depth == self.row_depth:
            self.row_depth = 0


@dataclass
class SheetData:
    """The first sheet: the template columns found in the header, and the non-empty data rows
    as {column key: raw cell value}, with their worksheet row numbers."""

    title: str = ""
    column_of: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    # Errors that make checking the rows pointless: no usable header, too many rows.
    fatal: bool = False


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _formula(cell) -> bool:
    return cell.data_type == "f"


def _open_first_sheet(name: str, content: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            checked = _Package(name, archive).first_worksheet()
        # openpyxl warns about parts it drops (data validation extensions, unknown styles);
        # they do not matter for reading values. External links are not needed either.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False,
                                     keep_links=False)
    except FileRefused:
        raise
    except Exception as exc:  # any parser failure: the file comes from a user
        raise _damaged(name) from exc
    if not workbook.worksheets:
        workbook.close()
        raise FileRefused(f"Tệp “{name}” không có trang tính nào.")
    sheet = workbook.worksheets[0]
    # check_content measured the part it found as the first sheet; should openpyxl read another
    # one (its private _worksheet_path is the part it streams), that one was not measured.
    if checked is None or getattr(sheet, "_worksheet_path", None) != checked.part:
        workbook.close()
        raise _damaged(name)
    # The dimension written in the file may be wrong (or huge): read what the rows hold.
    sheet.reset_dimensions()
    return workbook, sheet


def _read_header(sheet_data: SheetData, header_cells) -> dict[int, str]:
    """Map the header row; record missing, repeated and unknown columns."""
    titles = {}
    for index, cell in enumerate(header_cells, start=1):
        if _is_blank(cell.value):
            continue
        titles[index] = str(cell.value).strip()
        key = columns.KEY_BY_HEADER.get(columns.header_key(cell.value))
        if key is None:
            sheet_data.warnings.append(Issue(
                "cột không có trong mẫu nhập, được bỏ qua.", 1, titles[index]))
        elif key in sheet_data.column_of:
            first = get_column_letter(sheet_data.column_of[key])
            sheet_data.errors.append(Issue(
                f"cột này có hai lần (cột {first} và cột {get_column_letter(index)}); "
                "mỗi cột chỉ ghi một lần.", 1, columns.title(key)))
        else:
            sheet_data.column_of[key] = index
    for key in columns.REQUIRED_KEYS:
        if key not in sheet_data.column_of:
            sheet_data.errors.append(Issue(
                "thiếu cột bắt buộc ở dòng tiêu đề. Dòng 1 phải là dòng tiêu đề của tệp mẫu, "
                "giữ nguyên tên cột.", 1, columns.title(key)))
    return titles


def _column_name(titles: dict[int, str], index: int) -> str:
    return titles.get(index) or f"{get_column_letter(index)} (không có tiêu đề)"


def read_sheet(name: str, content: bytes) -> SheetData:
    """Read the first sheet of content that passed check_content; formulas, a missing header
    or too many rows are errors."""
    workbook, sheet = _open_first_sheet(name, content)
    data = SheetData(title=sheet.title)
    try:
        rows = sheet.iter_rows()
        header = next(rows, ())
        if all(_is_blank(cell.value) for cell in header):
            data.errors.append(Issue(
                f"trang tính đầu tiên (“{sheet.title}”) trống: không có dòng tiêu đề. Hãy dán "
                "dữ liệu vào trang đầu tiên của tệp mẫu, tiêu đề ở dòng 1.", 1))
            data.fatal = True
            return data
        titles = _read_header(data, header)
        data.fatal = bool(data.errors)
        _read_rows(data, titles, [(1, header)])
        _read_rows(data, titles, enumerate(rows, start=2))
        if not data.rows and not data.errors:
            data.errors.append(Issue(
                "không có dòng dữ liệu nào dưới dòng tiêu đề; mỗi sản phẩm ghi một dòng, bắt "
                "đầu từ dòng 2.", 2))
    finally:
        workbook.close()
    return data


def _read_rows(data: SheetData, titles: dict[int, str], rows):
    """Collect the non-empty rows' template cells; a formula anywhere is an error and its
    cell holds FORMULA, so that it is not also reported as blank."""
    key_of = {index: key for key, index in data.column_of.items()}
    for row_number, cells in rows:
        values = {}
        for index, cell in enumerate(cells, start=1):
            if _is_blank(cell.value):
                continue
            if _formula(cell):
                data.errors.append(Issue(_formula_message(cell.value), row_number,
                                         _column_name(titles, index)))
                values[key_of.get(index, index)] = FORMULA
            elif index in key_of:
                values[key_of[index]] = cell.value
            else:
                values.setdefault(index, cell.value)  # outside the template, not read
        if row_number == 1 or not values:
            continue
        if len(data.rows) == MAX_DATA_ROWS:
            data.errors.append(Issue(
                f"tệp có hơn {_thousands(MAX_DATA_ROWS)} dòng dữ liệu, vượt giới hạn mỗi lần "
                f"nhập (dòng này là dòng thứ {_thousands(MAX_DATA_ROWS + 1)}). Hãy chia thành "
                "nhiều tệp.", row_number))
            data.fatal = True
            return
        data.rows.append((row_number, {k: v for k, v in values.items() if isinstance(k, str)}))


def _formula_message(formula) -> str:
    text = str(getattr(formula, "text", formula))
    if len(text) > 40:
        text = text[:40] + "…"
    return (f"ô chứa công thức “{text}”. Cổng chỉ nhận giá trị: hãy sao chép rồi dán đặc biệt "
            "“Chỉ giá trị” (Paste Special → Values) thay cho công thức.")
