"""Province review of what districts enter: each counted kind awaits, is confirmed, or is
returned, fixed and sent again, with `actual` and `pending` at each step; province staff's
entries count at once; an officer's change to a confirmed record counts only once confirmed."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from communications.models import Outlet, OutletLevel
from communications.services import media_item_create, media_item_update
from ocop_portal import review
from ocop_portal.models import ReviewItem, ReviewState
from products.models import Certificate, CertificateStatus, Evaluation
from products.services import (
    certificate_revoke,
    product_update,
    quality_certification_add,
    traceability_add,
)
from products.services.evaluations import evaluation_record
from subjects.models import SupportRecord
from subjects.services import (
    SubjectFields,
    linkage_add,
    subject_create,
    support_record_add,
)
from tests.factories import ProductFactory, SubjectFactory, commune_of, recognise
from tests.products.import_workbooks import row, workbook_bytes

pytestmark = pytest.mark.django_db

YEAR = 2025
CHO_DON = "064"


def figures(code: str, year: int = YEAR) -> tuple[int, int, int, int]:
    """(province actual, province pending, Chợ Đồn actual, Chợ Đồn pending) of `code`."""
    out = io.StringIO()
    call_command("indicator_report", "--year", str(year), "--format", "json", stdout=out)
    indicator = next(i for i in json.loads(out.getvalue())["indicators"] if i["code"] == code)
    district = next(d for d in indicator["districts"] if d["code"] == CHO_DON)
    return indicator["actual"], indicator["pending"], district["actual"], district["pending"]


def item_of(record) -> ReviewItem:
    return ReviewItem.objects.get(object_id=record.pk, state=ReviewItem.State.PENDING,
                                  content_type__model=type(record)._meta.model_name)


@pytest.fixture
def product(cho_don):
    """A product of Chợ Đồn recognised (by the province) in 2024: counted in 2025 for
    traceability, standards, and its producer's consolidation."""
    made = ProductFactory(subject=SubjectFactory(district=cho_don), first_cycle_year=2024)
    recognise(made, stars=3, decision_date=dt.date(2024, 5, 10))
    return made


def _recognition(product, user, day=dt.date(YEAR, 3, 1)):
    return evaluation_record(product=product, user=user, cycle_year=YEAR, level="huyen",
                             stars=3, total_score=60, decision_number=f"{day:%d%m}/QĐ-UBND",
                             decision_date=day).evaluation


def _new_product(cho_don):
    return ProductFactory(subject=SubjectFactory(district=cho_don), first_cycle_year=YEAR)


# For each kind: (indicator, how an officer or province staff enters one).
KINDS = {
    "evaluation": ("new_products_3star",
                   lambda user, cho_don, product: _recognition(_new_product(cho_don), user)),
    "quality": ("advanced_qm_products", lambda user, cho_don, product: quality_certification_add(
        product=product, user=user, standard="iso22000", issued_on=dt.date(YEAR, 2, 1))),
    "traceability": ("traceability_products", lambda user, cho_don, product: traceability_add(
        product=product, user=user, system="Cổng truy xuất tỉnh",
        started_on=dt.date(YEAR, 2, 1))),
    "linkage": ("linkage_subjects", lambda user, cho_don, product: linkage_add(
        subject=product.subject, user=user, partner="Công ty Thu mua",
        valid_from=dt.date(YEAR, 2, 1))),
    "support": ("consolidated_subjects", lambda user, cho_don, product: support_record_add(
        subject=product.subject, user=user, kind=SupportRecord.Kind.CONSOLIDATION,
        date=dt.date(YEAR, 4, 1), content="Mở rộng nhà xưởng")),
    "media": ("media_items_monthly", lambda user, cho_don, product: media_item_create(
        user=user, title="Tin về sản phẩm OCOP", kind="tin",
        outlet=Outlet.objects.get_or_create(name="Báo Bắc Kạn",
                                            defaults={"level": OutletLevel.PROVINCE})[0],
        published_at=timezone.make_aware(dt.datetime(YEAR, 5, 3, 9)), district=cho_don,
        url="https://baobackan.vn/tin-ocop")),
}


