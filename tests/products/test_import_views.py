"""The import pages for every persona: upload → preview → confirm, refusals, the template."""

import datetime as dt
import html as html_lib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ocop_portal.models import Commune
from products.imports import run_import
from products.imports.batches import import_batch_apply, import_batch_check
from products.imports.columns import COLUMNS
from products.models import Evaluation, ImportBatch, Product
from subjects.models import Subject
from tests.factories import ProductFactory, SubjectFactory, recognise
from tests.products.import_workbooks import (
    CLEAN_ROWS,
    csv_bytes,
    padded_workbook_bytes,
    row,
    workbook_bytes,
)
from tests.products.test_imports import registry_state

pytestmark = pytest.mark.django_db

UPLOAD = reverse("products:import")
TEMPLATE = reverse("products:import_template")
CHO_DON_ROWS = [CLEAN_ROWS[0], CLEAN_ROWS[3]]


def upload_file(content, name="san-pham.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def table_rows(html):
    """The cells' text of every table row of a page."""
    rows = []
    for body in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, re.S)
        rows.append([html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def detail_url(batch):
    return reverse("products:import_detail", args=[batch.pk])


def confirm_url(batch):
    return reverse("products:import_confirm", args=[batch.pk])


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a workbook as `client`, running the queued check as the worker would."""

    def post(client, content, name="san-pham.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(UPLOAD, {"file": upload_file(content, name)})

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def post(client, batch):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(confirm_url(batch))

    return post


@pytest.fixture
def previewed_batch(district_officer, upload):
    client = Client()
    client.force_login(district_officer)
    upload(client, workbook_bytes(CHO_DON_ROWS))
    return ImportBatch.objects.get()


# Access ---------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_login_from_every_import_url(previewed_batch):
    client = Client()
    for response in (client.get(UPLOAD), client.post(UPLOAD), client.get(TEMPLATE),
                     client.get(detail_url(previewed_batch)),
                     client.post(confirm_url(previewed_batch))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


def test_a_leader_gets_403_on_every_import_url(leader, previewed_batch):
    client = Client()
    client.force_login(leader)
    responses = [
        client.get(UPLOAD),
        client.post(UPLOAD, {"file": upload_file(workbook_bytes([row()]))}),
        client.get(TEMPLATE),
        client.get(detail_url(previewed_batch)),
        client.post(confirm_url(previewed_batch)),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    assert ImportBatch.objects.count() == 1
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    assert Product.objects.count() == 0


@pytest.mark.parametrize("persona", ["other_district_officer", "province_staff", "admin_user"])
def test_someone_elses_batch_is_a_404(persona_client, persona, previewed_batch):
    client, _ = persona_client(persona)

    assert client.get(detail_url(previewed_batch)).status_code == 404
    assert client.post(confirm_url(previewed_batch)).status_code == 404
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    assert Product.objects.count() == 0


def test_confirm_accepts_post_only(district_officer, previewed_batch):
    client = Client()
    client.force_login(district_officer)

    assert client.get(confirm_url(previewed_batch)).status_code == 405
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


# Upload → preview → confirm ---------------------------------------------------------------

@pytest.mark.parametrize(("persona", "rows"), [
    ("province_staff", CLEAN_ROWS), ("admin_user", CLEAN_ROWS),
    ("district_officer", CHO_DON_ROWS)])
def test_upload_preview_confirm_imports_the_workbook(persona_client, persona, rows, upload,
                                                     confirm):
    client, user = persona_client(persona)
    assert client.get(UPLOAD).status_code == 200
    before = registry_state()

    response = upload(client, workbook_bytes(rows))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(batch)
    assert (batch.status, batch.user, batch.source) == ("previewed", user, "web")
    before["ImportBatch"] += 1
    assert registry_state() == before  # the preview saved nothing
    page = client.get(detail_url(batch))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Xác nhận nhập" in html
    assert f"Dòng sẽ tạo mới ({len(rows)})" in html
    assert "Trà Shan tuyết Bằng Phúc" in html

    response = confirm(client, batch)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_at is not None
    assert Product.objects.count() == len(rows)
    assert Evaluation.objects.filter(created_by=user).count() == len(rows) - (rows is CLEAN_ROWS)
    html = client.get(detail_url(batch)).content.decode()
    assert "Đã lưu vào cổng" in html
    assert "Xác nhận nhập" not in html


def test_a_second_confirm_imports_nothing_more(district_officer, previewed_batch, confirm):
    client = Client()
    client.force_login(district_officer)
    confirm(client, previewed_batch)
    after_first = registry_state()

    response = confirm(client, previewed_batch)

    assert response.status_code == 302
    assert registry_state() == after_first


def test_preview_with_errors_lists_them_and_offers_no_confirmation(province_staff, upload,
                                                                   confirm):
    client = Client()
    client.force_login(province_staff)
    before = registry_state()

    upload(client, workbook_bytes([row(), row(product_name="Măng khô", stars=6,
                                              commune="Kim Hỷ")]))

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    html = client.get(detail_url(batch)).content.decode()
    assert "Không thể nhập: tệp có 2 lỗi." in html
    rows = table_rows(html)
    assert ["3", "Xã/Phường/Thị trấn",
            "“Kim Hỷ” (Xã Kim Hỷ) thuộc Huyện Na Rì, không thuộc Huyện Chợ Đồn."] in rows
    assert ["3", "Số sao", "6 không hợp lệ, chỉ nhận 3, 4 hoặc 5."] in rows
    assert "Xác nhận nhập" not in html
    confirm(client, batch)  # forcing it changes nothing
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert bytes(batch.content) == b""  # a refused file is not kept, its errors are
    before["ImportBatch"] += 1
    assert registry_state() == before


def test_a_district_officer_uploading_another_districts_row_saves_nothing(district_officer,
                                                                           upload):
    client = Client()
    client.force_login(district_officer)

    upload(client, workbook_bytes(CLEAN_ROWS))

    html = client.get(detail_url(ImportBatch.objects.get())).content.decode()
    assert ("Huyện Na Rì ngoài phạm vi của bạn: cán bộ Huyện Chợ Đồn chỉ được nhập sản phẩm "
            "của Huyện Chợ Đồn.") in html
    assert "Xác nhận nhập" not in html
    assert Product.objects.count() == 0
    assert Subject.objects.count() == 0


@pytest.mark.parametrize(("content", "name", "message"), [
    (csv_bytes(), "san-pham.xlsx", "nội dung không phải bảng tính Excel"),
    (csv_bytes(), "san-pham.csv", "không phải tệp Excel .xlsx"),
    (padded_workbook_bytes([row()], 5 * 1024 * 1024 + 10), "lon.xlsx",
     "vượt giới hạn 5 MB mỗi lần nhập"),
], ids=["renamed-csv", "csv", "over-5-mb"])
def test_a_file_that_is_not_an_importable_xlsx_is_refused_on_the_form(
        district_officer, upload, content, name, message):
    client = Client()
    client.force_login(district_officer)

    response = upload(client, content, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_upload_page_lists_the_users_own_recent_batches(district_officer,
                                                             other_district_officer, upload):
    own, other = Client(), Client()
    own.force_login(district_officer)
    other.force_login(other_district_officer)
    upload(own, workbook_bytes(CHO_DON_ROWS), "cua-toi.xlsx")
    upload(other, workbook_bytes([row(district="Na Rì", commune=None)]), "cua-na-ri.xlsx")

    html = own.get(UPLOAD).content.decode()

    assert "cua-toi.xlsx" in html
    assert "Đã kiểm tra, chờ xác nhận" in html
    assert "cua-na-ri.xlsx" not in html


def test_the_form_asks_for_a_file(district_officer):
    client = Client()
    client.force_login(district_officer)

    response = client.post(UPLOAD, {})

    assert response.status_code == 200
    assert "Hãy chọn tệp Excel (.xlsx) cần nhập." in response.content.decode()


def test_records_changed_between_preview_and_confirm_fail_the_import(
        district_officer, previewed_batch, confirm):
    subject = SubjectFactory(name="Hợp tác xã Chè Bằng Phúc", registration_number="4700111111")
    product = ProductFactory(name="Trà Shan tuyết Bằng Phúc", subject=subject)
    recognise(product, stars=4, decision_date=dt.date(2024, 6, 15),
              decision_number="101/QĐ-UBND")
    before = registry_state()
    client = Client()
    client.force_login(district_officer)

    confirm(client, previewed_batch)

    previewed_batch.refresh_from_db()
    assert previewed_batch.status == ImportBatch.Status.FAILED
    html = client.get(detail_url(previewed_batch)).content.decode()
    assert "đã có trong cổng với 4 sao, tệp ghi 3 sao" in html
    assert registry_state() == before


def test_a_batch_being_checked_refreshes_itself(district_officer):
    client = Client()
    client.force_login(district_officer)
    client.post(UPLOAD, {"file": upload_file(workbook_bytes(CHO_DON_ROWS))})  # task not run yet
    batch = ImportBatch.objects.get()

    html = client.get(detail_url(batch)).content.decode()

    assert batch.status == ImportBatch.Status.CHECKING
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Đang kiểm tra tệp" in html
    assert "Xác nhận nhập" not in html
    ImportBatch.objects.filter(pk=batch.pk).update(
        updated_at=batch.updated_at - dt.timedelta(hours=1))
    html = client.get(detail_url(batch)).content.decode()
    assert "có thể đã bị gián đoạn" in html
    assert "http-equiv" not in html


def test_the_worker_records_the_uploader_as_the_author_of_history(district_officer,
                                                                  previewed_batch):
    ImportBatch.objects.filter(pk=previewed_batch.pk).update(status=ImportBatch.Status.IMPORTING)

    import_batch_apply(previewed_batch.pk)  # as the worker runs it: no request

    assert Product.objects.count() == 2
    for model in (Subject, Product, Evaluation):
        authors = set(model.history.values_list("history_user", flat=True))
        assert authors == {district_officer.pk}, model


def test_tasks_run_twice_do_the_work_once(district_officer, previewed_batch, confirm):
    import_batch_check(previewed_batch.pk)  # already checked: nothing to do
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    client = Client()
    client.force_login(district_officer)
    confirm(client, previewed_batch)
    after = registry_state()

    import_batch_apply(previewed_batch.pk)

    assert registry_state() == after


# The template ---------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["province_staff", "district_officer", "admin_user"])
def test_template_has_the_v1_header_an_example_row_and_a_guide(persona_client, persona):
    client, _ = persona_client(persona)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Sản phẩm", "Hướng dẫn"]
    sheet = workbook["Sản phẩm"]
    header, example = ([cell.value for cell in r] for r in sheet.iter_rows(max_row=2))
    assert header == [column.title for column in COLUMNS]
    values = dict(zip(header, example, strict=True))
    assert Commune.objects.filter(name=values["Xã/Phường/Thị trấn"],
                                  district__name=values["Huyện/Thành phố"]).exists()
    assert values["Ngày quyết định"] == dt.datetime(2024, 6, 15)
    guide = " ".join(str(cell.value) for r in workbook["Hướng dẫn"].iter_rows() for cell in r)
    for column in COLUMNS:
        assert column.title in guide
    assert "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch" in guide
    assert "Hữu cơ TCVN 11041" in guide


def test_the_template_as_downloaded_is_refused_only_for_its_example_row(province_staff):
    client = Client()
    client.force_login(province_staff)
    content = client.get(TEMPLATE).content

    report = run_import(name="mau.xlsx", content=content, user=province_staff, dry_run=True)

    assert [str(e) for e in report.errors] == [
        "Dòng 2: đây là dòng ví dụ của tệp mẫu; hãy xoá hoặc thay bằng dữ liệu thật trước khi "
        "nhập."]


def test_the_template_filled_in_imports(province_staff):
    client = Client()
    client.force_login(province_staff)
    workbook = load_workbook(io.BytesIO(client.get(TEMPLATE).content))
    sheet = workbook["Sản phẩm"]
    sheet["A2"] = "Trà hoa vàng"
    sheet["B2"] = "Hợp tác xã Trà Bằng Phúc"
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run_import(name="mau.xlsx", content=buffer.getvalue(), user=province_staff,
                        dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    product = Product.objects.get()
    assert (product.name, product.district.name, product.commune.name) == (
        "Trà hoa vàng", "Chợ Đồn", "Bằng Phúc")
