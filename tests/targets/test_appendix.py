"""The plan's appendices: every figure the engine's (checked against indicator_report), the
layout of an official document, and the list of counted records behind each figure."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ocop_portal.excel import workbook_bytes
from ocop_portal.numbers import percent_ratio
from subjects.models import SubjectType
from targets.appendix import appendix_data, appendix_workbook
from targets.models import Indicator, Plan
from targets.services import quotas_set
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import linkage, quality, support, traceability

pytestmark = pytest.mark.django_db

PL1 = ["new_products_3star", "consolidated_subjects", "new_subjects"]
PL2 = ["traceability_products", "linkage_subjects", "advanced_qm_products"]
DISTRICT_CODES = ["058", "060", "061", "062", "063", "064", "065", "066"]


@pytest.fixture
def plan(reference_data):
    return Plan.objects.get(year=2024)


@pytest.fixture
def data(plan, province_staff):
    """Quotas for some districts (one of them 0, others none) and records of every indicator."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    values = {}
    for code in PL1 + PL2:
        values[(indicators[code], district("064"))] = 4
        values[(indicators[code], district("066"))] = 2
        values[(indicators[code], district("058"))] = 0
    quotas_set(plan=plan, values=values, reason="Nhập theo Phụ lục 1, 2", user=province_staff)

    cho_don = [ProductFactory(subject=SubjectFactory(district=district("064"))) for _ in range(3)]
    for product in cho_don:
        recognise(product, decision_date=dt.date(2024, 5, 10))
    na_ri = ProductFactory(subject=SubjectFactory(district=district("066")))
    recognise(na_ri, 4, dt.date(2024, 9, 9))
    # Recognised in 2023, upgraded in 2024: not a new product, but its subject is consolidated.
    old = ProductFactory(subject=SubjectFactory(district=district("066"), name="HTX Cũ"))
    recognise(old, 3, dt.date(2023, 8, 1))
    recognise(old, 4, dt.date(2024, 8, 1))
    support(old.subject, dt.date(2024, 4, 2))
    SubjectFactory(district=district("064"), first_year_in_programme=2024)
    SubjectFactory(district=district("058"), first_year_in_programme=2024)
    traceability(cho_don[0], dt.date(2024, 6, 1))
    traceability(na_ri, dt.date(2023, 1, 1))
    linkage(cho_don[1].subject, dt.date(2024, 2, 1))
    quality(cho_don[2], dt.date(2023, 3, 3))
    quality(old, dt.date(2024, 1, 5), standard="iso22000")