def _counted(code, before):
    """The change since `before` of (actual, pending) for Chợ Đồn; media counts items."""
    if code == "media_items_monthly":
        now = _media(YEAR)
        return now[0] - before[0], now[1] - before[1]
    now = figures(code)
    return now[2] - before[2], now[3] - before[3]


def _media(year):
    out = io.StringIO()
    call_command("indicator_report", "--year", str(year), "--format", "json", stdout=out)
    indicator = next(i for i in json.loads(out.getvalue())["indicators"]
                     if i["code"] == "media_items_monthly")
    district = next(d for d in indicator["districts"] if d["code"] == CHO_DON)
    return district["actual"], district["pending"]


def _start(code):
    return _media(YEAR) if code == "media_items_monthly" else figures(code)


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_officers_record_awaits_then_counts_once_confirmed(kind, district_officer,
                                                              province_staff, cho_don, product):
    code, enter = KINDS[kind]
    before = _start(code)

    record = enter(district_officer, cho_don, product)

    assert type(record)._base_manager.get(pk=record.pk).review_state == ReviewState.PENDING
    assert _counted(code, before) == (0, 1)  # awaiting: pending, not actual

    review.review_confirm([item_of(record)], user=province_staff)

    assert _counted(code, before) == (1, 0)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_returned_record_counts_nowhere_until_fixed_sent_again_and_confirmed(
        kind, district_officer, province_staff, cho_don, product):
    code, enter = KINDS[kind]
    before = _start(code)
    record = enter(district_officer, cho_don, product)

    review.review_return([item_of(record)], user=province_staff, reason="Thiếu số hợp đồng")

    returned = ReviewItem.objects.get(object_id=record.pk, state=ReviewItem.State.RETURNED,
                                      content_type__model=type(record)._meta.model_name)
    assert returned.reason == "Thiếu số hợp đồng"
    assert _counted(code, before) == (0, 0)

    review.review_resubmit(returned, user=district_officer)
    assert _counted(code, before) == (0, 1)

    review.review_confirm([item_of(record)], user=province_staff)
    assert _counted(code, before) == (1, 0)


@pytest.mark.parametrize("kind", list(KINDS))
def test_province_staffs_own_entries_count_at_once(kind, province_staff, cho_don, product):
    code, enter = KINDS[kind]
    before = _start(code)

    record = enter(province_staff, cho_don, product)

    assert type(record)._base_manager.get(pk=record.pk).review_state == ReviewState.CONFIRMED
    assert _counted(code, before) == (1, 0)
    assert not ReviewItem.objects.exists()


def test_a_new_producers_first_year_awaits_review(district_officer, province_staff, cho_don):
    before = figures("new_subjects")
    subject = subject_create(user=district_officer, fields=SubjectFields(
        name="HTX Mới", subject_type="htx", district=cho_don, commune=commune_of(CHO_DON),
        first_year_in_programme=YEAR))
    ProductFactory(subject=subject, first_cycle_year=YEAR)

    subject.refresh_from_db()
    assert subject.first_year_in_programme is None  # kept for review, not applied
    assert figures("new_subjects")[2:] == (before[2], before[3] + 1)

    review.review_confirm([item_of(subject)], user=province_staff)

    subject.refresh_from_db()
    assert subject.first_year_in_programme == YEAR
    assert figures("new_subjects")[2:] == (before[2] + 1, before[3])


