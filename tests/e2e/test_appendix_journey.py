"""Journey 5: an administrator downloads Phụ lục 1, and the workbook holds the figures the
dashboard shows.

Written before the appendix download exists (issue 6). It assumes a link named "Phụ lục 1" on the
dashboard (or else on /reports/), and the layout of DESIGN.md §6 and issue 6: one row per district
with its name in column B, then for each indicator of the appendix Kế hoạch, Thực hiện and Tỷ lệ
(%), and a "Tổng cộng" row last.
"""

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.core.management import call_command

from ocop_portal.models import District
from tests.e2e.dashboard import district_figure
from tests.e2e.journey import log_in
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = [
    pytest.mark.e2e,
]

DASHBOARD = "/dashboard/?year=2024"
# The indicators of Phụ lục 1, in the appendix's order.
APPENDIX_1 = ["new_products_3star", "consolidated_subjects", "new_subjects"]


def engine_figures(year=2024):
    """{district name or "Tổng cộng": [(quota, actual) per indicator]} from indicator_report."""
    out = io.StringIO()
    call_command("indicator_report", "--year", str(year), "--format", "json", stdout=out)
    report = {item["code"]: item for item in json.loads(out.getvalue())["indicators"]}
    figures = {"Tổng cộng": [(report[code]["quota"], report[code]["actual"])
                             for code in APPENDIX_1]}
    for code in APPENDIX_1:
        for district in report[code]["districts"]:
            # The appendix lists districts by short name ("TP Bắc Kạn" for the city).
            figures.setdefault(district["short_name"], []).append(
                (district["quota"], district["actual"]))
    return figures


def workbook_figures(path):
    """The same figures read from the downloaded appendix's first sheet: the rows whose column B
    names a district ("Chợ Đồn", "TP Bắc Kạn"), and the "Tổng cộng" row."""
    names = {"Tổng cộng": "Tổng cộng"}
    for district in District.objects.all():
        names[district.short_name] = district.short_name
    sheet = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    figures = {}
    for row in sheet.iter_rows(values_only=True):
        name = names.get(str(row[1]).strip()) if len(row) > 1 else None
        if name is None:
            continue
        cells = [int(v) if isinstance(v, int | float) else v for v in row[2:]]
        figures[name] = [(cells[3 * i], cells[3 * i + 1]) for i in range(len(APPENDIX_1))]
    return figures


def test_administrator_downloads_appendix_1_with_the_dashboards_figures(
        journey, page, admin_user, cho_don, na_ri, tmp_path):
    from targets.models import Indicator, Plan
    from targets.services import quota_set

    recognise(ProductFactory(name="Miến dong Bằng Phúc", subject=SubjectFactory(district=cho_don)),
              stars=4, decision_date=dt.date(2024, 6, 15))
    # A new producer of plan 180 is one "có sản phẩm tham gia": it counts with its product.
    ProductFactory(name="Mật ong Côn Minh", subject=SubjectFactory(
        name="Hộ kinh doanh Mật ong Côn Minh", district=na_ri, first_year_in_programme=2024))
    quota_set(plan=Plan.objects.get(year=2024),
              indicator=Indicator.objects.get(code="new_products_3star"), district=cho_don,
              value=3, reason="Theo Phụ lục 1 đã ký", user=admin_user)
    log_in(page, "quan_tri")

    page.goto(DASHBOARD)
    # The dashboard shows (actual, quota); the appendix (quota, actual).
    on_dashboard = {name: [district_figure(page, code, district_code)[::-1]
                           for code in APPENDIX_1]
                    for district_code, name in (("064", "Chợ Đồn"), ("066", "Na Rì"))}
    journey.snap("tong-quan")
    download_link = page.get_by_role("link", name=re.compile("Phụ lục 1"))
    if not download_link.count():
        page.goto("/reports/")
        journey.snap("bao-cao")
    with page.expect_download() as download:
        download_link.first.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"

    in_file = workbook_figures(path)
    assert in_file["Chợ Đồn"] == on_dashboard["Chợ Đồn"]
    assert in_file["Chợ Đồn"][0] == (3, 1)
    assert in_file["Na Rì"] == on_dashboard["Na Rì"]
    assert in_file["Na Rì"][2][1] == 1
    engine = engine_figures()
    assert {name: in_file[name] for name in engine} == engine
    assert list(in_file)[-1] == "Tổng cộng"
