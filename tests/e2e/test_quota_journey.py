"""Journey 3: province staff enter a district's quota of Phụ lục 1 with a reason, and the
dashboard's bar and drill-through list for that district follow."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.dashboard import chart_values, district_figure, district_link
from tests.e2e.journey import log_in
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = [
    pytest.mark.e2e,
]

QUOTA_PAGE = "/targets/quotas/?year=2024"
DASHBOARD = "/dashboard/?year=2024"
NEW_PRODUCTS = "new_products_3star"
REASON = "Theo Phụ lục 1 đã ký kèm Kế hoạch 180/KH-UBND"


def test_province_staff_set_a_district_quota_with_a_reason_and_the_dashboard_follows(
        journey, page, province_staff, cho_don, na_ri):
    from targets.models import Quota

    recognise(ProductFactory(name="Miến dong Bằng Phúc", subject=SubjectFactory(district=cho_don)),
              stars=3, decision_date=dt.date(2024, 6, 15))
    recognise(ProductFactory(name="Miến dong Côn Minh", subject=SubjectFactory(district=na_ri)),
              stars=3, decision_date=dt.date(2024, 7, 1))
    log_in(page, "tinh")

    page.goto(DASHBOARD)
    assert district_figure(page, NEW_PRODUCTS, "064") == (1, None)
    assert chart_values(page, "SP mới từ 3 sao", "Chợ Đồn") == {"Thực hiện": 1}
    journey.snap("tong-quan-truoc")

    # Without a reason, the table is refused and nothing changes.
    page.goto(QUOTA_PAGE)
    appendix_1 = page.locator("#quota-pl1")
    appendix_1.get_by_label("SP mới từ 3 sao – Chợ Đồn").fill("3")
    appendix_1.get_by_role("button", name="Lưu bảng này").click()
    expect(page.locator("#quota-pl1")).to_contain_text("Hãy ghi lý do thay đổi chỉ tiêu.")
    journey.snap("chi-tieu-thieu-ly-do")
    assert not Quota.objects.filter(district=cho_don).exists()

    appendix_1 = page.locator("#quota-pl1")
    appendix_1.get_by_label("SP mới từ 3 sao – Chợ Đồn").fill("3")
    appendix_1.get_by_label("Lý do thay đổi").fill(REASON)
    journey.snap("chi-tieu-nhap")
    appendix_1.get_by_role("button", name="Lưu bảng này").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu 1 thay đổi chỉ tiêu.")).to_be_visible()
    # The districts no longer add up to the provincial total: the page says so.
    expect(page.locator("#quota-mismatch")).to_contain_text("tổng các huyện 3, toàn tỉnh 20")
    journey.snap("chi-tieu-da-luu")
    quota = Quota.objects.get(district=cho_don, indicator__code=NEW_PRODUCTS, plan__year=2024)
    assert quota.value == 3
    change = quota.history.latest()
    assert (change.history_change_reason, change.history_user) == (REASON, province_staff)

    page.goto(DASHBOARD)
    assert district_figure(page, NEW_PRODUCTS, "064") == (1, 3)
    assert district_figure(page, NEW_PRODUCTS, "066") == (1, None)
    assert chart_values(page, "SP mới từ 3 sao", "Chợ Đồn") == {"Chỉ tiêu": 3, "Thực hiện": 1}
    journey.snap("tong-quan-sau")

    district_link(page, NEW_PRODUCTS, "064").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 sản phẩm")
    expect(page.get_by_role("link", name="Miến dong Bằng Phúc")).to_be_visible()
    expect(page.get_by_role("link", name="Miến dong Côn Minh")).to_have_count(0)
    journey.snap("danh-sach-theo-so-lieu")
