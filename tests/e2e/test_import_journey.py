"""Journey 2: a district officer imports products from a workbook of template v1: preview, confirm,
and the new products in the list; a broken workbook shows its errors by row and saves nothing."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from ocop_portal.models import ReviewItem
from products.models import Certificate, Evaluation, Product
from subjects.models import Subject
from tests.e2e.journey import log_in, open_filters

pytestmark = [
    pytest.mark.e2e,
]

HEADER = ["Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Mã số thuế/ĐKKD", "Huyện/Thành phố",
          "Xã/Phường/Thị trấn", "Nhóm sản phẩm", "Số sao", "Điểm", "Cấp công nhận",
          "Số quyết định", "Ngày quyết định", "Năm tham gia", "Truy xuất nguồn gốc",
          "Tiêu chuẩn chất lượng"]
CLEAN_ROWS = [
    ["Miến dong Bằng Phúc", "Hợp tác xã Nông sản Bằng Phúc", "Hợp tác xã", "4700123456",
     "Chợ Đồn", "Bằng Phúc", "Thực phẩm", 4, 75, "Tỉnh", "1520/QĐ-UBND", "15/06/2024", 2024,
     "Có", "VietGAP"],
    ["Măng khô Bằng Phúc", "Hợp tác xã Nông sản Bằng Phúc", "Hợp tác xã", "4700123456",
     "Chợ Đồn", "Bằng Phúc", "Thực phẩm", None, None, None, None, None, 2024, "Không", None],
]
BROKEN_ROWS = [
    CLEAN_ROWS[0],
    ["Gạo nếp Khẩu nua lếch", "Hộ kinh doanh Lường Văn Sáu", "Hộ kinh doanh", None,
     "Huyện Hà Quảng", None, "Thực phẩm", None, None, None, None, None, None, None, None],
    ["Trà hoa vàng", "Hợp tác xã Nông sản Bằng Phúc", "Hợp tác xã", "4700123456", "Chợ Đồn",
     None, "Thực phẩm", 6, None, None, "9/QĐ-UBND", "01/03/2024", None, None, None],
]


def workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def registry_counts():
    return (Subject.objects.count(), Product.objects.count(), Evaluation.objects.count(),
            Certificate.objects.count())


def upload(page, path):
    page.goto("/products/import/")
    expect(page.get_by_role("heading", name="Nhập sản phẩm từ Excel")).to_be_visible()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    expect(page.get_by_role("heading", name="Xem trước nhập Excel")).to_be_visible()


def issue_rows(page):
    """(row, column) of each error the preview lists."""
    table = page.locator("#loi + .table-responsive tbody tr")
    return [tuple(cells[:2]) for cells in
            (row.locator("td").all_inner_texts() for row in table.all())]


def test_district_officer_imports_a_workbook_after_reading_its_preview(
        journey, page, district_officer, tmp_path):
    log_in(page, "can_bo_cho_don")
    page.goto("/products/import/")
    journey.snap("tai-len")
    upload(page, workbook(tmp_path / "san-pham-cho-don.xlsx", CLEAN_ROWS))

    expect(page.get_by_text("Tệp hợp lệ. Chưa có gì được lưu")).to_be_visible()
    created = page.locator("#tao-moi + .table-responsive tbody tr")
    expect(created).to_have_count(2)
    expect(created.nth(0)).to_contain_text("Miến dong Bằng Phúc")
    expect(created.nth(1)).to_contain_text("Măng khô Bằng Phúc")
    journey.snap("xem-truoc")
    assert registry_counts() == (0, 0, 0, 0)

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("heading", name="Kết quả nhập Excel")).to_be_visible()
    expect(page.get_by_text("Đã lưu vào cổng.")).to_be_visible()
    journey.snap("da-nhap")
    assert registry_counts() == (1, 2, 1, 1)
    subject = Subject.objects.get()
    assert (subject.name, subject.registration_number, subject.district.code) == (
        "Hợp tác xã Nông sản Bằng Phúc", "4700123456", "064")
    recognised = Product.objects.get(name="Miến dong Bằng Phúc")
    # The officer's recognition awaits the province's review: no certificate counts yet.
    evaluation = recognised.evaluations.get()
    assert (evaluation.stars, evaluation.review_state) == (4, "pending")
    assert recognised.current_certificate is None
    assert ReviewItem.objects.filter(kind="evaluation", state="pending").count() == 1
    assert Product.objects.get(name="Măng khô Bằng Phúc").current_certificate is None

    page.locator("#main-nav").get_by_role("link", name="Sản phẩm").click()
    open_filters(page)
    page.get_by_label("Tìm kiếm").fill("bang phuc")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 sản phẩm")
    expect(page.get_by_role("link", name="Miến dong Bằng Phúc")).to_be_visible()
    expect(page.get_by_role("link", name="Măng khô Bằng Phúc")).to_be_visible()
    journey.snap("danh-sach")


def test_broken_workbook_shows_its_errors_by_row_and_saves_nothing(
        journey, page, district_officer, tmp_path):
    log_in(page, "can_bo_cho_don")
    upload(page, workbook(tmp_path / "san-pham-loi.xlsx", BROKEN_ROWS))

    expect(page.get_by_text(re.compile(r"Không thể nhập: tệp có \d+ lỗi"))).to_be_visible()
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)
    errors = issue_rows(page)
    assert ("3", "Huyện/Thành phố") in errors
    assert ("4", "Số sao") in errors
    assert {row for row, _ in errors} <= {"3", "4"}
    journey.snap("loi-theo-dong")
    assert registry_counts() == (0, 0, 0, 0)
