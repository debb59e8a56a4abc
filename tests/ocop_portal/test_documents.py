"""Every workbook the portal hands out is a document fit to sign (Nghị định 30/2020/NĐ-CP): the
national name and motto opposite the issuing body, the place and the day it was made, the
signatures at the end; nothing clipped or run together, nothing under 10 pt, an empty list that
says "Không có", the plan's total that says when the districts' quotas do not add up to it, and
headings that stay with their tables on paper.

The six workbooks are read back from their bytes, as the user opens them: Phụ lục 1 and 2, the
monthly report, and the lists of products, producers and media items."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from communications.exports import media_items_workbook
from communications.selectors import media_item_list_for_user
from ocop_portal.excel import (
    BODY_SIZE,
    COMPILER,
    HEAD,
    INDENT_WIDTH,
    MOTTO,
    NATION,
    NOTHING,
    SIGN_NOTE,
    SIGNING_ROWS,
    columns_points,
    editable_workbook,
    keep_together,
    new_workbook,
    official_date_line,
    print_setup,
    text_height,
    text_width,
    workbook_bytes,
)
from products.exports import product_workbook
from products.selectors import product_list_for_user
from subjects.exports import subject_workbook
from subjects.selectors import subject_list_for_user
from targets.appendix import appendix_data, appendix_workbook
from targets.models import Indicator, Plan, Quota
from targets.monthly import month_figures, month_workbook
from targets.services import quota_set
from tests.communications.factories import MediaItemFactory, local
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import traceability

pytestmark = pytest.mark.django_db

WORKBOOKS = ["Phụ lục 1", "Phụ lục 2", "Báo cáo tháng", "Sản phẩm", "Chủ thể", "Tin bài"]
PLAN_WORKBOOKS = WORKBOOKS[:3]
LISTS = WORKBOOKS[3:]
# 18:30 UTC on 4 December is 01:30 on the 5th in Hà Nội: the date line is the local day.
MADE_AT = dt.datetime(2026, 12, 4, 18, 30, tzinfo=dt.UTC)
DATE_LINE = "Bắc Kạn, ngày 05 tháng 12 năm 2026"
MAY = dt.date(2024, 5, 1)
# The sheet that carries the heading and the signatures in each workbook.
DOCUMENT_SHEET = {"Phụ lục 1": "Phụ lục 1", "Phụ lục 2": "Phụ lục 2",
                  "Báo cáo tháng": "Tổng hợp", "Sản phẩm": "Sản phẩm OCOP",
                  "Chủ thể": "Chủ thể OCOP", "Tin bài": "Tin bài truyền thông"}


@pytest.fixture
def records(reference_data):
    """Products recognised in May 2024 in Chợ Đồn and Na Rì (one with traceability), their
    producers, and media items of May."""
    for code, name in (("064", "Trà Shan tuyết Bằng Phúc"), ("066", "Miến dong Côn Minh")):
        product = ProductFactory(name=name, subject=SubjectFactory(district=district(code)))
        recognise(product, 4, dt.date(2024, 5, 10))
    traceability(product, dt.date(2024, 5, 12))
    for day in (3, 20):
        MediaItemFactory(district=district("064"), published_at=local(2024, 5, day, 9, 0),
                         title="Trà Shan tuyết Bằng Phúc được công nhận 4 sao, mở rộng vùng "
                               "nguyên liệu trên các xã vùng cao của huyện Chợ Đồn")


@pytest.fixture
def build(province_staff, monkeypatch):
    """Make one of the six workbooks as the portal makes it (lists in the user's scope, empty
    ones with `empty`), on MADE_AT, and read it back from its bytes."""
    monkeypatch.setattr(timezone, "now", lambda: MADE_AT)

    def make(kind: str, *, empty: bool = False) -> Workbook:
        if kind in ("Phụ lục 1", "Phụ lục 2"):
            data = appendix_data(number=int(kind[-1]), plan=Plan.objects.get(year=2024),
                                 today=dt.date(2024, 12, 31))
            workbook = appendix_workbook(data)
        elif kind == "Báo cáo tháng":
            workbook = month_workbook(month_figures(MAY), generated_at=timezone.localtime())
        elif kind == "Sản phẩm":
            products = product_list_for_user(province_staff)
            workbook = product_workbook(products.none() if empty else products,
                                        title="Danh sách sản phẩm OCOP toàn tỉnh")
        elif kind == "Chủ thể":
            subjects = subject_list_for_user(province_staff)
            workbook = subject_workbook(subjects.none() if empty else subjects,
                                        title="Danh sách chủ thể OCOP toàn tỉnh")
        else:
            items = media_item_list_for_user(province_staff)
            workbook = media_items_workbook(items.none() if empty else items,
                                            title="Danh sách tin, bài truyền thông về OCOP",
                                            user=province_staff)
        return load_workbook(io.BytesIO(workbook_bytes(workbook)))

    return make


def _cells(sheet):
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _cell(sheet, text):
    return next(cell for cell in _cells(sheet) if cell.value == text)


def _span(sheet, cell) -> tuple[int, int, int, int]:
    """First and last column, first and last row of the cell's merged range (or the cell)."""
    for merged in sheet.merged_cells.ranges:
        if (merged.min_row, merged.min_col) == (cell.row, cell.column):
            return merged.min_col, merged.max_col, merged.min_row, merged.max_row
    return cell.column, cell.column, cell.row, cell.row


