"""Reading an uploaded workbook safely: the file's limits, its first sheet, the header row, and
every data row as raw cell values. Nothing here touches the database."""

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from products.imports import columns
from products.imports.report import Issue

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 5000
# A 5 MB workbook of text unpacks to some tens of MB; far more is a zip bomb, not a product list.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files with a password
_SAVE_AS = "Hãy mở tệp bằng Excel, chọn Lưu thành “Excel Workbook (*.xlsx)” rồi tải lên lại."


# Stands for a formula cell's value: the cell is reported once, as a formula.
FORMULA = object()


class FileRefused(Exception):
    """The file cannot be read as an import workbook at all; the message says why."""


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


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
    """Refuse content that is not an Excel workbook, whatever the file is called."""
    if content.startswith(_OLE_SIGNATURE):
        raise FileRefused(
            f"Tệp “{name}” là tệp Excel 97-2003 (.xls) đổi tên hoặc tệp có đặt mật khẩu, không "
            f"phải tệp .xlsx. {_SAVE_AS} (không đặt mật khẩu)")
    not_a_workbook = FileRefused(
        f"Tệp “{name}” có đuôi .xlsx nhưng nội dung không phải bảng tính Excel (có thể là tệp "
        f"CSV hay tệp khác được đổi tên). {_SAVE_AS}")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if "[Content_Types].xml" not in archive.namelist():
                raise not_a_workbook
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise not_a_workbook from exc
    if _XLSM_MAIN in content_types:
        raise FileRefused(f"Tệp “{name}” là tệp Excel có macro (.xlsm), cổng không nhận. "
                          f"{_SAVE_AS}")
    if _XLSX_MAIN not in content_types:
        raise not_a_workbook
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise FileRefused(f"Tệp “{name}” khi giải nén quá lớn; không phải một danh sách sản "
                          "phẩm thông thường.")


def check_file(name: str, content: bytes) -> None:
    check_name_and_size(name, len(content))
    check_content(name, content)


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
        # openpyxl warns about parts it drops (data validation extensions, unknown styles);
        # they do not matter for reading values.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # any parser failure: the file comes from a user
        raise FileRefused(f"Không đọc được tệp “{name}”: tệp bị hỏng hoặc không đúng định "
                          f"dạng .xlsx. {_SAVE_AS}") from exc
    if not workbook.worksheets:
        raise FileRefused(f"Tệp “{name}” không có trang tính nào.")
    sheet = workbook.worksheets[0]
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
    """Read the first sheet; formulas, a missing header or too many rows are errors."""
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
