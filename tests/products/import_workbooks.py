"""Workbooks for the import tests, built in code with openpyxl (no binary fixtures)."""

import datetime as dt
import io
import os
import zipfile

from openpyxl import Workbook

from products.imports.columns import COLUMNS

HEADERS = [column.title for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]

# A recognised product of Chợ Đồn, every column filled.
BASE_ROW = {
    "product_name": "Trà Shan tuyết Bằng Phúc",
    "subject_name": "Hợp tác xã Chè Bằng Phúc",
    "subject_type": "Hợp tác xã",
    "registration_number": "4700111111",
    "district": "Chợ Đồn",
    "commune": "Bằng Phúc",
    "group": "Thực phẩm",
    "stars": 3,
    "score": 62.5,
    "level": "Huyện",
    "decision_number": "101/QĐ-UBND",
    "decision_date": dt.datetime(2024, 6, 15),
    "first_year": 2023,
    "traceability": "Có",
    "standards": "VietGAP, ISO 22000",
}

# Four rows over three districts: a product of Chợ Đồn (Excel date cell), one of Na Rì given
# by codes with a dd/mm/yyyy text date, one of Thành phố Bắc Kạn not recognised yet, and a
# second product of the first producer spelt differently ("HTX", spacing, case).
CLEAN_ROWS = [
    BASE_ROW,
    {**BASE_ROW, "product_name": "Miến dong Tài Hoan", "subject_name": "HTX Tài Hoan",
     "registration_number": None, "district": "066", "commune": "02173", "stars": 4,
     "score": 75, "level": "Tỉnh", "decision_number": "2616/QĐ-UBND",
     "decision_date": "29/12/2021", "first_year": 2019, "traceability": "Không",
     "standards": None},
    {**BASE_ROW, "product_name": "Rượu ngô men lá", "subject_name": "Hộ kinh doanh Hà Ngọc Sáng",
     "subject_type": "Hộ kinh doanh", "registration_number": None,
     "district": "Thành phố Bắc Kạn", "commune": "Phường Sông Cầu", "group": "Đồ uống",
     "stars": None, "score": None, "level": None, "decision_number": None,
     "decision_date": None, "first_year": 2024, "traceability": "Có", "standards": None},
    {**BASE_ROW, "product_name": "Chè xanh Bằng Phúc", "subject_name": "htx  chè bằng phúc",
     "registration_number": None, "district": "Huyện Chợ Đồn", "commune": "02041",
     "stars": 5, "score": 92, "level": "Trung ương", "decision_number": "55/QĐ-BNN",
     "decision_date": dt.datetime(2023, 3, 1), "first_year": None,
     "standards": "Hữu cơ TCVN 11041"},
]


def row(**changes) -> dict:
    return {**BASE_ROW, **changes}


def workbook_bytes(rows, headers=None, *, sheet_title="Sản phẩm") -> bytes:
    """A workbook whose first sheet has `headers` (template v1 by default) then `rows`, each a
    {column key: value} dict; a value starting with “=” becomes a formula."""
    headers = HEADERS if headers is None else headers
    key_of = dict(zip(HEADERS, KEYS, strict=True))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    if headers:
        sheet.append(headers)
    for values in rows:
        sheet.append([values.get(key_of.get(header)) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def empty_workbook_bytes() -> bytes:
    return workbook_bytes([], headers=[])


def padded_workbook_bytes(rows, size: int) -> bytes:
    """A valid workbook grown to `size` bytes by an incompressible extra part."""
    content = workbook_bytes(rows)
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("docProps/padding.bin", os.urandom(max(size - len(content), 0)))
    return buffer.getvalue()


def csv_bytes() -> bytes:
    return ("Tên sản phẩm,Chủ thể,Loại hình chủ thể,Huyện/Thành phố,Nhóm sản phẩm\n"
            "Trà Shan tuyết,HTX Chè Bằng Phúc,Hợp tác xã,Chợ Đồn,Thực phẩm\n").encode()
