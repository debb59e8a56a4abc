import datetime as dt
import io
import tracemalloc

import pytest
from openpyxl import load_workbook

from ocop_portal.excel import (
    Column,
    OfficialDocument,
    new_workbook,
    table_workbook,
    workbook_bytes,
    write_table,
    xlsx_response,
)


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


def _document_peak(rows: int) -> int:
    """Peak memory (bytes) of making and saving a signed list of `rows` rows."""
    lines = ([n, f"Sản phẩm thử số {n} của hợp tác xã", "Huyện Chợ Đồn", dt.date(2024, 1, 1)]
             for n in range(1, rows + 1))
    columns = [Column("STT", 5), Column("Tên", 30), Column("Huyện", 14), Column("Ngày", 12)]
    tracemalloc.start()
    try:
        workbook_bytes(table_workbook("Danh sách", columns, lines, title="Danh sách",
                                      document=OfficialDocument(on=dt.date(2024, 5, 2))))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_document_is_written_in_bounded_memory():
    # Held whole, 3,000 more rows of four cells take some 6 MB; written row by row, the rows
    # leave memory as they are written and only their heights stay (8 bytes each).
    small, large = _document_peak(300), _document_peak(3300)
    assert large - small < 2_000_000, (small, large)


def test_a_row_written_out_cannot_be_changed():
    sheet = new_workbook().create_sheet("Danh sách")
    sheet.cell(row=1, column=1, value="Tiêu đề")
    sheet.cell(row=2, column=1, value="Dòng 2")
    sheet.flush(2)
    with pytest.raises(ValueError, match="Dòng 1 đã được ghi ra tệp"):
        sheet.cell(row=1, column=1, value="Sửa")
    sheet.cell(row=2, column=2, value="vẫn sửa được")  # not written out yet
    saved = load_workbook(io.BytesIO(workbook_bytes(sheet.parent)))["Danh sách"]
    assert [[cell.value for cell in row] for row in saved.iter_rows()] == [
        ["Tiêu đề", None], ["Dòng 2", "vẫn sửa được"]]


def test_a_second_table_cannot_change_the_widths_already_written():
    sheet = new_workbook().create_sheet("Tổng hợp")
    write_table(sheet, [Column("A", 10), Column("B", 12)], [["x", "y"], ["z", "t"]])
    write_table(sheet, [Column("A", 10), Column("B", 12)], [["u", "v"]], start_row=6)
    with pytest.raises(ValueError, match="Cột B đã ghi ra tệp với độ rộng 12"):
        write_table(sheet, [Column("A", 10), Column("B", 20)], [["u", "v"]], start_row=10)
    workbook_bytes(sheet.parent)  # closed, as every workbook must be (its rows are streams)