def test_an_officers_revocation_of_a_confirmed_certificate_waits(district_officer,
                                                                 province_staff, product):
    certificate = Certificate.objects.get(product=product)

    certificate_revoke(certificate, user=district_officer, revoked_on=dt.date(YEAR, 6, 1),
                       decision="12/QĐ-UBND", reason="Vi phạm chất lượng")

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE  # counts as confirmed until then
    item = item_of(certificate)
    assert item.after["Trạng thái"] == "Bị thu hồi"

    review.review_confirm([item], user=province_staff)

    certificate.refresh_from_db()
    assert (certificate.status, certificate.ended_on) == (CertificateStatus.REVOKED,
                                                          dt.date(YEAR, 6, 1))


def test_an_officers_change_to_a_confirmed_product_keeps_its_confirmed_form(
        district_officer, province_staff, product):
    new_commune = commune_of(CHO_DON).__class__.objects.valid_on(dt.date(2024, 1, 1)).filter(
        district=product.district).exclude(pk=product.commune_id).first()

    product_update(product, user=district_officer, name="Tên mới", subject=product.subject,
                   group=product.group, district=product.district, commune=new_commune,
                   first_cycle_year=product.first_cycle_year, description="")

    product.refresh_from_db()
    assert product.name == "Tên mới"  # a field no indicator reads: saved at once
    assert product.commune != new_commune  # where it counts: awaits review
    item = item_of(product)
    assert item.after["Xã/Phường/Thị trấn"] == str(new_commune)

    review.review_confirm([item], user=province_staff)

    product.refresh_from_db()
    assert product.commune == new_commune


def test_an_officers_change_of_a_confirmed_media_items_date_counts_once_confirmed(
        district_officer, province_staff, cho_don, product):
    item = KINDS["media"][1](province_staff, cho_don, product)
    before = _media(YEAR)

    media_item_update(media_item=item, user=district_officer,
                      published_at=timezone.make_aware(dt.datetime(YEAR - 1, 12, 30, 9)),
                      title="Tin đã sửa tiêu đề")

    item.refresh_from_db()
    assert item.title == "Tin đã sửa tiêu đề"
    assert item.published_at.year == YEAR  # still counted in its confirmed year
    assert _media(YEAR) == before

    review.review_confirm([item_of(item)], user=province_staff)

    assert _media(YEAR) == (before[0] - 1, before[1])


def test_an_officer_cannot_confirm_not_even_their_own(district_officer, cho_don, product):
    record = KINDS["linkage"][1](district_officer, cho_don, product)

    with pytest.raises(PermissionDenied):
        review.review_confirm([item_of(record)], user=district_officer)
    with pytest.raises(PermissionDenied):
        review.review_return([item_of(record)], user=district_officer, reason="x")


def test_a_return_needs_a_reason(district_officer, province_staff, cho_don, product):
    record = KINDS["linkage"][1](district_officer, cho_don, product)

    with pytest.raises(ValidationError) as error:
        review.review_return([item_of(record)], user=province_staff, reason="  ")

    assert "lý do trả lại" in str(error.value)
    assert item_of(record).state == ReviewItem.State.PENDING


def test_an_officer_does_not_delete_a_confirmed_recognition(district_officer, product):
    from products.services import evaluation_delete

    evaluation = Evaluation.objects.get(product=product)
    with pytest.raises(ValidationError):
        evaluation_delete(evaluation, user=district_officer)
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


def test_an_officers_pending_recognition_does_not_supersede_the_confirmed_certificate(
        district_officer, province_staff, product):
    confirmed = product.current_certificate

    evaluation = _recognition(product, district_officer, day=dt.date(YEAR, 7, 1))

    product.refresh_from_db()
    assert product.current_certificate == confirmed
    confirmed.refresh_from_db()
    assert confirmed.status == CertificateStatus.ACTIVE
    assert evaluation.certificate.review_state == ReviewState.PENDING

    review.review_confirm([item_of(evaluation)], user=province_staff)

    product.refresh_from_db()
    confirmed.refresh_from_db()
    assert product.current_certificate == evaluation.certificate
    assert confirmed.status == CertificateStatus.SUPERSEDED


