"""Journey 4: the office records two media items published in March 2024, and March turns green on
the year's calendar (plan 180 asks for at least two a month)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communications.models import MediaItem, Outlet
from tests.e2e.journey import log_in

pytestmark = [
    pytest.mark.e2e,
]

# Bootstrap's bg-danger-subtle and bg-success-subtle: a missed month is pink, a met one green.
RED = "rgb(248, 215, 218)"
GREEN = "rgb(209, 231, 221)"


def month_card(page, label):
    return page.locator(".card").filter(has=page.get_by_role("link", name=label, exact=True))


def record_item(page, title, published_on, url):
    page.goto("/communications/new/")
    expect(page.get_by_role("heading", name="Ghi nhận tin, bài truyền thông")).to_be_visible()
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Thể loại").select_option(label="Bài")
    page.get_by_label("Cơ quan báo chí").select_option(label="Báo Bắc Kạn")
    page.get_by_label("Ngày đăng").fill(published_on)
    page.get_by_label("Đường dẫn").fill(url)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Đã ghi nhận tin, bài “{title}”.")


def test_two_media_items_in_a_month_turn_it_green_on_the_calendar(
        journey, page, province_staff):
    Outlet.objects.get_or_create(name="Báo Bắc Kạn", defaults={"level": "tinh"})
    log_in(page, "tinh")
    page.goto("/communications/calendar/?year=2024")
    march = month_card(page, "Tháng 3")
    expect(march).to_contain_text("Không đạt (thiếu 2)")
    expect(march).to_have_css("background-color", RED)
    journey.snap("lich-truoc")

    record_item(page, "Chợ Đồn nâng tầm sản phẩm chè Shan tuyết", "05/03/2024",
                "https://baobackan.vn/cho-don-nang-tam-che-shan-tuyet")
    page.goto("/communications/new/")
    journey.snap("ghi-nhan-tin-bai")
    record_item(page, "Miến dong Bằng Phúc vào siêu thị", "28/03/2024",
                "https://baobackan.vn/mien-dong-bang-phuc-vao-sieu-thi")

    page.goto("/communications/calendar/?year=2024")
    march = month_card(page, "Tháng 3")
    expect(march.locator("[data-count]")).to_have_text("2")
    expect(march).to_contain_text("Đạt")
    expect(march).to_have_css("background-color", GREEN)
    expect(month_card(page, "Tháng 4")).to_have_css("background-color", RED)
    journey.snap("lich-sau")

    days = sorted(timezone.localtime(item.published_at).date()
                  for item in MediaItem.objects.all())
    assert days == [dt.date(2024, 3, 5), dt.date(2024, 3, 28)]
