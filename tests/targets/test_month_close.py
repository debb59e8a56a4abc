"""Month close (chốt số liệu): once province staff close a month, no record dated in it is added,
changed or deleted through any path (pages, import, admin, API, archive) until it is reopened
with a reason; the history keeps every close and reopen, and the monthly reports say so."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from communications.models import MediaItem
from ocop_portal.archive import archive
from products.imports import run_import
from products.models import Certificate, CertificateStatus, Evaluation, Product
from products.services import certificate_revoke, evaluation_delete
from subjects.models import Linkage, SupportRecord
from targets import closing
from targets.models import MonthClose, MonthCloseState
from tests.api.conftest import token_client
from tests.communications.factories import MediaItemFactory, OutletFactory, local
from tests.conftest import PERSONAS
from tests.factories import ProductFactory, SubjectFactory, recognise
from tests.products.import_workbooks import row, workbook_bytes
from tests.targets.builders import support
from tests.targets.test_reports import built_report

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)
JUNE = dt.date(2024, 6, 1)
CLOSED = "Tháng 05/2024 đã chốt số liệu ngày"
MANAGERS = ["province_staff", "admin_user"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def subject(cho_don):
    return SubjectFactory(name="HTX Miến dong Côn Minh", district=cho_don)


@pytest.fixture
def product(subject):
    return ProductFactory(name="Miến dong Chợ Đồn", subject=subject)


@pytest.fixture
def closed_may(province_staff):
    return closing.month_close(month=MAY, user=province_staff)


def _today_text() -> str:
    return f"{timezone.localdate():%d/%m/%Y}"


# Closing and reopening ------------------------------------------------------------------------


def test_the_refusal_names_the_month_the_close_and_whom_to_ask(closed_may):
    with pytest.raises(ValidationError) as refused:
        closing.require_open(dt.date(2024, 5, 20), "kết quả đánh giá")
    assert refused.value.messages == [
        f"Tháng 05/2024 đã chốt số liệu ngày {_today_text()}; không thể thêm, sửa hoặc xoá kết "
        "quả đánh giá có ngày trong tháng này. Liên hệ Văn phòng Điều phối để mở lại."]
    closing.require_open(dt.date(2024, 6, 1), "kết quả đánh giá")
    assert closing.closed_month_of(dt.date(2024, 5, 31)) == closed_may
    assert closing.closed_month_of(dt.date(2024, 4, 30)) is None


def test_a_month_not_yet_ended_cannot_be_closed(province_staff):
    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + dt.timedelta(days=40)).replace(day=1)
    for month in (this_month, next_month):
        with pytest.raises(ValidationError, match="chưa kết thúc"):
            closing.month_close(month=month, user=province_staff)
    assert not MonthClose.objects.exists()


def test_a_closed_month_is_not_closed_twice(closed_may, province_staff):
    with pytest.raises(ValidationError, match="đã chốt số liệu"):
        closing.month_close(month=MAY, user=province_staff)


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_only_province_staff_and_admins_close_and_reopen(request, persona, province_staff):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        closing.month_close(month=MAY, user=user)
    closing.month_close(month=MAY, user=province_staff)
    with pytest.raises(PermissionDenied):
        closing.month_reopen(month=MAY, user=user, reason="Sửa số liệu")
    assert MonthClose.objects.get().state == MonthCloseState.CLOSED


def test_reopen_needs_a_reason_then_writes_are_allowed_again(closed_may, province_staff,
                                                              product):
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as refused:
            closing.month_reopen(month=MAY, user=province_staff, reason=reason)
        assert refused.value.message_dict == {"reason": [
            "Hãy ghi lý do mở lại số liệu tháng 05/2024."]}
    with pytest.raises(ValidationError, match="dài tối đa 500"):
        closing.month_reopen(month=MAY, user=province_staff, reason="x" * 501)
    with pytest.raises(ValidationError, match=CLOSED):
        recognise(product, 3, dt.date(2024, 5, 20))
    closing.month_reopen(month=MAY, user=province_staff, reason="Bổ sung quyết định 12/QĐ")
    recognise(product, 3, dt.date(2024, 5, 20))
    assert Evaluation.objects.filter(product=product).count() == 1


def test_history_keeps_close_reopen_and_reclose(closed_may, province_staff, admin_user):
    closing.month_reopen(month=MAY, user=admin_user, reason="Sửa ngày quyết định")
    closing.month_close(month=MAY, user=province_staff)
    events = closing.close_events()
    assert [(e.kind, e.user, e.reason) for e in events] == [
        ("close", province_staff, ""), ("reopen", admin_user, "Sửa ngày quyết định"),
        ("reclose", province_staff, "")]
    assert MonthClose.history.count() == 3
    assert MonthClose.objects.get().is_closed


# Every write path refuses -----------------------------------------------------------------


def _evaluation_post(client, product, day: str, number="77/QĐ-UBND"):
    return client.post(f"/products/{product.pk}/evaluations/new/", {
        "cycle_year": 2024, "level": "huyen", "stars": "3", "decision_number": number,
        "decision_date": day})


def test_the_evaluation_page_refuses_a_decision_in_a_closed_month(closed_may, district_officer,
                                                                  product):
    client = client_for(district_officer)
    response = _evaluation_post(client, product, "20/05/2024")
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not Evaluation.objects.filter(product=product).exists()
    # A decision of an open month still saves.
    assert _evaluation_post(client, product, "20/04/2024", "78/QĐ").status_code == 302
    assert Evaluation.objects.filter(product=product).count() == 1


def test_the_linkage_page_refuses_a_linkage_from_a_closed_month(closed_may, district_officer,
                                                                subject):
    client = client_for(district_officer)
    data = {"kind": "sx_tt", "partner": "Siêu thị Co.opmart", "valid_from": "10/05/2024"}
    response = client.post(f"/subjects/{subject.pk}/linkages/new/", data)
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not Linkage.objects.exists()
    response = client.post(f"/subjects/{subject.pk}/linkages/new/",
                           {**data, "valid_from": "10/06/2024"})
    assert response.status_code == 302
    assert Linkage.objects.get().valid_from == dt.date(2024, 6, 10)


def _media_data(outlet, **changes):
    return {"title": "Hồng không hạt Ba Bể", "kind": "bai", "outlet": outlet.pk,
            "published_on": "31/05/2024", "published_time": "23:30",
            "url": "https://baobackan.vn/ocop/hong-khong-hat.html", "author": "",
            "district": "", "note": "", **changes}


def test_media_items_of_a_closed_month_are_not_added_moved_or_archived(province_staff):
    client = client_for(province_staff)
    outlet = OutletFactory(name="Báo Bắc Kạn")
    # 01/06 00:30 in Vietnam is still 31/05 in UTC: the local day is the one that counts.
    june = MediaItemFactory(outlet=outlet, published_at=local(2024, 6, 1, 0, 30))
    may = MediaItemFactory(outlet=outlet, published_at=local(2024, 5, 15, 9, 0))
    closing.month_close(month=MAY, user=province_staff)
    response = client.post("/communications/new/", _media_data(outlet))
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert MediaItem.objects.count() == 2
    response = client.post(f"/communications/{june.pk}/edit/", _media_data(outlet))
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    response = client.post(f"/communications/{may.pk}/edit/",
                           _media_data(outlet, published_on="15/06/2024"))
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    june.refresh_from_db()
    may.refresh_from_db()
    assert june.published_at == local(2024, 6, 1, 0, 30)
    assert may.published_at == local(2024, 5, 15, 9, 0)
    with pytest.raises(ValidationError, match=CLOSED):
        archive(may, user=province_staff, reason="Nhập trùng")
    response = client.post(f"/communications/{may.pk}/archive/", {"reason": "Nhập trùng"})
    assert response.status_code == 302
    may.refresh_from_db()
    assert not may.is_archived
    # An item of an open month is edited as before.
    response = client.post(f"/communications/{june.pk}/edit/",
                           _media_data(outlet, published_on="02/06/2024", title="Tin mới"))
    assert response.status_code == 302


def test_records_of_a_closed_month_are_not_deleted(closed_may, province_staff, product, subject):
    closing.month_reopen(month=MAY, user=province_staff, reason="Nhập bổ sung")
    outcome = recognise(product, 3, dt.date(2024, 5, 20))
    record = support(subject, dt.date(2024, 5, 10))
    closing.month_close(month=MAY, user=province_staff)
    # A delete sends pre_delete inside its own transaction: each is run in a savepoint, as the
    # services' @transaction.atomic runs them.
    with pytest.raises(ValidationError, match=CLOSED), transaction.atomic():
        evaluation_delete(outcome.evaluation, user=province_staff)
    with pytest.raises(ValidationError, match=CLOSED), transaction.atomic():
        SupportRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(ValidationError, match=CLOSED), transaction.atomic():
        Product.all_objects.filter(pk=product.pk).delete()  # its evaluation would go with it
    assert Evaluation.objects.filter(pk=outcome.evaluation.pk).exists()
    assert SupportRecord.objects.filter(pk=record.pk).exists()


def test_a_certificate_of_a_closed_month_may_be_revoked_in_an_open_one(province_staff, product):
    outcome = recognise(product, 3, dt.date(2024, 5, 20))
    closing.month_close(month=MAY, user=province_staff)
    with pytest.raises(ValidationError, match=CLOSED):
        certificate_revoke(outcome.certificate, user=province_staff,
                           revoked_on=dt.date(2024, 5, 30), decision="5/QĐ", reason="Vi phạm")
    certificate = Certificate.objects.get(pk=outcome.certificate.pk)
    certificate_revoke(certificate, user=province_staff, revoked_on=dt.date(2024, 7, 1),
                       decision="5/QĐ", reason="Vi phạm")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.REVOKED


def test_the_import_refuses_a_row_dated_in_a_closed_month(closed_may, province_staff):
    rows = [row(product_name="Trà xanh", decision_number="1/QĐ",
                decision_date=dt.datetime(2024, 4, 15)),
            row(decision_date=dt.datetime(2024, 5, 20))]
    report = run_import(name="san-pham.xlsx", content=workbook_bytes(rows), user=province_staff,
                        dry_run=False)
    assert not report.applied
    assert [str(issue) for issue in report.errors] == [
        f"Dòng 3, cột “Ngày quyết định”: {CLOSED} {_today_text()}; không thể thêm, sửa hoặc "
        "xoá kết quả đánh giá, phân hạng có ngày trong tháng này. Liên hệ Văn phòng Điều phối "
        "để mở lại."]
    # All or nothing: the row of April is not saved either.
    assert not Product.objects.exists()
    assert not Evaluation.objects.exists()
    report = run_import(name="san-pham.xlsx", content=workbook_bytes(rows[:1]),
                        user=province_staff, dry_run=False)
    assert report.applied, [str(issue) for issue in report.errors]
    assert Evaluation.objects.get().decision_date == dt.date(2024, 4, 15)


def test_the_admin_refuses_changing_or_deleting_an_evaluation_of_a_closed_month(
        province_staff, product):
    from tests.ocop_portal.test_admin_rules import _form_data

    outcome = recognise(product, 3, dt.date(2024, 5, 20), decision_number="12/QĐ")
    closing.month_close(month=MAY, user=province_staff)
    client = client_for(province_staff)
    url = f"/admin/products/evaluation/{outcome.evaluation.pk}/change/"
    response = client.post(url, _form_data(client, url, decision_date="20/06/2024"))
    assert response.status_code == 200
    assert CLOSED in str(response.context["adminform"].form.errors)
    assert Evaluation.objects.get(pk=outcome.evaluation.pk).decision_date == dt.date(2024, 5, 20)
    delete_url = f"/admin/products/evaluation/{outcome.evaluation.pk}/delete/"
    response = client.get(delete_url)
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    client.post(delete_url, {"post": "yes"})
    assert Evaluation.objects.filter(pk=outcome.evaluation.pk).exists()


EVALUATION = {"cycle_year": 2024, "level": "tinh", "stars": 4, "total_score": "75.50",
              "decision_number": "99/QĐ-UBND", "decision_date": "2024-05-20"}


def test_the_api_refuses_an_evaluation_of_a_closed_month(closed_may, district_officer, product):
    client = token_client(district_officer)
    url = f"/api/v1/products/{product.pk}/evaluations/"
    response = client.post(url, EVALUATION, format="json")
    assert response.status_code == 400
    assert CLOSED in response.json()["non_field_errors"][0]
    assert not Evaluation.objects.exists()
    response = client.post(url, {**EVALUATION, "decision_date": "2024-06-03"}, format="json")
    assert response.status_code == 201, response.json()


def test_moving_a_record_out_of_or_into_a_closed_month_is_refused(closed_may, province_staff,
                                                                  product):
    april = recognise(product, 3, dt.date(2024, 4, 20)).evaluation
    april.decision_date = dt.date(2024, 5, 2)
    with pytest.raises(ValidationError, match=CLOSED):
        april.save()
    closing.month_reopen(month=MAY, user=province_staff, reason="Nhập bổ sung")
    may = recognise(product, 4, dt.date(2024, 5, 20)).evaluation
    closing.month_close(month=MAY, user=province_staff)
    may.decision_date = dt.date(2024, 6, 2)
    with pytest.raises(ValidationError, match=CLOSED):
        may.save()
    assert Evaluation.objects.get(pk=may.pk).decision_date == dt.date(2024, 5, 20)


# The page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_by_persona(persona_client, persona):
    client, user = persona_client(persona)
    response = client.get("/targets/months/")
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Chốt số liệu theo tháng" in html
        assert ('action="/targets/months/close/"' in html) == (persona in MANAGERS)
    response = client.post("/targets/months/close/", {"month": "2024-05-01"})
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not MonthClose.objects.exists()
    elif persona in MANAGERS:
        assert response.status_code == 302
        assert MonthClose.objects.get().is_closed
    else:
        assert response.status_code == 403
        assert not MonthClose.objects.exists()


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_officers_and_leaders_cannot_reopen(request, persona, closed_may):
    client = client_for(request.getfixturevalue(persona))
    response = client.post("/targets/months/reopen/", {"month": "2024-05-01", "reason": "Sửa"})
    assert response.status_code == 403
    assert MonthClose.objects.get().is_closed


def test_the_page_closes_reopens_with_a_reason_and_shows_the_history(province_staff):
    client = client_for(province_staff)
    response = client.post("/targets/months/close/", {"month": "2024-05-01"}, follow=True)
    assert "Đã chốt số liệu tháng 05/2024" in response.content.decode()
    response = client.post("/targets/months/reopen/", {"month": "2024-05-01", "reason": ""},
                           follow=True)
    assert "Hãy ghi lý do mở lại số liệu tháng 05/2024." in response.content.decode()
    assert MonthClose.objects.get().is_closed
    response = client.post("/targets/months/reopen/",
                           {"month": "2024-05-01", "reason": "Bổ sung quyết định 12/QĐ"},
                           follow=True)
    html = response.content.decode()
    assert "Đã mở lại số liệu tháng 05/2024" in html
    assert "Bổ sung quyết định 12/QĐ" in html
    assert MonthClose.objects.get().state == MonthCloseState.REOPENED
    this_month = timezone.localdate().replace(day=1)
    response = client.post("/targets/months/close/", {"month": f"{this_month:%Y-%m-%d}"},
                           follow=True)
    assert "chưa kết thúc" in response.content.decode()
    assert not MonthClose.objects.filter(month=this_month).exists()


def test_the_page_lists_24_months(leader):
    response = client_for(leader).get("/targets/months/")
    assert len(response.context["rows"]) == 24
    assert response.context["rows"][0].month == timezone.localdate().replace(day=1)
    assert not response.context["rows"][0].can_close


# Monthly reports ---------------------------------------------------------------------------


def _heading_texts(report) -> list[str]:
    with report.file.open("rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read()))["Tổng hợp"]
    return [str(cell.value) for line in sheet.iter_rows(max_row=20) for cell in line
            if cell.value]


def test_a_report_built_after_the_close_carries_the_marker(reference_data, province_staff,
                                                           leader):
    before = built_report(MAY)
    assert before.summary["closed_on"] is None
    assert not any("đã chốt" in text for text in _heading_texts(before))
    closing.month_close(month=MAY, user=province_staff)
    after = built_report(MAY)
    marker = f"Số liệu đã chốt ngày {_today_text()}"
    assert after.summary["closed_on"] == _today_text()
    assert f"{marker}." in _heading_texts(after)
    assert marker in client_for(leader).get("/reports/").content.decode()


def test_the_next_report_names_the_reopen_and_the_reclose(reference_data, province_staff):
    closing.month_close(month=MAY, user=province_staff)
    built_report(MAY)
    closing.month_reopen(month=MAY, user=province_staff, reason="Bổ sung quyết định 12/QĐ")
    closing.month_close(month=MAY, user=province_staff)
    june = built_report(JUNE)
    events = june.summary["close_events"]
    assert len(events) == 2
    assert "mở lại số liệu tháng 05/2024 (lý do: Bổ sung quyết định 12/QĐ)" in events[0]
    assert "chốt lại số liệu tháng 05/2024" in events[1]
    assert str(province_staff) in events[0] or province_staff.get_full_name() in events[0]
    texts = _heading_texts(june)
    assert any(text.startswith("Điều chỉnh số liệu đã chốt") and "Bổ sung quyết định 12/QĐ"
               in text for text in texts)
    # The month after names nothing that happened before June's report.
    assert built_report(dt.date(2024, 7, 1)).summary["close_events"] == []