# The import ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "counted"), [("officer_cd", (0, 1)), ("tinh", (1, 0))])
def test_an_imported_recognition_awaits_review_when_an_officer_imports_it(
        tmp_path, district_officer, province_staff, username, counted):
    user = {"officer_cd": district_officer, "tinh": province_staff}[username]
    path = tmp_path / "cho-don.xlsx"
    path.write_bytes(workbook_bytes([row(decision_date="15/06/2024", first_year=2024,
                                         standards=None, traceability=None)]))
    before = figures("new_products_3star", 2024)

    call_command("import_products", str(path), "--user", user.username, stdout=io.StringIO())

    after = figures("new_products_3star", 2024)
    assert (after[2] - before[2], after[3] - before[3]) == counted
    if username == "officer_cd":
        item = ReviewItem.objects.get(state=ReviewItem.State.PENDING, kind="evaluation")
        assert item.district.code == CHO_DON


# The page ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "sees", "decides"), [
    ("province_staff", True, True), ("admin_user", True, True), ("leader", True, False),
    ("district_officer", True, False), ("other_district_officer", False, False)])
def test_the_review_page_by_role(request, persona, sees, decides, district_officer, cho_don,
                                 product):
    record = KINDS["linkage"][1](district_officer, cho_don, product)
    item = item_of(record)
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)

    page = client.get("/review/", {"state": "pending"})

    assert page.status_code == 200
    assert (f'data-review="{item.pk}"' in page.content.decode()) == sees
    response = client.post("/review/decide/", {"item": [item.pk], "action": "confirm"})
    item.refresh_from_db()
    if decides:
        assert response.status_code == 302
        assert item.state == ReviewItem.State.CONFIRMED
    else:
        assert response.status_code == 403
        assert item.state == ReviewItem.State.PENDING


def test_the_review_page_confirms_and_returns_many_at_once(client, province_staff,
                                                           district_officer, cho_don, product):
    records = [KINDS["linkage"][1](district_officer, cho_don, product) for _ in range(2)]
    records.append(KINDS["support"][1](district_officer, cho_don, product))
    items = [item_of(r) for r in records]
    client.force_login(province_staff)

    client.post("/review/decide/", {"item": [items[0].pk, items[1].pk], "action": "confirm"})
    response = client.post("/review/decide/", {"item": [items[2].pk], "action": "return",
                                               "reason": "Sai ngày hỗ trợ"})

    assert response.status_code == 302
    states = [ReviewItem.objects.get(pk=i.pk).state for i in items]
    assert states == ["confirmed", "confirmed", "returned"]
    client.force_login(district_officer)
    html = client.get("/review/").content.decode()  # an officer opens on what was returned
    assert "Sai ngày hỗ trợ" in html
    assert f'data-review="{items[2].pk}"' in html
    assert f'data-review="{items[0].pk}"' not in html


def test_the_review_page_filters_by_district_kind_and_age(client, province_staff,
                                                          district_officer, cho_don, product):
    old = KINDS["linkage"][1](district_officer, cho_don, product)
    new = KINDS["support"][1](district_officer, cho_don, product)
    ReviewItem.objects.filter(pk=item_of(old).pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=10))
    client.force_login(province_staff)

    def shown(**params):
        html = client.get("/review/", {"state": "pending", **params}).content.decode()
        return {r.pk for r in (old, new) if f'data-review="{item_of(r).pk}"' in html}

    assert shown() == {old.pk, new.pk}
    assert shown(age="7") == {old.pk}
    assert shown(kind="support") == {new.pk}
    assert shown(district="066") == set()


