"""Archive instead of delete: products, producers and media items are archived with a reason
by those who may edit them, leave the lists and every count, keep their page and history, and
can be restored."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from communications.models import MediaItem
from products import services as product_services
from products.imports import run_import
from products.models import Product
from subjects.models import Subject
from subjects.services import subject_archive
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise
from tests.products.import_workbooks import row, workbook_bytes
from tests.targets.builders import media_item

pytestmark = pytest.mark.django_db


def new_products(year=2024) -> int:
    out = io.StringIO()
    call_command("indicator_report", "--year", str(year), "--format", "json", stdout=out)
    return next(i["actual"] for i in json.loads(out.getvalue())["indicators"]
                if i["code"] == "new_products_3star")


@pytest.fixture
def product(reference_data):
    subject = SubjectFactory(name="HTX Miến dong Bằng Phúc", district=district("064"))
    made = ProductFactory(name="Miến dong Bằng Phúc", subject=subject)
    recognise(made, stars=4, decision_date=dt.date(2024, 5, 2))
    return made


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_officer_archives_their_product_and_it_leaves_lists_and_counts(
        product, district_officer):
    client = client_for(district_officer)
    assert new_products() == 1
    response = client.post(f"/products/{product.pk}/archive/", {"reason": "Nhập trùng"},
                           follow=True)
    assert "Đã lưu trữ sản phẩm “Miến dong Bằng Phúc”" in response.content.decode()
    product = Product.all_objects.get(pk=product.pk)
    assert (product.is_archived, product.archive_reason, product.archived_by) == (
        True, "Nhập trùng", district_officer)
    assert not Product.objects.filter(pk=product.pk).exists()
    assert new_products() == 0
    assert "Miến dong Bằng Phúc" not in client.get("/products/").content.decode()
    assert "Miến dong Bằng Phúc" in client.get("/products/?archived=1").content.decode()
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert 'data-testid="archived"' in page
    assert "Lý do: Nhập trùng" in page
    assert product.history.first().archived_at is not None  # the history keeps it

    client.post(f"/products/{product.pk}/restore/", follow=True)
    assert Product.objects.filter(pk=product.pk).exists()
    assert new_products() == 1
    assert product.history.count() >= 3


def test_a_reason_is_needed(product, district_officer):
    response = client_for(district_officer).post(f"/products/{product.pk}/archive/",
                                                 {"reason": "  "}, follow=True)
    assert "Chưa lưu trữ" in response.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("other_district_officer", 404), ("leader", 403), ("anonymous", 302)])
def test_only_those_who_may_edit_it_archive_it(request, product, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(f"/products/{product.pk}/archive/", {"reason": "x"}).status_code == status
    assert Product.objects.filter(pk=product.pk).exists()


def test_archiving_is_post_only(product, district_officer):
    assert client_for(district_officer).get(f"/products/{product.pk}/archive/").status_code == 405


def test_a_producer_with_products_in_use_is_not_archived(product, district_officer):
    client = client_for(district_officer)
    response = client.post(f"/subjects/{product.subject_id}/archive/", {"reason": "Giải thể"},
                           follow=True)
    assert "Chủ thể còn 1 sản phẩm đang sử dụng" in response.content.decode()
    client.post(f"/products/{product.pk}/archive/", {"reason": "Ngừng sản xuất"})
    client.post(f"/subjects/{product.subject_id}/archive/", {"reason": "Giải thể"})
    assert not Subject.objects.filter(pk=product.subject_id).exists()
    # The product comes back only with its producer.
    response = client.post(f"/products/{product.pk}/restore/", follow=True)
    assert "hãy khôi phục chủ thể trước" in response.content.decode()
    assert not Product.objects.filter(pk=product.pk).exists()


def test_an_archived_name_is_restored_rather_than_entered_again(product, district_officer):
    product_services.product_archive(product, user=district_officer, reason="Nhập nhầm")
    with pytest.raises(ValidationError) as refused:
        product_services.product_create(
            user=district_officer, name="miến dong  bằng phúc", subject=product.subject,
            group=product.group, district=product.district)
    assert "đang được lưu trữ" in refused.value.message_dict["name"][0]


def test_an_archived_media_item_leaves_the_calendar(reference_data, province_staff):
    item = media_item(dt.datetime(2024, 3, 5, 9), district=district("064"))
    client = client_for(province_staff)
    calendar = client.get("/communications/calendar/?year=2024")
    march = next(m for m in calendar.context["months"] if m.month == 3)
    assert march.count == 1
    client.post(f"/communications/{item.pk}/archive/", {"reason": "Bài không về OCOP"})
    assert not MediaItem.objects.filter(pk=item.pk).exists()
    calendar = client.get("/communications/calendar/?year=2024")
    assert next(m for m in calendar.context["months"] if m.month == 3).count == 0


def test_import_refuses_a_row_of_an_archived_producer(product, province_staff):
    product_services.product_archive(product, user=office_user(), reason="Nhập nhầm")
    subject_archive(product.subject, user=office_user(), reason="Giải thể")
    content = workbook_bytes([row(subject_name=product.subject.name, registration_number="",
                                  product_name="Miến dong mới")])
    report = run_import(name="nhap.xlsx", content=content, user=province_staff, dry_run=True)
    assert any("đang được lưu trữ" in issue.message for issue in report.errors)


def test_an_archived_record_is_not_changed_until_restored(product, district_officer):
    product_services.product_archive(product, user=district_officer, reason="Nhập trùng")
    client = client_for(district_officer)
    client.post(f"/products/{product.pk}/edit/", {
        "name": "Tên mới", "subject": product.subject_id, "group": product.group_id,
        "district": product.district_id})
    assert Product.all_objects.get(pk=product.pk).name == "Miến dong Bằng Phúc"
    with pytest.raises(ValidationError, match="đang được lưu trữ; hãy khôi phục"):
        product_services.traceability_add(product=product, user=district_officer,
                                          system="iCheck", started_on=dt.date(2024, 6, 1))
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert f"/products/{product.pk}/edit/" not in page


def test_archived_products_leave_the_producer_count_the_report_and_the_expiry_notice(
        product, district_officer, province_staff):
    from products.services import certificates_expiring_within
    from targets.monthly import month_figures

    product_services.product_archive(product, user=district_officer, reason="Nhập trùng")
    listed = client_for(province_staff).get("/subjects/?archived=").context["page_obj"]
    assert [s.product_count for s in listed.object_list if s.pk == product.subject_id] == [0]
    assert month_figures(dt.date(2024, 5, 1)).decisions == []
    assert certificates_expiring_within(36 * 31, today=dt.date(2024, 6, 1)) == []


def test_the_back_office_finds_and_filters_archived_records(product, admin_user):
    product_services.product_archive(product, user=admin_user, reason="Nhập trùng")
    client = client_for(admin_user)
    assert client.get(f"/admin/products/product/{product.pk}/change/").status_code == 200
    listed = client.get("/admin/products/product/?luu_tru=luu_tru").content.decode()
    assert "Miến dong Bằng Phúc" in listed
    active = client.get("/admin/products/product/?luu_tru=dang_dung").content.decode()
    assert "Miến dong Bằng Phúc" not in active


def test_an_archived_address_of_another_district_is_not_named(reference_data, district_officer,
                                                             other_district_officer):
    from communications import services as media_services
    from communications.models import Outlet

    outlet = Outlet.objects.create(name="Báo Bắc Kạn", level="tinh")
    url = "https://baobackan.vn/bi-mat-cho-don"

    def post(user, title, code):
        return client_for(user).post("/communications/new/", {
            "title": title, "kind": "bai", "outlet": outlet.pk, "published_on": "05/03/2024",
            "url": url, "district": district(code).pk})

    post(district_officer, "Bí mật của Chợ Đồn", "064")
    item = MediaItem.objects.get()
    media_services.media_item_archive(item, user=district_officer, reason="Trùng")
    html = post(other_district_officer, "Tin khác", "066").content.decode()
    assert "đang được lưu trữ" in html
    assert "Bí mật của Chợ Đồn" not in html
    assert MediaItem.all_objects.count() == 1
