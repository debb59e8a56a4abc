import datetime as dt
import io

from openpyxl import load_workbook

from ocop_portal.excel import Column, table_workbook, workbook_bytes, xlsx_response


def _reload(workbook):
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


def test_text_that_looks_like_a_formula_is_written_as_text():
    workbook = table_workbook("Danh sách", [Column("Tên"), Column("Ghi chú")], [
        ["=HYPERLINK(\"http://x\")", "+1"], ["-2", "@SUM(A1)"], ["Trà Shan tuyết", None]])
    sheet = _reload(workbook).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [['=HYPERLINK("http://x")', "+1"], ["-2", "@SUM(A1)"],
                      ["Trà Shan tuyết", None]]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2, max_row=3)
               for cell in row)


def test_dates_are_dates_shown_day_first():
    workbook = table_workbook("Ngày", [Column("Ngày")], [[dt.date(2024, 2, 29)]])
    cell = _reload(workbook).active["A2"]
    assert cell.value == dt.datetime(2024, 2, 29)
    assert cell.number_format == "dd/mm/yyyy"


def test_download_keeps_the_vietnamese_file_name():
    response = xlsx_response(table_workbook("A", [Column("A")], []), "Phụ lục 1 năm 2024.xlsx")
    disposition = response["Content-Disposition"]
    assert 'filename="Phu luc 1 nam 2024.xlsx"' in disposition
    assert "filename*=UTF-8''Ph%E1%BB%A5%20l%E1%BB%A5c%201%20n%C4%83m%202024.xlsx" in disposition