def _header_row(sheet) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value in ("STT", "Số"))


# The national heading, the date, the signatures -------------------------------------------------

@pytest.mark.parametrize("kind", WORKBOOKS)
def test_the_national_name_and_motto_face_the_issuing_body(records, build, kind):
    sheet = build(kind)[DOCUMENT_SHEET[kind]]
    nation, motto = _cell(sheet, NATION), _cell(sheet, MOTTO)
    assert (nation.row, motto.row) == (1, 2)
    assert (nation.font.b, motto.font.b) == (True, True)
    assert motto.column == nation.column
    # The issuing body top left, bold: the plan's issuer for its appendices, else the office
    # under the provincial committee; the national name beside it on the right, to the end of
    # the table.
    issuer = sheet["A1"]
    assert issuer.value == "UBND TỈNH BẮC KẠN"
    issuing = issuer if kind in PLAN_WORKBOOKS[:2] else sheet["A2"]
    assert issuing.value == ("UBND TỈNH BẮC KẠN" if kind in PLAN_WORKBOOKS[:2]
                             else "VĂN PHÒNG ĐIỀU PHỐI NTM TỈNH")
    assert issuing.font.b
    assert _span(sheet, issuer)[1] < nation.column
    assert _span(sheet, nation)[1] == sheet.max_column


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_the_place_and_date_are_the_local_day_it_was_made(records, build, kind):
    sheet = build(kind)[DOCUMENT_SHEET[kind]]
    line = _cell(sheet, DATE_LINE)
    assert line.font.i
    assert (line.row, line.column) == (3, _cell(sheet, NATION).column)  # under the motto


def test_the_date_line_writes_days_and_months_as_the_decree_does():
    assert official_date_line(dt.date(2026, 2, 5)) == "Bắc Kạn, ngày 05 tháng 02 năm 2026"
    assert official_date_line(dt.date(2026, 3, 9)) == "Bắc Kạn, ngày 09 tháng 3 năm 2026"
    assert official_date_line(dt.date(2026, 12, 15)) == "Bắc Kạn, ngày 15 tháng 12 năm 2026"


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_the_signatures_close_the_document(records, build, kind):
    sheet = build(kind)[DOCUMENT_SHEET[kind]]
    head, compiler = _cell(sheet, HEAD), _cell(sheet, COMPILER)
    assert (head.font.b, compiler.font.b) == (True, True)
    assert head.row == compiler.row
    assert head.row > max(cell.row for cell in _cells(sheet) if cell.value == "Tổng cộng"
                          or isinstance(cell.value, int | float))  # after the figures
    assert head.column == _cell(sheet, NATION).column  # on the right, under the heading
    notes = [cell for cell in _cells(sheet) if cell.value == SIGN_NOTE]
    assert {(cell.row, cell.column) for cell in notes} == {
        (head.row + 1, head.column), (head.row + 1, compiler.column)}
    assert all(cell.font.i for cell in notes)
    # Room to sign below, and nothing written there.
    signing = range(head.row + 2, head.row + 2 + SIGNING_ROWS)
    assert all(sheet.row_dimensions[row].height for row in signing)
    assert not [cell for cell in _cells(sheet) if cell.row in signing]


# Legible on paper ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", WORKBOOKS)
def test_no_text_is_smaller_than_10_points_and_headings_are_larger(records, build, kind):
    workbook = build(kind)
    for sheet in workbook.worksheets:
        small = [(cell.coordinate, cell.value, cell.font.sz) for cell in _cells(sheet)
                 if (cell.font.sz or 11) < 10]
        assert small == [], sheet.title
        assert sheet["A1"].font.sz > BODY_SIZE, sheet.title  # the heading's first line
        assert sheet.oddFooter.center.size >= 10


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_rows_are_as_tall_as_their_wrapped_text(records, build, kind):
    """No clipped header, note or list entry: every text wraps, and its rows are at least as
    tall as the text needs over the width of its cell (merged cells included)."""
    for sheet in build(kind).worksheets:
        for cell in _cells(sheet):
            if not isinstance(cell.value, str):
                continue
            first_col, last_col, first_row, last_row = _span(sheet, cell)
            width = sum(sheet.column_dimensions[get_column_letter(col)].width
                        for col in range(first_col, last_col + 1))
            width -= (cell.alignment.indent or 0) * INDENT_WIDTH
            height = sum(sheet.row_dimensions[row].height or 0
                         for row in range(first_row, last_row + 1))
            needed = text_height(cell.value, width, size=cell.font.sz, bold=bool(cell.font.b))
            assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
            assert height >= needed - 0.01, (sheet.title, cell.coordinate, cell.value)


