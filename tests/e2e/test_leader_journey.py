"""Journey 6: a leader reads everything, is offered no edit control anywhere, and a forged write is
refused with nothing changed."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from products.models import Certificate, Evaluation, Product
from subjects.models import Linkage, Subject
from tests.e2e.journey import csrf_token, edit_controls, log_in
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.e2e

READ_ONLY = "Vai trò của bạn chỉ được xem, không được thay đổi dữ liệu."
NO_RIGHT = "Bạn không có quyền thay đổi dữ liệu của huyện này."


@pytest.fixture
def recognised_product(cho_don):
    """A Chợ Đồn product with an active 4-star certificate: every edit control has a target."""
    subject = SubjectFactory(name="Hợp tác xã Miến dong Bằng Phúc", district=cho_don)
    product = ProductFactory(name="Miến dong Bằng Phúc", subject=subject)
    recognise(product, stars=4, decision_date=dt.date(2024, 6, 15),
              decision_number="1520/QĐ-UBND")
    return product


def assert_no_edit_controls(page):
    expect(edit_controls(page)).to_have_count(0)


def test_leader_sees_no_edit_controls_and_a_forged_post_is_refused(
        journey, page, leader, recognised_product):
    product = recognised_product
    subject = product.subject
    certificate = product.current_certificate
    log_in(page, "lanh_dao")
    journey.snap("trang-chu")

    page.locator("#main-nav").get_by_role("link", name="Sản phẩm").click()
    expect(page.get_by_role("link", name="Miến dong Bằng Phúc")).to_be_visible()
    expect(page.get_by_role("link", name="Xuất Excel")).to_be_visible()
    assert_no_edit_controls(page)
    journey.snap("san-pham-danh-sach")

    page.get_by_role("link", name="Miến dong Bằng Phúc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Miến dong Bằng Phúc")
    expect(page.locator("main")).to_contain_text("Quyết định 1520/QĐ-UBND")
    assert_no_edit_controls(page)
    journey.snap("san-pham-chi-tiet")

    page.get_by_role("link", name="Hợp tác xã Miến dong Bằng Phúc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hợp tác xã Miến dong Bằng Phúc")
    assert_no_edit_controls(page)
    journey.snap("chu-the-chi-tiet")

    page.locator("#main-nav").get_by_role("link", name="Chủ thể").click()
    expect(page.get_by_role("link", name="Hợp tác xã Miến dong Bằng Phúc")).to_be_visible()
    assert_no_edit_controls(page)
    journey.snap("chu-the-danh-sach")

    # Typing an edit page's address is refused with the Vietnamese 403 page.
    response = page.goto(f"/products/{product.pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Bạn không có quyền thực hiện thao tác này")
           ).to_be_visible()
    journey.snap("sua-san-pham-403")

    # A form injected into the product's page, with the page's own CSRF token, is refused.
    page.goto(f"/products/{product.pk}/")
    page.evaluate("""([action, token]) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        const fields = {csrfmiddlewaretoken: token, cycle_year: '2025', level: 'trung_uong',
                        total_score: '95', decision_number: '99/QĐ-TTg',
                        decision_date: '01/03/2025'};
        for (const [name, value] of Object.entries(fields)) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
    }""", [f"/products/{product.pk}/evaluations/new/", csrf_token(page)])
    page.wait_for_url(f"**/products/{product.pk}/evaluations/new/")
    expect(page.get_by_role("heading", name="Bạn không có quyền thực hiện thao tác này")
           ).to_be_visible()
    expect(page.locator("main")).to_contain_text(NO_RIGHT)
    journey.snap("danh-gia-gia-mao-403")

    # The same through the browser's request API, with the session cookie and the CSRF token:
    # the refusal must come from the role (its message), not from a CSRF failure.
    page.goto(f"/products/{product.pk}/")
    token = csrf_token(page)
    forged = {
        f"/products/{product.pk}/edit/": {
            "name": "Tên đã bị sửa", "subject": subject.pk, "group": product.group_id,
            "district": product.district_id},
        f"/products/certificates/{certificate.pk}/revoke/": {
            "revoked_on": "01/03/2025", "decision": "1/QĐ-UBND", "reason": "Giả mạo"},
        "/subjects/new/": {"name": "Chủ thể giả mạo", "subject_type": "htx",
                           "district": product.district_id},
        f"/subjects/{subject.pk}/linkages/new/": {
            "kind": "tieu_thu", "partner": "Đối tác giả mạo", "valid_from": "01/01/2025"},
    }
    for url, fields in forged.items():
        response = page.request.post(url, form={"csrfmiddlewaretoken": token, **fields},
                                     max_redirects=0)
        assert response.status == 403, f"POST {url}: {response.status}"
        assert READ_ONLY in response.text() or NO_RIGHT in response.text(), url

    product.refresh_from_db()
    certificate.refresh_from_db()
    assert product.name == "Miến dong Bằng Phúc"
    assert Evaluation.objects.filter(product=product).count() == 1
    assert certificate.status == "active"
    assert certificate.revocation_reason == ""
    assert list(Certificate.objects.values_list("pk", flat=True)) == [certificate.pk]
    assert list(Subject.objects.values_list("name", flat=True)) == [subject.name]
    assert not Linkage.objects.exists()
    assert Product.objects.count() == 1


def test_province_staff_are_offered_the_edit_controls_a_leader_is_not(page, province_staff,
                                                                      recognised_product):
    """The control of the journey above: the same search finds the controls for an editor."""
    log_in(page, "tinh")
    for url, names in [
        (f"/products/{recognised_product.pk}/",
         ["Ghi kết quả đánh giá", "Sửa", "Thu hồi", "Thêm", "Thêm"]),
        (f"/subjects/{recognised_product.subject.pk}/", ["Thêm sản phẩm", "Sửa", "Thêm", "Thêm"]),
        ("/products/", ["Thêm sản phẩm", "Nhập từ Excel"]),
        ("/subjects/", ["Thêm chủ thể"]),
    ]:
        page.goto(url)
        found = [text.strip() for text in edit_controls(page).all_inner_texts()]
        assert found == names, url
