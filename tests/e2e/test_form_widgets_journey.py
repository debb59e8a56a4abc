"""The form widgets an official uses: a searchable multiple select instead of Ctrl-click (type
without diacritics, pick, remove) and a calendar that writes dd/mm/yyyy; under the portal's CSP
(the `page` fixture fails on any violation)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communications.models import MediaItem, Outlet
from tests.e2e.journey import log_in
from tests.factories import ProductFactory, SubjectFactory, district

pytestmark = [pytest.mark.e2e]


def test_a_media_item_links_products_found_by_typing_and_a_date_from_the_calendar(
        journey, page, province_staff):
    Outlet.objects.get_or_create(name="Báo Bắc Kạn", defaults={"level": "tinh"})
    subject = SubjectFactory(name="HTX Miến dong Côn Minh", district=district("066"))
    mien = ProductFactory(name="Miến dong Côn Minh", subject=subject)
    ProductFactory(name="Mật ong bạc hà", subject=subject)
    log_in(page, "tinh")
    page.goto("/communications/new/")
    page.get_by_label("Tiêu đề").fill("Miến dong Na Rì vào siêu thị")
    page.get_by_label("Thể loại").select_option(label="Bài")
    page.get_by_label("Cơ quan báo chí").select_option(label="Báo Bắc Kạn")

    # The products box: typed without diacritics, it still finds "Miến dong".
    box = page.locator(".ts-wrapper").first
    box.click()
    page.keyboard.type("mien dong")
    option = page.locator(".ts-dropdown .option", has_text="Miến dong Côn Minh")
    expect(option).to_be_visible()
    expect(page.locator(".ts-dropdown .option", has_text="Mật ong")).to_have_count(0)
    option.click()
    expect(box.locator(".item", has_text="Miến dong Côn Minh")).to_be_visible()
    journey.snap("ghi-nhan-tin-bai-chon-san-pham")
    # The date: from the calendar, in Vietnamese, written dd/mm/yyyy.
    date = page.get_by_label("Ngày đăng")
    date.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text("T2")
    # No day after today (an item is recorded once published): pick one last month.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if tomorrow.month == timezone.localdate().month:
        expect(calendar.locator(".flatpickr-day.flatpickr-disabled",
                                has_text=re.compile(rf"^{tomorrow.day}$")).first).to_be_visible()
    calendar.locator(".flatpickr-prev-month").click()
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)",
                     has_text=re.compile(r"^15$")).click()
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    expect(date).to_have_value(f"15/{last_month:%m/%Y}")
    journey.snap("ghi-nhan-tin-bai-chon-ngay")
    date.fill("05/03/2024")

    page.get_by_label("Đường dẫn").fill("https://baobackan.vn/mien-dong-na-ri-vao-sieu-thi")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận tin, bài")
    item = MediaItem.objects.get()
    assert list(item.products.all()) == [mien]
    assert item.published_at.astimezone().date().isoformat() == "2024-03-05"