def test_a_long_header_over_three_columns_gets_the_lines_it_needs(records, build):
    sheet = build("Phụ lục 1")["Phụ lục 1"]
    header = next(cell for cell in sheet[_header_row(sheet)]
                  if str(cell.value).startswith("Chủ thể có sản phẩm OCOP được củng cố"))
    width = sum(sheet.column_dimensions[get_column_letter(c)].width
                for c in range(header.column, header.column + 3))
    assert text_width(header.value, bold=True) > width * 5.25  # more than a line
    assert sheet.row_dimensions[header.row].height >= text_height(header.value, width, bold=True)


def test_widths_are_measured_with_times_new_roman():
    # Times New Roman (Liberation Serif) Bold: "Ngày quyết định" is 7.07 em wide.
    assert text_width("Ngày quyết định", size=11, bold=True) == pytest.approx(77.7, rel=0.05)
    assert text_width("iiii") < text_width("MMMM")
    # A workbook's default font is the documents' one, so that column widths mean the same in
    # Excel and in LibreOffice.
    workbook = load_workbook(io.BytesIO(workbook_bytes(new_workbook())))
    assert workbook._fonts[0].name == "Times New Roman"


@pytest.mark.parametrize("kind", LISTS)
def test_numbers_and_dates_never_touch_the_text_beside_them(records, build, kind):
    """Figures and dates are centred and text starts an indent in: "1Bánh chưng…" and
    "18/04/2027Còn hiệu lực" cannot happen."""
    sheet = build(kind).active
    body = [cell for cell in _cells(sheet) if cell.row > _header_row(sheet)
            and cell.border.left.style == "thin"]
    figures = [cell for cell in body if isinstance(cell.value, int | float | dt.date)]
    texts = [cell for cell in body if isinstance(cell.value, str)]
    assert figures
    assert texts
    assert {cell.alignment.horizontal for cell in figures} == {"center"}
    assert all(cell.alignment.horizontal == "center" or cell.alignment.indent >= 1
               for cell in texts)


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_figures_and_dates_fit_their_columns(records, build, kind):
    """A number or a date does not wrap: too narrow a column would show "###" or push it
    against its neighbours."""
    for sheet in build(kind).worksheets:
        for cell in _cells(sheet):
            if isinstance(cell.value, dt.datetime):
                shown = cell.value.strftime("%d/%m/%Y %H:%M" if "hh" in cell.number_format
                                            else "%d/%m/%Y")
            elif isinstance(cell.value, int | float):
                shown = f"{cell.value:.0%}" if "%" in cell.number_format else str(cell.value)
            else:
                continue
            first_col, last_col, _, _ = _span(sheet, cell)
            width = sum(sheet.column_dimensions[get_column_letter(col)].width
                        for col in range(first_col, last_col + 1))
            assert text_width(shown, bold=bool(cell.font.b)) <= columns_points(width), (
                sheet.title, cell.coordinate, shown)


# Empty lists, quotas that do not add up --------------------------------------------------------

EMPTY_SHEET = {"Phụ lục 1": "Danh sách", "Phụ lục 2": "Danh sách",
               "Báo cáo tháng": "SP công nhận trong tháng", "Sản phẩm": "Sản phẩm OCOP",
               "Chủ thể": "Chủ thể OCOP", "Tin bài": "Tin bài truyền thông"}


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_an_empty_list_says_there_is_nothing(reference_data, build, kind):
    sheet = build(kind, empty=True)[EMPTY_SHEET[kind]]
    below = sheet.cell(row=_header_row(sheet) + 1, column=1)
    assert below.value == NOTHING
    assert _span(sheet, below)[:2] == (1, sheet.max_column)  # across the whole table


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_a_list_with_records_lists_them(records, build, kind):
    sheet = build(kind)[EMPTY_SHEET[kind]]
    assert sheet.cell(row=_header_row(sheet) + 1, column=1).value == 1
    assert NOTHING not in [cell.value for cell in _cells(sheet)]


def _quotas(province_staff, values: dict[tuple[str, str], int]):
    plan = Plan.objects.get(year=2024)
    for (code, district_code), value in values.items():
        quota_set(plan=plan, indicator=Indicator.objects.get(code=code),
                  district=district(district_code), value=value,
                  reason="Giao chỉ tiêu các huyện", user=province_staff)
    return plan


