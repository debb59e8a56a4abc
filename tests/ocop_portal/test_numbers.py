"""One rule for a percentage and one way of writing numbers, on every page, workbook and report:
5/8 reads 63% on the dashboard, in Phụ lục 1, in the monthly report's table and in its
paragraph alike."""

import datetime as dt
import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import Client
from openpyxl import load_workbook

from ocop_portal.excel import workbook_bytes
from ocop_portal.numbers import number_text, percent_ratio, percent_text, whole_percent
from targets.appendix import appendix_data, appendix_workbook
from targets.models import Plan
from targets.monthly import month_figures, month_paragraph, month_workbook
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import support


@pytest.mark.parametrize(("ratio", "percent"), [
    (5 / 8, 63), (Fraction(5, 8), 63), (1 / 8, 13), (3 / 8, 38), (1 / 3, 33), (2 / 3, 67),
    (0.145, 15), (0.125, 13), (0, 0), (1, 100), (1.5, 150), (Decimal("0.005"), 1),
    (Fraction(199, 200), 99), (Fraction(999, 1000), 99), (Fraction(201, 200), 101),
])
def test_a_half_percent_is_rounded_up(ratio, percent):
    # Python's round() gives 62 for 62.5 and 12 for 12.5: not the rule.
    assert whole_percent(ratio) == percent
    assert percent_text(ratio) == f"{percent}%"
    assert percent_ratio(ratio) == percent / 100


def test_no_ratio_is_written_as_a_dash():
    assert whole_percent(None) is None
    assert percent_ratio(None) is None
    assert percent_text(None) == "–"


@pytest.mark.parametrize(("value", "places", "text"), [
    (79.5, 2, "79,50"), (Decimal("79.5"), 2, "79,50"), (Decimal("23.45"), 1, "23,5"),
    (1250000, None, "1.250.000"), (1234.5, 1, "1.234,5"), (0, 2, "0,00"), (None, 2, ""),
])
def test_numbers_use_the_decimal_comma_and_the_thousands_dot(value, places, text):
    assert number_text(value, places) == text


@pytest.fixture
def five_of_eight(reference_data):
    """5 of the province's 8 producers to consolidate in 2024 (Kế hoạch 180: quota 8)."""
    for number in range(5):
        subject = SubjectFactory(name=f"HTX củng cố {number}", district=district("064"))
        recognise(ProductFactory(name=f"Sản phẩm {number}", subject=subject),
                  decision_date=dt.date(2023, 6, 1))
        support(subject, dt.date(2024, 3, 10))


def _opened(workbook):
    """The workbook as a user's application reads it, from the file's bytes."""
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


def _ratio_cell(sheet, indicator_name: str):
    """The "Tỷ lệ (%)" cell of the Tổng cộng row under the indicator's header."""
    header = next(cell for row in sheet.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value.startswith(indicator_name))
    total = next(cell.row for cell in sheet["B"] if cell.value == "Tổng cộng"
                 and cell.row > header.row)
    ratio = sheet.cell(row=total, column=header.column + 2)
    assert sheet.cell(row=header.row + 1, column=header.column + 2).value == "Tỷ lệ (%)"
    return ratio


def test_five_of_eight_reads_63_percent_on_the_dashboard_appendix_and_report(
        five_of_eight, province_staff):
    client = Client()
    client.force_login(province_staff)
    html = client.get("/dashboard/?year=2024").content.decode()
    card = html[html.index('data-indicator="consolidated_subjects"'):]
    assert re.search(r"Tỷ lệ <strong>(\d+)%</strong>", card)[1] == "63"

    name = "Chủ thể có sản phẩm OCOP được củng cố, phát triển"
    plan = Plan.objects.get(year=2024)
    appendix = _opened(appendix_workbook(appendix_data(number=1, plan=plan,
                                                       today=dt.date(2024, 12, 31))))
    cell = _ratio_cell(appendix["Phụ lục 1"], name)
    assert (cell.value, cell.number_format) == (0.63, "0%")

    figures = month_figures(dt.date(2024, 12, 1))
    assert "5/8 chủ thể, đạt 63%" in month_paragraph(figures)
    report = _opened(month_workbook(figures, generated_at=dt.datetime(2025, 1, 2, 8, 0)))
    cell = _ratio_cell(report["Tổng hợp"], name)
    assert (cell.value, cell.number_format) == (0.63, "0%")
