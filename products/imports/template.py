"""The downloadable import template v1: the header in row 1, an example row in row 2, and a
sheet “Hướng dẫn” explaining each column and the values it accepts."""

import datetime as dt
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ocop_portal.excel import Column, table_workbook, write_table
from products.imports.columns import COLUMNS
from products.imports.reader import MAX_DATA_ROWS
from products.imports.references import IMPORTABLE_STANDARDS
from products.models import CriteriaVersion, CycleStage, EvaluationLevel, ProductGroup
from subjects.models import SubjectType

TEMPLATE_FILENAME = "Mẫu nhập sản phẩm OCOP (v1).xlsx"
PRODUCT_SHEET = "Sản phẩm"
GUIDE_SHEET = "Hướng dẫn"
# Row 2 shows a filled-in row; importing it unchanged is refused (see run_import).
EXAMPLE_ROW = {
    "product_name": "Trà Shan tuyết Bằng Phúc (ví dụ)",
    "subject_name": "Hợp tác xã Chè Bằng Phúc (ví dụ)",
    "subject_type": "Hợp tác xã",
    "registration_number": "",
    "district": "Chợ Đồn",
    "commune": "Bằng Phúc",
    "group": "Thực phẩm",
    "stars": 3,
    "score": Decimal("62.5"),
    "level": "Huyện",
    "decision_number": "1234/QĐ-UBND",
    "decision_date": dt.date(2024, 6, 15),
    "first_year": 2023,
    "traceability": "Có",
    "standards": "VietGAP, ISO 22000",
    "cycle_year": 2024,
    "stage": "Quyết định công nhận",
    "score_a": Decimal("26"),
    "score_b": Decimal("15.5"),
    "score_c": Decimal("21"),
}
# Codes and numbers typed into these columns must keep their leading zeros.
TEXT_COLUMNS = ("registration_number", "district", "commune", "decision_number")

# (topic, rule) pairs for the guide sheet.
RULES = [
    ("Dòng tiêu đề", "Dòng 1 là dòng tiêu đề, giữ nguyên tên cột; mỗi sản phẩm (hoặc mỗi quyết "
     "định công nhận của một sản phẩm) ghi một dòng từ dòng 2. Xoá dòng ví dụ trước khi nhập."),
    ("Giới hạn", "Chỉ nhận tệp .xlsx, tối đa 5 MB và 5.000 dòng dữ liệu mỗi lần; chỉ đọc trang "
     "tính đầu tiên. Ô chứa công thức bị từ chối: hãy dán giá trị."),
    ("Tất cả hoặc không", "Nếu có một lỗi, không dòng nào được lưu. Trang xem trước liệt kê "
     "mọi lỗi với số dòng và tên cột."),
    ("Nhận ra chủ thể", "Theo Mã số thuế/ĐKKD; nếu không có mã, theo tên trong cùng huyện "
     "(không phân biệt hoa thường, dấu cách, cách viết “HTX”/“Hợp tác xã”). Dòng đầu tiên của "
     "một chủ thể mới tạo chủ thể với thông tin của dòng đó."),
    ("Nhận ra sản phẩm", "Theo tên và chủ thể. Một dòng có số quyết định mới của sản phẩm đã "
     "có sẽ thêm quyết định đó (nâng hạng hoặc công nhận lại), vì vậy có thể ghi lịch sử một "
     "sản phẩm qua nhiều dòng, mỗi dòng một quyết định."),
    ("Nhập lại", "Dòng trùng với dữ liệu đã có không thay đổi gì: nhập lại cùng một tệp không "
     "tạo thêm bản ghi. Nhập Excel không sửa thông tin chủ thể, sản phẩm hay đánh giá đã có; "
     "khác biệt được báo dưới dạng cảnh báo, hoặc lỗi nếu cùng số quyết định mà khác số sao "
     "hay ngày."),
    ("Giấy chứng nhận", "Sản phẩm đạt 3 sao trở lên được cấp giấy chứng nhận có hiệu lực 36 "
     "tháng kể từ ngày quyết định; quyết định mới thay thế giấy chứng nhận trước đó."),
    ("Phạm vi", "Cán bộ cấp huyện chỉ nhập được sản phẩm của huyện mình."),
]


def _guide(workbook):
    sheet = workbook.create_sheet(GUIDE_SHEET)
    last = write_table(
        sheet, [Column("Cột", 24), Column("Giá trị được nhận", 90), Column("Bắt buộc", 14)],
        [[column.title, column.values, column.required] for column in COLUMNS],
        title="Hướng dẫn nhập danh sách sản phẩm OCOP (mẫu v1)")
    groups_start = last + 3
    groups = ProductGroup.objects.filter(criteria_version=CriteriaVersion.QD_148_2023,
                                         parent__isnull=True).order_by("position", "code")
    groups_last = write_table(sheet, [Column("Nhóm sản phẩm (QĐ 148/QĐ-TTg, 2023)", 24)],
                              [[group.name] for group in groups], start_row=groups_start)
    last = write_table(sheet, [Column("Tiêu chuẩn chất lượng được nhận", 24)],
                       [[standard.label] for standard in IMPORTABLE_STANDARDS],
                       start_row=groups_last + 2)
    write_table(sheet, [Column("Quy tắc chung", 24), Column("Nội dung", 90)],
                [list(rule) for rule in RULES], start_row=last + 2)
    sheet.freeze_panes = None
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return f"'{GUIDE_SHEET}'!$A${groups_start + 1}:$A${groups_last}"


def _validations(sheet, groups_range: str):
    """Drop-down lists for the columns with fixed values (typing another value is refused)."""
    lists = {
        "subject_type": '"' + ",".join(label for _, label in SubjectType.choices) + '"',
        "group": groups_range,
        "stars": '"3,4,5"',
        "level": '"' + ",".join(label.removeprefix("Cấp ").capitalize()
                                for _, label in EvaluationLevel.choices) + '"',
        "traceability": '"Có,Không"',
        "stage": '"' + ",".join(label for _, label in CycleStage.choices) + '"',
    }
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
        if column.key in lists:
            validation = DataValidation(type="list", formula1=lists[column.key],
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle=column.title,
                                        error=f"Giá trị không hợp lệ: {column.values}"[:255])
            validation.add(f"{letter}2:{letter}{MAX_DATA_ROWS + 1}")
            sheet.add_data_validation(validation)


def template_workbook():
    """The template workbook: sheet “Sản phẩm” (header, example row) and “Hướng dẫn”."""
    workbook = table_workbook(
        PRODUCT_SHEET,
        [Column(column.title, column.width, "@" if column.key in TEXT_COLUMNS else None)
         for column in COLUMNS],
        [[EXAMPLE_ROW[column.key] for column in COLUMNS]])
    groups_range = _guide(workbook)
    _validations(workbook[PRODUCT_SHEET], groups_range)
    return workbook
