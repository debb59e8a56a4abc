"""Every producer page against every persona, and the duplicate-producer guard."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ocop_portal.models import ReviewItem
from subjects.models import Linkage, Subject, SupportRecord
from subjects.services import SubjectFields, subject_create
from tests.factories import ProductFactory, SubjectFactory, office_user

pytestmark = pytest.mark.django_db

WRITERS = ("province_staff", "district_officer", "admin_user")
PERSONAS = ("anonymous", "province_staff", "district_officer", "other_district_officer",
            "leader", "admin_user")


@pytest.fixture
def subject(cho_don):
    return subject_create(user=office_user(), fields=SubjectFields(
        name="Hợp tác xã Chè Bằng Phúc", subject_type="htx", district=cho_don,
        registration_number="4700123456"))


def _client(request, persona):
    client = Client()
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    return client


def _write_page_status(persona):
    return {"anonymous": 302, "other_district_officer": 404, "leader": 403}.get(persona, 200)


def _subject_form(subject_district, commune, **overrides):
    data = {"name": "Hợp tác xã Miến dong Côn Minh", "subject_type": "htx",
            "district": subject_district.pk, "commune": commune.pk if commune else "",
            "first_year_in_programme": 2024}
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_subject_detail_and_list_by_persona(request, persona, subject):
    client = _client(request, persona)
    detail = client.get(f"/subjects/{subject.pk}/")
    listing = client.get("/subjects/")
    if persona == "anonymous":
        assert detail.status_code == listing.status_code == 302
        return
    assert detail.status_code == (404 if persona == "other_district_officer" else 200)
    assert listing.status_code == 200
    listed = [s.pk for s in listing.context["subjects"]]
    assert (subject.pk in listed) is (persona != "other_district_officer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_subject_by_persona(request, persona, cho_don, cho_don_commune):
    client = _client(request, persona)
    assert client.get("/subjects/new/").status_code == {"anonymous": 302, "leader": 403}.get(
        persona, 200)
    response = client.post("/subjects/new/", _subject_form(cho_don, cho_don_commune))
    created = Subject.objects.filter(name="Hợp tác xã Miến dong Côn Minh")
    if persona == "district_officer":
        # The first programme year counts a new producer: it awaits the province's review.
        assert response.status_code == 302
        assert created.get().first_year_in_programme is None
        assert ReviewItem.objects.get(kind="subject_first_year").changes == {
            "first_year_in_programme": 2024}
    elif persona in WRITERS:
        assert response.status_code == 302
        assert created.get().first_year_in_programme == 2024
    elif persona == "other_district_officer":
        assert response.status_code == 200
        assert not created.exists()
    else:
        assert response.status_code == {"anonymous": 302, "leader": 403}[persona]
        assert not created.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_subject_by_persona(request, persona, subject):
    client = _client(request, persona)
    assert client.get(f"/subjects/{subject.pk}/edit/").status_code == _write_page_status(persona)
    response = client.post(f"/subjects/{subject.pk}/edit/", _subject_form(
        subject.district, subject.commune, name="Hợp tác xã Chè Shan tuyết Bằng Phúc",
        registration_number="4700123456"))
    subject.refresh_from_db()
    if persona in WRITERS:
        assert response.status_code == 302
        assert subject.name == "Hợp tác xã Chè Shan tuyết Bằng Phúc"
    else:
        assert response.status_code == _write_page_status(persona)
        assert subject.name == "Hợp tác xã Chè Bằng Phúc"


@pytest.mark.parametrize("persona", PERSONAS)
def test_add_linkage_and_support_by_persona(request, persona, subject):
    client = _client(request, persona)
    assert client.get(f"/subjects/{subject.pk}/linkages/new/").status_code == \
        _write_page_status(persona)
    linkage = client.post(f"/subjects/{subject.pk}/linkages/new/", {
        "kind": "sx_tt", "partner": "Siêu thị Co.opmart", "contract_number": "05/2024",
        "valid_from": "01/03/2024", "valid_to": ""})
    support = client.post(f"/subjects/{subject.pk}/supports/new/", {
        "kind": "cung_co", "date": "10/05/2024", "content": "Máy sấy chè", "amount": "40000000"})
    if persona in WRITERS:
        assert linkage.status_code == support.status_code == 302
        assert Linkage.objects.get().valid_to is None
        assert SupportRecord.objects.get().date == dt.date(2024, 5, 10)
    else:
        assert linkage.status_code == support.status_code == _write_page_status(persona)
        assert not Linkage.objects.exists()
        assert not SupportRecord.objects.exists()


def test_linkage_ending_before_it_starts_is_refused(client, district_officer, subject):
    client.force_login(district_officer)
    response = client.post(f"/subjects/{subject.pk}/linkages/new/", {
        "kind": "sx_tt", "partner": "Đối tác", "valid_from": "01/03/2024",
        "valid_to": "01/02/2024"})
    assert response.status_code == 200
    assert "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực" in response.content.decode()
    assert not Linkage.objects.exists()


def test_same_registration_number_is_refused_with_a_link(client, province_staff, subject, na_ri):
    client.force_login(province_staff)
    response = client.post("/subjects/new/", _subject_form(
        na_ri, None, name="Công ty khác hẳn", registration_number="4700123456"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mã số thuế/ĐKKD 4700123456 đã được đăng ký" in html
    assert f'href="/subjects/{subject.pk}/"' in html
    assert Subject.objects.count() == 1


@pytest.mark.parametrize("spelling", ["HTX Chè Bằng Phúc", "hợp tác xã  chè bằng phúc",
                                      "HOP TAC XA CHE BANG PHUC"])
def test_same_normalised_name_in_the_district_is_refused(client, district_officer, subject,
                                                         spelling):
    client.force_login(district_officer)
    response = client.post("/subjects/new/", _subject_form(subject.district, None,
                                                           name=spelling))
    assert response.status_code == 200
    assert "trùng tên" in response.content.decode()
    assert f'href="/subjects/{subject.pk}/"' in response.content.decode()
    assert Subject.objects.count() == 1


def test_same_name_in_another_district_is_a_different_producer(client, province_staff, subject,
                                                               na_ri):
    client.force_login(province_staff)
    response = client.post("/subjects/new/", _subject_form(na_ri, None,
                                                           name="HTX Chè Bằng Phúc"))
    assert response.status_code == 302
    assert Subject.objects.count() == 2


def test_duplicate_out_of_scope_is_refused_without_naming_or_linking_it(
        client, other_district_officer, subject, na_ri):
    client.force_login(other_district_officer)
    response = client.post("/subjects/new/", _subject_form(na_ri, None, name="Khác",
                                                           registration_number="4700123456"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Mã số thuế/ĐKKD 4700123456 đã được đăng ký cho một chủ thể nằm ngoài phạm vi bạn "
            "được xem" in html)
    assert subject.name not in html
    assert f'href="/subjects/{subject.pk}/"' not in html
    assert Subject.objects.count() == 1


def test_search_ignores_diacritics_case_and_htx(client, leader, subject):
    client.force_login(leader)
    for query in ("che bang phuc", "HTX CHÈ", "hop tac xa che", "4700123456"):
        response = client.get("/subjects/", {"q": query})
        assert [s.pk for s in response.context["subjects"]] == [subject.pk], query


def test_subject_detail_lists_only_visible_products(client, district_officer, subject, na_ri):
    ProductFactory(name="Chè búp", subject=subject)
    ProductFactory(name="Chè xanh Na Rì", subject=subject, district=na_ri,
                   commune=na_ri.communes.first())
    client.force_login(district_officer)
    html = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert "Chè búp" in html
    assert "Chè xanh Na Rì" not in html


def test_subject_list_costs_the_same_with_few_or_many_subjects(client, province_staff, cho_don):
    client.force_login(province_staff)
    counts = []
    for total in (5, 200):
        while Subject.objects.count() < total:
            ProductFactory(subject=SubjectFactory(district=cho_don))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/subjects/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_officer_counts_only_the_products_of_their_district(client, district_officer,
                                                                subject, na_ri):
    ProductFactory(subject=subject, district=subject.district)
    ProductFactory(subject=subject, district=na_ri, commune=None)
    client.force_login(district_officer)
    listed = client.get("/subjects/").context["page_obj"].object_list
    assert [(s.pk, s.product_count) for s in listed] == [(subject.pk, 1)]
    rows = list(load_workbook(io.BytesIO(client.get("/subjects/export.xlsx").content))
                .active.iter_rows(values_only=True))
    numbered = [row for row in rows if isinstance(row[0], int)]  # the table's rows
    assert numbered[-1][10] == 1