@pytest.mark.parametrize("kind", PLAN_WORKBOOKS)
def test_the_total_says_when_the_districts_quotas_do_not_add_up(records, build, province_staff,
                                                                kind):
    """New products: the districts' shares add up to the province's quota, no note; the
    consolidated producers (Phụ lục 1) and traced products (Phụ lục 2): they do not, and a note
    under the table names the indicator and both numbers."""
    plan = Plan.objects.get(year=2024)
    province = {q.indicator.code: q.value for q in Quota.objects.filter(plan=plan,
                                                                        district=None)}
    agreeing = province["new_products_3star"]
    consolidated = province["consolidated_subjects"] - 1
    _quotas(province_staff, {("new_products_3star", "064"): agreeing - agreeing // 2,
                             ("new_products_3star", "066"): agreeing // 2,
                             ("consolidated_subjects", "064"): consolidated,
                             ("traceability_products", "066"): 3})
    sheet = build(kind)[DOCUMENT_SHEET[kind]]
    notes = [cell.value for cell in _cells(sheet)
             if isinstance(cell.value, str) and "chưa khớp" in cell.value]
    names = {i.code: i for i in Indicator.objects.all()}

    def note(code):
        indicator = names[code]
        return next((text for text in notes if text.startswith(f"- {indicator.name}:")), None)

    assert note("new_products_3star") is None
    expected = {"Phụ lục 1": [("consolidated_subjects", consolidated)],
                "Phụ lục 2": [("traceability_products", 3)]}
    expected["Báo cáo tháng"] = expected["Phụ lục 1"] + expected["Phụ lục 2"]
    for code, districts_sum in expected[kind]:
        unit = names[code].unit
        text = note(code)
        assert f"tổng chỉ tiêu các huyện, thành phố là {districts_sum} {unit}" in text
        assert f"chỉ tiêu toàn tỉnh là {province[code]} {unit}" in text
        assert "Tổng cộng" in text
        # Under the table it explains.
        total_rows = [cell.row for cell in sheet["B"] if cell.value == "Tổng cộng"]
        assert _cell(sheet, text).row > min(total_rows)


# On paper: A4, one page wide, headers repeated, headings kept with their tables -------------

@pytest.mark.parametrize("kind", WORKBOOKS)
def test_pages_are_a4_one_page_wide_with_margins(records, build, kind):
    for sheet in build(kind).worksheets:
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
            sheet.PAPERSIZE_A4, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert setup.orientation == "landscape"  # every table here is too wide to stand
        assert min(sheet.page_margins.left, sheet.page_margins.top) >= 0.5


PRINT_TITLES = {"Phụ lục 1": {"Danh sách": 4}, "Phụ lục 2": {"Danh sách": 4},
                "Báo cáo tháng": {"SP công nhận trong tháng": 3, "Tin bài trong tháng": 3,
                                  "GCN sắp hết hạn": 3, "Nhiệm vụ quá hạn": 3}}


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_long_tables_repeat_their_header_on_every_page(records, build, kind):
    workbook = build(kind)
    expected = PRINT_TITLES.get(kind) or {DOCUMENT_SHEET[kind]: _header_row(workbook.active)}
    for title, row in expected.items():
        assert workbook[title].print_title_rows == f"${row}:${row}", title


def test_a_short_table_is_kept_on_one_page_without_a_repeated_header(records, build):
    """The appendix's table (a row a district) is kept whole with its titles; repeating its
    header would head the page of notes and signatures with no rows under it."""
    sheet = build("Phụ lục 1")["Phụ lục 1"]
    total = next(cell.row for cell in sheet["B"] if cell.value == "Tổng cộng")
    assert not [brk.id for brk in sheet.row_breaks.brk if _header_row(sheet) <= brk.id < total]
    assert sheet.print_title_rows is None


def test_the_monthly_report_breaks_pages_before_headings_only(records, build):
    sheet = build("Báo cáo tháng")["Tổng hợp"]
    breaks = [brk.id + 1 for brk in sheet.row_breaks.brk]  # the first row of the new page
    assert breaks
    for row in breaks:
        assert str(sheet.cell(row=row, column=1).value).startswith(
            ("II.", "III.", "Chỉ tiêu Phụ lục")), row


def test_a_block_that_would_cross_the_page_foot_starts_the_next_page():
    sheet = editable_workbook().active
    for column in "ABCD":
        sheet.column_dimensions[column].width = 30
    for row in range(1, 61):
        for column in range(1, 5):
            sheet.cell(row=row, column=column, value=f"Dòng {row}")
        sheet.row_dimensions[row].height = 20
    print_setup(sheet)
    # Some 24 rows of 20 pt fill a landscape page: a heading on row 20 with its table down to
    # row 30 goes to the next page; a block that fits where it is stays.
    keep_together(sheet, [(5, 10), (20, 30)])
    assert [brk.id for brk in sheet.row_breaks.brk] == [19]
