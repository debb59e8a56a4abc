"""Journey 1: a district officer registers a producer and a 4-star product, finds it again, and
cannot open another district's product."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ocop_portal import review
from ocop_portal.models import ReviewItem
from products.models import Certificate, CycleParticipation, Evaluation, Product
from subjects.models import Subject
from tests.e2e.dashboard import card_figure, card_link
from tests.e2e.journey import log_in, open_filters
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.e2e

SUBJECT_NAME = "Hợp tác xã Chè Shan tuyết Bằng Phúc"
PRODUCT_NAME = "Trà Shan tuyết Bằng Phúc"


def test_district_officer_registers_a_4_star_product_and_cannot_open_another_districts(
        journey, page, district_officer, province_staff, na_ri):
    na_ri_product = ProductFactory(name="Miến dong Côn Minh",
                                   subject=SubjectFactory(name="HTX Miến dong Côn Minh",
                                                          district=na_ri))
    log_in(page, "can_bo_cho_don")
    journey.snap("trang-chu")

    # A producer, through the producers' list.
    page.locator("#main-nav").get_by_role("link", name="Chủ thể").click()
    expect(page.get_by_role("heading", name="Chủ thể OCOP")).to_be_visible()
    expect(page.get_by_role("link", name="HTX Miến dong Côn Minh")).to_have_count(0)
    journey.snap("chu-the-danh-sach")
    page.get_by_role("link", name="Thêm chủ thể").click()
    expect(page).to_have_url(re.compile(r"/subjects/new/$"))
    district_options = page.get_by_label("Huyện/Thành phố").locator("option")
    expect(district_options).to_have_text(["— Chọn huyện/thành phố —", "Huyện Chợ Đồn"])
    page.get_by_label("Tên chủ thể").fill(SUBJECT_NAME)
    page.get_by_label("Loại hình").select_option(label="Hợp tác xã")
    # The 2024 producer's commune, of the layout until 30/06/2025.
    page.get_by_label("Xã/Phường/Thị trấn").select_option(
        label="Xã Bằng Phúc (Chợ Đồn; đến 30/06/2025)")
    page.get_by_label("Năm tham gia Chương trình OCOP").fill("2024")
    journey.snap("chu-the-moi")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert").first).to_contain_text(f"Đã thêm chủ thể “{SUBJECT_NAME}”.")
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT_NAME)
    journey.snap("chu-the-da-luu")
    subject = Subject.objects.get(name=SUBJECT_NAME)
    assert (subject.district.code, subject.commune.code) == ("064", "02041")
    # Its first programme year counts a new producer: it awaits the province's review.
    assert (subject.subject_type, subject.first_year_in_programme) == ("htx", None)
    expect(page.get_by_test_id("pending-changes")).to_contain_text(
        "Năm tham gia Chương trình OCOP → 2024")

    # Its product, from the producer's page.
    page.get_by_role("link", name="Thêm sản phẩm").click()
    expect(page).to_have_url(re.compile(r"/products/new/"))
    page.get_by_label("Tên sản phẩm").fill(PRODUCT_NAME)
    page.get_by_label("Chủ thể").select_option(label=f"{SUBJECT_NAME} – Huyện Chợ Đồn")
    page.get_by_label("Nhóm sản phẩm").select_option(label="Chè")  # under its group, Thực phẩm
    page.get_by_label("Xã/Phường/Thị trấn sản xuất").select_option(
        label="Xã Bằng Phúc (Chợ Đồn; đến 30/06/2025)")
    page.get_by_label("Năm tham gia chu trình").fill("2024")
    journey.snap("san-pham-moi")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert").first).to_contain_text(f"Đã thêm sản phẩm “{PRODUCT_NAME}”.")
    expect(page.locator("main")).to_contain_text("Chưa công nhận")
    product = Product.objects.get(name=PRODUCT_NAME)
    assert (product.subject, product.district.code, product.group.code) == (subject, "064", "1.5")
    assert product.current_certificate is None

    # It takes part in the 2024 cycle, already at the province's council.
    page.get_by_role("link", name="Đăng ký chu trình").click()
    page.get_by_label("Năm chu trình").fill("2024")
    page.get_by_label("Ngày đăng ký").fill("01/03/2024")
    page.get_by_label("Giai đoạn hiện tại").select_option(label="Đánh giá cấp tỉnh")
    page.get_by_label("Ngày đến giai đoạn này").fill("20/05/2024")
    journey.snap("dang-ky-chu-trinh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("tham gia chu trình OCOP")
    expect(page.locator("#participations")).to_contain_text("Đánh giá cấp tỉnh: 20/05/2024")
    participation = CycleParticipation.objects.get(product=product)
    assert (participation.cycle_year, participation.stage) == (2024, "cap_tinh")

    # Its 4-star evaluation (total score 75) and the province's decision.
    page.get_by_role("link", name="Ghi kết quả đánh giá").click()
    expect(page).to_have_url(re.compile(rf"/products/{product.pk}/evaluations/new/$"))
    page.get_by_label("Năm đánh giá (chu trình)").fill("2024")
    page.get_by_label("Cấp đánh giá").select_option(label="Cấp tỉnh")
    page.get_by_label("Tổng điểm").fill("75")
    page.get_by_label("Số quyết định").fill("1520/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("15/06/2024")
    journey.snap("danh-gia-moi")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert").first).to_contain_text("Đã ghi nhận kết quả đánh giá.")
    # It awaits the province's review; once confirmed, the certificate is the product's.
    expect(page.locator("main")).to_contain_text("Chờ xác nhận")
    journey.snap("danh-gia-cho-xac-nhan")
    review.review_confirm(ReviewItem.objects.filter(kind="evaluation"), user=province_staff)
    page.reload()
    header = page.locator(".page-header")
    expect(header.get_by_label("4 sao")).to_be_visible()
    expect(header.locator(".badge")).to_have_text(["Còn hiệu lực"])
    expect(page.locator("main")).to_contain_text("Quyết định 1520/QĐ-UBND")
    expect(page.locator("main")).to_contain_text("15/06/2024 – 15/06/2027")
    journey.snap("san-pham-4-sao")
    evaluation = Evaluation.objects.get(product=product)
    assert (evaluation.stars, evaluation.total_score, evaluation.level) == (4, Decimal(75), "tinh")
    assert (evaluation.decision_number, evaluation.decision_date) == (
        "1520/QĐ-UBND", dt.date(2024, 6, 15))
    certificate = Certificate.objects.get(product=product)
    assert (certificate.valid_from, certificate.valid_to) == (
        dt.date(2024, 6, 15), dt.date(2027, 6, 15))
    product.refresh_from_db()
    assert product.current_certificate == certificate
    # The decision ended its cycle.
    participation.refresh_from_db()
    assert (participation.outcome, participation.evaluation) == ("cong_nhan", evaluation)
    expect(page.locator("#participations")).to_contain_text("Được công nhận")

    # Found again in the list, typed without diacritics.
    page.locator("#main-nav").get_by_role("link", name="Sản phẩm").click()
    open_filters(page)
    page.get_by_label("Tìm kiếm").fill("tra shan tuyet bang phuc")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 sản phẩm")
    row = page.locator("tbody tr")
    expect(row.get_by_role("link", name=PRODUCT_NAME)).to_be_visible()
    expect(row).to_contain_text("Còn hiệu lực")
    journey.snap("tim-khong-dau")

    # Another district's product, typed into the address bar: the Vietnamese not-found page.
    response = page.goto(f"/products/{na_ri_product.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang hoặc bản ghi")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Miến dong Côn Minh")
    journey.snap("san-pham-huyen-khac-404")


def test_adding_a_product_from_a_producers_page_starts_with_that_producer(
        page, district_officer, cho_don):
    subject = SubjectFactory(name=SUBJECT_NAME, district=cho_don)
    log_in(page, "can_bo_cho_don")
    page.goto(f"/subjects/{subject.pk}/")
    page.get_by_role("link", name="Thêm sản phẩm").click()
    expect(page).to_have_url(re.compile(r"/products/new/"))
    assert page.get_by_label("Chủ thể").input_value() == str(subject.pk)
    assert page.get_by_label("Huyện/Thành phố sản xuất").input_value() == str(cho_don.pk)


def test_district_officer_finds_a_new_4_star_product_on_the_district_dashboard(
        journey, page, district_officer, cho_don, na_ri):
    product = ProductFactory(name=PRODUCT_NAME, subject=SubjectFactory(district=cho_don))
    recognise(product, stars=4, decision_date=dt.date(2024, 6, 15))
    recognise(ProductFactory(name="Miến dong Côn Minh", subject=SubjectFactory(district=na_ri)),
              stars=3, decision_date=dt.date(2024, 6, 15))
    log_in(page, "can_bo_cho_don")
    page.goto("/dashboard/district/064/?year=2024")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huyện Chợ Đồn")
    assert card_figure(page, "new_products_3star") == (1, None)
    journey.snap("tong-quan-huyen")

    card_link(page, "new_products_3star").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 sản phẩm")
    expect(page.get_by_role("link", name=PRODUCT_NAME)).to_be_visible()
    expect(page.get_by_role("link", name="Miến dong Côn Minh")).to_have_count(0)
    journey.snap("tong-quan-huyen-danh-sach")
