"""Journey: a district officer records a media item, the province returns it with a reason, the
officer fixes it, the province confirms it, and the district's dashboard moves."""

import pytest
from playwright.sync_api import expect

from communications.models import MediaItem, Outlet
from ocop_portal.models import ReviewItem, ReviewState
from tests.e2e.journey import log_in

pytestmark = pytest.mark.e2e

TITLE = "Miến dong Chợ Đồn vào siêu thị"
REASON = "Sai ngày đăng: bài đăng ngày 15/03/2025"


def media_actual(page):
    """The district dashboard's media card: (items counted, items awaiting review)."""
    page.goto("/dashboard/district/064/?year=2025")
    card = page.locator("#indicator-media_items_monthly")
    actual = int(card.locator("[data-actual]").first.get_attribute("data-actual"))
    pending = card.locator("[data-pending]")
    return actual, int(pending.get_attribute("data-pending")) if pending.count() else 0


def test_an_officers_entry_is_returned_fixed_and_confirmed(journey, page, province_staff,
                                                           district_officer):
    Outlet.objects.get_or_create(name="Báo Bắc Kạn", defaults={"level": "tinh"})

    # The officer records an item: it awaits the province.
    log_in(page, district_officer.username)
    before = media_actual(page)
    page.goto("/communications/new/")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Thể loại").select_option(label="Bài")
    page.get_by_label("Cơ quan báo chí").select_option(label="Báo Bắc Kạn")
    page.get_by_label("Ngày đăng").fill("05/03/2025")
    page.get_by_label("Đường dẫn").fill("https://baobackan.vn/mien-dong-sieu-thi")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("đang chờ Văn phòng Điều phối tỉnh xác nhận")
    journey.snap("can-bo-ghi-tin")
    item = MediaItem.objects.get(title=TITLE)
    assert item.review_state == ReviewState.PENDING
    assert media_actual(page) == (before[0], before[1] + 1)
    journey.snap("bang-dieu-khien-cho-xac-nhan")

    # The province returns it with a reason.
    page.context.clear_cookies()
    log_in(page, province_staff.username)
    page.goto("/review/")
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("Chờ xác nhận")
    row.get_by_role("checkbox").check()
    page.get_by_label("Lý do trả lại (bắt buộc khi trả lại)").fill(REASON)
    journey.snap("tinh-tra-lai")
    page.get_by_role("button", name="Trả lại hồ sơ đã chọn").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã trả lại 1 hồ sơ")

    # The officer sees why, fixes the date; the fix goes back for review.
    page.context.clear_cookies()
    log_in(page, district_officer.username)
    page.locator("#main-nav").get_by_role("link", name="Xác nhận").click()
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text(REASON)
    journey.snap("can-bo-thay-ly-do")
    row.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Sửa").first.click()
    page.get_by_label("Ngày đăng").fill("15/03/2025")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("đang chờ Văn phòng Điều phối tỉnh xác nhận")
    assert ReviewItem.objects.filter(object_id=item.pk, state="pending").count() == 1

    # The province confirms; the dashboard counts it.
    page.context.clear_cookies()
    log_in(page, province_staff.username)
    page.goto("/review/")
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("15/03/2025")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Xác nhận hồ sơ đã chọn").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã xác nhận 1 hồ sơ")
    assert media_actual(page) == (before[0] + 1, before[1])
    journey.snap("bang-dieu-khien-da-tinh")
