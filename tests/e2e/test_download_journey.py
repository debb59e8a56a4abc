"""Journey: a district officer exports a list too long to make while they wait. The export
link leads to the offer, "Lập tệp" to the download's page, which follows the job (a progress
bar while it runs) and offers the file when it is done; the file holds the officer's district
alone. The threshold is lowered so that a few products make a "long" list."""

import datetime as dt

import openpyxl
import pytest
from playwright.sync_api import expect

from ocop_portal import downloads, progress
from ocop_portal.models import Download
from tests.e2e.journey import log_in
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.e2e


def test_officer_exports_a_long_list_in_the_background(
        journey, page, district_officer, cho_don, na_ri, settings, tmp_path):
    settings.EXPORT_INLINE_ROWS = 2
    for index, name in enumerate(["Miến dong Bằng Phúc", "Trà Shan tuyết Khuổi Bốc",
                                  "Gạo nếp Khẩu Nua Lếch"]):
        product = ProductFactory(name=name, subject=SubjectFactory(district=cho_don))
        recognise(product, stars=3 + index, decision_date=dt.date(2024, 3, 1 + index))
    ProductFactory(name="Miến dong Tài Hoan", subject=SubjectFactory(district=na_ri))
    log_in(page, "can_bo_cho_don")

    page.goto("/products/")
    page.get_by_role("link", name="Xuất Excel").click()
    expect(page.get_by_role("heading", name="Lập tệp Excel")).to_be_visible()
    expect(page.get_by_text("Tệp có 3 dòng")).to_be_visible()
    journey.snap("de-nghi-lap-tep")

    page.get_by_role("button", name="Lập tệp").click()
    # In-process tasks: the file is made as the request commits; the page says it is done.
    expect(page.get_by_text("Đã xong")).to_be_visible()
    journey.snap("tep-da-xong")
    with page.expect_download() as event:
        page.get_by_role("link", name="Tải về Sản phẩm OCOP").click()
    path = tmp_path / event.value.suggested_filename
    event.value.save_as(path)
    assert event.value.suggested_filename.startswith("Sản phẩm OCOP")
    sheet = openpyxl.load_workbook(path).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)
             if isinstance(row[0], int) and row[1]]
    assert sorted(names) == ["Gạo nếp Khẩu Nua Lếch", "Miến dong Bằng Phúc",
                             "Trà Shan tuyết Khuổi Bốc"]

    # The officer's downloads, from the user menu.
    page.goto("/downloads/")
    expect(page.get_by_role("link", name="Tải về", exact=True)).to_have_count(1)
    journey.snap("tep-tai-ve")

    # A long one still being written: its page shows how far it has got, and refreshes.
    running = Download.objects.create(
        user=district_officer, kind="products", title="Danh sách sản phẩm OCOP Huyện Chợ Đồn",
        filename="Sản phẩm OCOP.xlsx", rows=20000, status=Download.Status.RUNNING)
    progress.write(running.progress_key, 12345, 20000, downloads.STAGE)
    page.goto(f"/downloads/{running.pk}/")
    expect(page.get_by_text("Đang ghi tệp: 12.345 / 20.000 dòng")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "12345")
    journey.snap("dang-lap")