def report_json() -> dict:
    out = io.StringIO()
    call_command("indicator_report", "--year", "2024", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def export(number: int, tmp_path):
    path = tmp_path / f"pl{number}.xlsx"
    out = io.StringIO()
    call_command("export_appendix", str(number), "--year", "2024", "--output", str(path),
                 stdout=out)
    assert str(path) in out.getvalue()
    return load_workbook(path)


def header_row(sheet) -> int:
    return next(row for row in range(1, 20) if sheet.cell(row=row, column=1).value == "STT")


@pytest.mark.parametrize(("number", "codes"), [(1, PL1), (2, PL2)])
def test_every_district_row_and_the_total_agree_with_indicator_report(data, tmp_path, number,
                                                                      codes):
    sheet = export(number, tmp_path)[f"Phụ lục {number}"]
    report = {i["code"]: i for i in report_json()["indicators"]}
    top = header_row(sheet)
    rows = list(range(top + 2, top + 2 + len(DISTRICT_CODES)))
    # Listed by short name: "TP Bắc Kạn" for the city, never "Bắc Kạn" like the province.
    names = [d["short_name"] for d in report[codes[0]]["districts"]]
    assert "TP Bắc Kạn" in names
    assert [sheet.cell(row=r, column=2).value for r in rows] == names
    assert [sheet.cell(row=r, column=1).value for r in rows] == list(range(1, 9))
    total_row = rows[-1] + 1
    assert sheet.cell(row=total_row, column=2).value == "Tổng cộng"
    assert sheet.max_row < total_row + 25  # only the notes and the signatures come after
    checked = 0
    for index, code in enumerate(codes):
        first = 3 + 3 * index
        indicator = report[code]
        assert indicator["name"] in sheet.cell(row=top, column=first).value
        assert [sheet.cell(row=top + 1, column=first + k).value for k in range(3)] == [
            "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"]
        for row, entry in zip(rows, indicator["districts"], strict=True):
            plan_cell, actual, ratio = (sheet.cell(row=row, column=first + k).value
                                        for k in range(3))
            assert (plan_cell, actual) == (entry["quota"], entry["actual"]), (code, entry)
            if entry["ratio"] is None:
                assert ratio is None
            else:
                assert ratio == percent_ratio(entry["ratio"])  # the cell holds what it shows
            checked += 1
        plan_cell, actual, ratio = (sheet.cell(row=total_row, column=first + k).value
                                    for k in range(3))
        assert (plan_cell, actual) == (indicator["quota"], indicator["actual"])
        assert ratio == percent_ratio(indicator["ratio"])
    assert checked == 3 * 8


def test_the_figures_are_those_of_the_records(data, tmp_path):
    sheet = export(1, tmp_path)["Phụ lục 1"]
    top = header_row(sheet)
    cho_don = top + 2 + DISTRICT_CODES.index("064")
    na_ri = top + 2 + DISTRICT_CODES.index("066")
    bac_kan = top + 2 + DISTRICT_CODES.index("058")
    pac_nam = top + 2 + DISTRICT_CODES.index("060")
    # New products: Chợ Đồn 3 of 4 (75%), Na Rì 1 of 2 (the upgrade does not count).
    assert [sheet.cell(row=cho_don, column=c).value for c in (3, 4, 5)] == [4, 3, 0.75]
    assert [sheet.cell(row=na_ri, column=c).value for c in (3, 4, 5)] == [2, 1, 0.5]
    # A quota of 0 or none leaves the ratio blank.
    assert [sheet.cell(row=bac_kan, column=c).value for c in (3, 4, 5)] == [0, 0, None]
    assert [sheet.cell(row=pac_nam, column=c).value for c in (3, 4, 5)] == [None, 0, None]
    # Consolidated subjects: the Na Rì cooperative recognised in 2023 with support in 2024.
    assert [sheet.cell(row=na_ri, column=c).value for c in (6, 7, 8)] == [2, 1, 0.5]


def test_the_layout_is_that_of_an_official_appendix(data, plan):
    workbook = load_workbook(io.BytesIO(workbook_bytes(appendix_workbook(
        appendix_data(number=1, plan=plan, today=dt.date(2024, 9, 30))))))
    assert workbook.sheetnames == ["Phụ lục 1", "Danh sách"]
    sheet = workbook["Phụ lục 1"]
    texts = [sheet.cell(row=r, column=1).value for r in range(1, 11)]
    assert texts[0] == "UBND TỈNH BẮC KẠN"
    assert "PHỤ LỤC 1" in texts
    assert any(t and t.startswith("KẾT QUẢ THỰC HIỆN CHỈ TIÊU PHÁT TRIỂN SẢN PHẨM OCOP MỚI")
               and t.endswith("NĂM 2024") for t in texts)
    assert ("(Kèm theo Kế hoạch số 180/KH-UBND ngày 22/3/2024 của UBND tỉnh Bắc Kạn)"
            in texts)
    assert "Số liệu tính đến ngày 30/09/2024" in texts
    top = header_row(sheet)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"A{top}:A{top + 1}", f"B{top}:B{top + 1}", f"C{top}:E{top}", f"F{top}:H{top}",
            f"I{top}:K{top}"} <= merged
    assert any(r.startswith("A1:") for r in merged)  # the issuing body, top left
    number_row = texts.index("PHỤ LỤC 1") + 1
    assert f"A{number_row}:K{number_row}" in merged  # "PHỤ LỤC 1" centred over the table
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
        "landscape", sheet.PAPERSIZE_A4, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # The table is kept whole on its page: its header is not repeated over the notes' page.
    assert sheet.print_title_rows is None
    body = sheet.cell(row=top + 2, column=2)
    assert {body.font.name, sheet["A1"].font.name, sheet.cell(row=top, column=3).font.name} == {
        "Times New Roman"}
    assert sheet.cell(row=top + 2, column=5).number_format == "0%"
    assert body.border.left.style == "thin"
    assert sheet.cell(row=top + 1, column=4).border.bottom.style == "thin"
    assert sheet.column_dimensions["B"].width >= 18
    total = sheet.cell(row=top + 10, column=2)
    assert (total.value, total.font.b) == ("Tổng cộng", True)


def test_the_list_sheet_has_a_row_for_every_record_counted(data, tmp_path):
    report = {i["code"]: i for i in report_json()["indicators"]}
    for number, codes in ((1, PL1), (2, PL2)):
        sheet = export(number, tmp_path)["Danh sách"]
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        for code in codes:
            listed = [r for r in rows if r[1] == report[code]["name"]]
            assert len(listed) == report[code]["actual"], code
            for entry in report[code]["districts"]:
                assert len([r for r in listed if r[2] == entry["name"]]) == entry["actual"]
    new = [r for r in export(1, tmp_path)["Danh sách"].iter_rows(min_row=5, values_only=True)
           if r[1] == report["new_products_3star"]["name"] and r[2] == "Na Rì"]
    assert len(new) == 1
    assert new[0][5].startswith("Quyết định số ")
    assert "công nhận 4 sao (lần đầu)" in new[0][5]
    assert new[0][6] == dt.datetime(2024, 9, 9)


def test_names_that_look_like_formulas_stay_text(plan, tmp_path):
    subject = SubjectFactory(name="@Cơ sở SUM(A1)", district=district("064"),
                             subject_type=SubjectType.HOUSEHOLD)
    recognise(ProductFactory(name='=HYPERLINK("http://x","Chè")', subject=subject),
              decision_date=dt.date(2024, 3, 1))
    recognise(ProductFactory(name="+84 Mật ong", subject=subject),
              decision_date=dt.date(2024, 3, 2))
    recognise(ProductFactory(name="-Miến dong", subject=subject),
              decision_date=dt.date(2024, 3, 3))
    sheet = export(1, tmp_path)["Danh sách"]
    cells = {row[3].value: row for row in sheet.iter_rows(min_row=5)}
    assert set(cells) == {'=HYPERLINK("http://x","Chè")', "+84 Mật ong", "-Miến dong"}
    for row in cells.values():
        assert row[3].data_type == "s"
        assert (row[4].value, row[4].data_type) == ("@Cơ sở SUM(A1)", "s")


def test_export_appendix_refuses_a_year_without_a_plan(reference_data, tmp_path):
    with pytest.raises(CommandError, match="Chưa có kế hoạch năm 2023"):
        call_command("export_appendix", "1", "--year", "2023", "--output",
                     str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_export_appendix_accepts_only_appendix_1_or_2(reference_data, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_appendix", "3", "--year", "2024", "--output",
                     str(tmp_path / "x.xlsx"))