def test_the_dashboard_shows_pending_beside_actual_and_lists_it(client, province_staff,
                                                                district_officer, cho_don,
                                                                product):
    record = KINDS["linkage"][1](district_officer, cho_don, product)
    client.force_login(province_staff)

    html = client.get(f"/dashboard/?year={YEAR}").content.decode()

    assert 'data-indicator="linkage_subjects" data-pending="1"' in html
    link = f"/subjects/?indicator=linkage_subjects&amp;year={YEAR}&amp;review=pending"
    assert f'href="{link}"' in html
    listed = client.get("/subjects/", {"indicator": "linkage_subjects", "year": YEAR,
                                       "review": "pending"})
    assert [s.pk for s in listed.context["subjects"]] == [record.subject_id]
    counted = client.get("/subjects/", {"indicator": "linkage_subjects", "year": YEAR})
    assert record.subject_id not in [s.pk for s in counted.context["subjects"]]


def test_the_appendix_notes_what_awaits_review(province_staff, district_officer, cho_don,
                                               product):
    from targets.appendix import appendix_data, pending_notes
    from targets.models import Plan

    KINDS["linkage"][1](district_officer, cho_don, product)
    plan = Plan.objects.get(year=2024)
    data = appendix_data(number=2, plan=plan, today=dt.date(2024, 12, 31))
    assert pending_notes(data.progress, data.items) == []  # a 2024 appendix: nothing awaits

    plan.year = YEAR  # the same quotas, read for the year the linkage awaits in
    data = appendix_data(number=2, plan=plan, today=dt.date(YEAR, 12, 31))
    notes = pending_notes(data.progress, data.items)
    assert any("1 chủ thể do huyện nhập đang chờ" in note and "Chợ Đồn 1" in note
               for note in notes), notes


def test_record_pages_show_what_awaits_and_why_it_was_returned(client, province_staff,
                                                               district_officer, cho_don,
                                                               product):
    linkage = KINDS["linkage"][1](district_officer, cho_don, product)
    quality = KINDS["quality"][1](district_officer, cho_don, product)
    review.review_return([item_of(quality)], user=province_staff, reason="Thiếu số chứng nhận")
    certificate = Certificate.objects.get(product=product)
    certificate_revoke(certificate, user=district_officer, revoked_on=dt.date(YEAR, 6, 1),
                       decision="12/QĐ-UBND", reason="Vi phạm")
    client.force_login(district_officer)

    product_page = client.get(f"/products/{product.pk}/").content.decode()
    subject_page = client.get(f"/subjects/{product.subject_id}/").content.decode()

    assert 'data-review-state="returned"' in product_page
    assert "Lý do: Thiếu số chứng nhận" in product_page
    assert 'data-testid="pending-changes"' in product_page
    assert "Thu hồi giấy chứng nhận: " in product_page
    assert "Trạng thái → <strong>Bị thu hồi</strong>" in product_page
    assert 'data-review-state="pending"' in subject_page  # the linkage
    assert linkage.partner in subject_page


def test_an_officers_import_holds_a_new_producers_first_year_for_review(district_officer,
                                                                        province_staff):
    from products.imports import run_import

    rows = [row(decision_date="15/06/2024", first_year=2024, standards=None, traceability=None),
            row(product_name="Chè xanh", decision_number="102/QĐ-UBND",
                decision_date="16/06/2024", first_year=2024, standards=None,
                traceability=None)]
    before = figures("new_subjects", 2024)

    report = run_import(name="chu-the.xlsx", content=workbook_bytes(rows),
                        user=district_officer, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert [str(w) for w in report.warnings] == []
    after = figures("new_subjects", 2024)
    assert (after[2] - before[2], after[3] - before[3]) == (0, 1)
    item = ReviewItem.objects.get(kind="subject_first_year")
    review.review_confirm([item], user=province_staff)
    after = figures("new_subjects", 2024)
    assert (after[2] - before[2], after[3] - before[3]) == (1, 0)


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_review_form_goes_back_only_to_a_page_of_the_portal(client, province_staff, target):
    client.force_login(province_staff)

    response = client.post("/review/decide/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/review/"
