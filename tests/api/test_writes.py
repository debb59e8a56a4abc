"""Every write endpoint × every role, with the database state after each request."""

import pytest

from products.models import Certificate, CertificateStatus, Evaluation, Product
from products.models import ProductGroup as Group
from tests.api.conftest import ROLES, WRITERS_OF_CHO_DON

pytestmark = pytest.mark.django_db


def _new_product(records, district="064"):
    subject = records["cho_don_subject" if district == "064" else "na_ri_subject"]
    return {"name": "Mật ong bạc hà", "subject": subject.pk,
            "group": Group.objects.get(criteria_version="148/2023", code="1.3").pk,
            "district": district}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("district", ["064", "066"])
def test_product_create_by_role(api_as, records, role, district):
    client, _ = api_as(role)
    before = Product.objects.count()
    response = client.post("/api/v1/products/", _new_product(records, district), format="json")
    allowed = role in ("province_staff", "admin_user") or (
        role == "district_officer" and district == "064") or (
        role == "other_district_officer" and district == "066")
    if role == "anonymous":
        assert response.status_code == 401
    elif role == "leader":
        assert response.status_code == 403
        assert "chỉ được xem" in response.json()["detail"]
    elif allowed:
        assert response.status_code == 201, response.json()
        product = Product.objects.get(pk=response.json()["id"])
        assert (product.name, product.district.code) == ("Mật ong bạc hà", district)
        assert response.json()["district"]["code"] == district
        assert Product.objects.count() == before + 1
        return
    else:
        # Another district's producer and district are not choices of the officer's form.
        assert response.status_code == 400
        assert {"district", "subject"} <= set(response.json())
    assert Product.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["patch", "put"])
def test_product_update_by_role(api_as, records, role, method):
    product = records["cho_don"]
    client, _ = api_as(role)
    body = {"name": "Miến dong đặc sản"}
    if method == "put":
        body = {**_new_product(records), "name": "Miến dong đặc sản"}
    response = getattr(client, method)(f"/api/v1/products/{product.pk}/", body, format="json")
    product.refresh_from_db()
    if role in WRITERS_OF_CHO_DON:
        assert response.status_code == 200, response.json()
        assert product.name == "Miến dong đặc sản"
        assert response.json()["name"] == "Miến dong đặc sản"
        return
    expected = {"anonymous": 401, "other_district_officer": 404, "leader": 403}[role]
    assert response.status_code == expected
    assert product.name == "Miến dong Chợ Đồn"


def test_service_rules_become_400_in_vietnamese(api_as, records):
    client, _ = api_as("province_staff")
    response = client.post("/api/v1/products/", {**_new_product(records),
                                                  "name": "Miến dong Chợ Đồn"}, format="json")
    assert response.status_code == 400
    assert Product.objects.filter(name="Miến dong Chợ Đồn").count() == 1
    response = client.post("/api/v1/products/", ["not", "an", "object"], format="json")
    assert response.status_code == 400
    response = client.post("/api/v1/products/", "{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


EVALUATION = {"cycle_year": 2025, "level": "tinh", "stars": 4, "total_score": "75.50",
              "decision_number": "99/QĐ-UBND", "decision_date": "2025-03-01",
              "certificate_number": "GCN-99"}


@pytest.mark.parametrize("role", ROLES)
def test_evaluation_record_by_role(api_as, records, role):
    product = records["cho_don"]
    client, _ = api_as(role)
    response = client.post(f"/api/v1/products/{product.pk}/evaluations/", EVALUATION,
                           format="json")
    evaluations = Evaluation.objects.filter(product=product)
    if role in WRITERS_OF_CHO_DON:
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["stars"], body["total_score"]) == (4, "75.50")
        assert body["certificate"]["number"] == "GCN-99"
        assert evaluations.count() == 2
        if role == "district_officer":
            # An officer's recognition awaits the province: the confirmed certificate stays
            # current until then (ocop_portal.review).
            assert body["review_state"] == "pending"
            product.refresh_from_db()
            assert product.current_certificate.number != "GCN-99"
            return
        assert body["review_state"] == "confirmed"
        # The service's rules: the new certificate supersedes the old one.
        assert Certificate.objects.get(product=product, number="GCN-99").status == (
            CertificateStatus.ACTIVE)
        assert Certificate.objects.filter(product=product,
                                          status=CertificateStatus.SUPERSEDED).count() == 1
        product.refresh_from_db()
        assert product.current_certificate.number == "GCN-99"
        return
    expected = {"anonymous": 401, "other_district_officer": 404, "leader": 403}[role]
    assert response.status_code == expected
    assert evaluations.count() == 1


def test_evaluation_rules_are_the_services(api_as, records):
    product = records["cho_don"]
    client, _ = api_as("district_officer")
    response = client.post(f"/api/v1/products/{product.pk}/evaluations/",
                           {**EVALUATION, "decision_number": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["decision_number"] == [
        "Sản phẩm đạt từ 3 sao phải có số quyết định công nhận."]
    assert Evaluation.objects.filter(product=product).count() == 1


@pytest.mark.parametrize("url", ["/api/v1/subjects/", "/api/v1/media-items/",
                                 "/api/v1/figures/?year=2024"])
def test_read_only_endpoints_refuse_writes(api_as, records, url):
    client, _ = api_as("province_staff")
    response = client.post(url, {}, format="json")
    assert response.status_code == 405
    assert "không được hỗ trợ" in response.json()["detail"]


def test_session_writes_need_the_csrf_token(records, province_staff):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(province_staff)
    assert client.get("/api/v1/products/").status_code == 200
    response = client.post("/api/v1/products/", _new_product(records), format="json")
    assert response.status_code == 403
    assert not Product.objects.filter(name="Mật ong bạc hà").exists()
