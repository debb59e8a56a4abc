"""Journey 3: province staff enter a district's quota of Phụ lục 1 with a reason, and the
dashboard's bar and drill-through list for that district follow.

Written before the quota page and the dashboard exist (issue 4). The page contract it assumes is
in tests/e2e/dashboard.py, plus: the quota page is QUOTA_PAGE, with one form per appendix (a
table, one row per district, one number input per indicator in the plan's order), a "Lý do"
field and a "Lưu" button.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.dashboard import chart_value, district_row, number_cells
from tests.e2e.journey import log_in
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skip(reason="waits for the quota page and the dashboard (issue 4)"),
]

QUOTA_PAGE = "/targets/quotas/?year=2024"
DASHBOARD = "/dashboard/?year=2024"
NEW_PRODUCTS = "Sản phẩm mới đạt 3 sao trở lên"
REASON = "Theo Phụ lục 1 đã ký của Kế hoạch 180/KH-UBND"


def appendix_1_input(page, district_name):
    """Chợ Đồn's input for the first indicator of Phụ lục 1 (new products of 3 stars or more)."""
    form = page.locator("form").filter(has_text="Phụ lục 1")
    return form, form.get_by_role("row").filter(has_text=district_name).get_by_role(
        "spinbutton").first


def test_province_staff_set_a_district_quota_with_a_reason_and_the_dashboard_follows(
        journey, page, province_staff, cho_don):
    from targets.models import Quota

    product = ProductFactory(name="Miến dong Bằng Phúc",
                             subject=SubjectFactory(district=cho_don))
    recognise(product, stars=3, decision_date=dt.date(2024, 6, 15))
    log_in(page, "tinh")

    page.goto(DASHBOARD)
    before = number_cells(district_row(page, NEW_PRODUCTS, "Chợ Đồn"))
    assert before[1] == 1, f"Chợ Đồn's actual should be 1 before the quota: {before}"
    assert chart_value(page, "Chợ Đồn", "Kế hoạch") in (None, 0)
    journey.snap("tong-quan-truoc")

    page.goto(QUOTA_PAGE)
    form, field = appendix_1_input(page, "Chợ Đồn")
    field.fill("3")
    form.get_by_role("button", name=re.compile("^Lưu")).click()
    expect(page.get_by_text("Hãy ghi lý do thay đổi chỉ tiêu.")).to_be_visible()
    assert not Quota.objects.filter(district=cho_don).exists()
    journey.snap("chi-tieu-thieu-ly-do")

    form, field = appendix_1_input(page, "Chợ Đồn")
    field.fill("3")
    form.get_by_label(re.compile("Lý do")).fill(REASON)
    journey.snap("chi-tieu-nhap")
    form.get_by_role("button", name=re.compile("^Lưu")).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    quota = Quota.objects.get(district=cho_don, indicator__code="new_products_3star",
                              plan__year=2024)
    assert quota.value == 3
    change = quota.history.latest()
    assert (change.history_change_reason, change.history_user) == (REASON, province_staff)

    page.goto(DASHBOARD)
    row = district_row(page, NEW_PRODUCTS, "Chợ Đồn")
    assert number_cells(row)[:2] == [3, 1]
    assert chart_value(page, "Chợ Đồn", "Kế hoạch") == 3
    assert chart_value(page, "Chợ Đồn", "Thực hiện") == 1
    journey.snap("tong-quan-sau")

    row.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 sản phẩm")
    expect(page.get_by_role("link", name="Miến dong Bằng Phúc")).to_be_visible()
    journey.snap("danh-sach-sau-so-lieu")
