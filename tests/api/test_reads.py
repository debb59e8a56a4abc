"""Every read endpoint × every role: the scope is the pages' scope."""

import pytest

from tests.api.conftest import READERS, ROLES

pytestmark = pytest.mark.django_db

# What each role sees of the two districts' records.
SEES = {
    "district_officer": {"cho_don"},
    "other_district_officer": {"na_ri"},
    "leader": {"cho_don", "na_ri"},
    "province_staff": {"cho_don", "na_ri"},
    "admin_user": {"cho_don", "na_ri"},
}


def _detail_urls(records):
    return {
        "product": ("/api/v1/products/{}/", "cho_don", "na_ri"),
        "evaluations": ("/api/v1/products/{}/evaluations/", "cho_don", "na_ri"),
        "subject": ("/api/v1/subjects/{}/", "cho_don_subject", "na_ri_subject"),
        "media_item": ("/api/v1/media-items/{}/", "cho_don_item", "na_ri_item"),
    }


LISTS = [("/api/v1/products/", "cho_don", "na_ri", "name"),
         ("/api/v1/subjects/", "cho_don_subject", "na_ri_subject", "name"),
         ("/api/v1/media-items/", "cho_don_item", "na_ri_item", "title")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "own", "other", "label"), LISTS)
def test_lists_hold_exactly_the_roles_scope(api_as, records, role, url, own, other, label):
    client, _ = api_as(role)
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 401
        assert "chưa đăng nhập" in response.json()["detail"]
        return
    assert response.status_code == 200
    shown = {row["id"] for row in response.json()["results"]}
    expected = {records[key].pk for key, district in ((own, "cho_don"), (other, "na_ri"))
                if district in SEES[role]}
    assert shown == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["product", "evaluations", "subject", "media_item"])
@pytest.mark.parametrize("district", ["cho_don", "na_ri"])
def test_details_are_404_outside_the_scope(api_as, records, role, endpoint, district):
    client, _ = api_as(role)
    template, cho_don_key, na_ri_key = _detail_urls(records)[endpoint]
    record = records[cho_don_key if district == "cho_don" else na_ri_key]
    response = client.get(template.format(record.pk))
    if role == "anonymous":
        assert response.status_code == 401
    elif district in SEES[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert "ngoài phạm vi" in response.json()["detail"]


def test_officer_token_lists_only_own_district_and_404_on_other(api_as, records):
    """The acceptance check of issue 15, as on the pages."""
    client, _ = api_as("district_officer")
    listed = client.get("/api/v1/products/").json()
    assert [row["name"] for row in listed["results"]] == ["Miến dong Chợ Đồn"]
    assert listed["results"][0]["district"] == {"code": "064", "name": "Chợ Đồn"}
    assert client.get(f"/api/v1/products/{records['na_ri'].pk}/").status_code == 404


def test_officer_cannot_widen_the_scope_with_a_filter(api_as, records):
    client, _ = api_as("district_officer")
    response = client.get("/api/v1/products/", {"district": "066"})
    assert response.status_code == 400
    assert "district" in response.json()


def test_product_filters_are_the_lists_filters(api_as, records):
    client, _ = api_as("province_staff")
    rows = client.get("/api/v1/products/", {"q": "mien dong"}).json()["results"]
    assert [row["name"] for row in rows] == ["Miến dong Chợ Đồn"]
    rows = client.get("/api/v1/products/", {"stars": "3"}).json()["results"]
    assert [row["name"] for row in rows] == ["Chè shan tuyết Na Rì"]
    rows = client.get("/api/v1/products/", {"district": "066"}).json()["results"]
    assert [row["name"] for row in rows] == ["Chè shan tuyết Na Rì"]
    rows = client.get("/api/v1/subjects/", {"district": "064"}).json()["results"]
    assert [row["name"] for row in rows] == ["HTX Miến dong Côn Minh"]
    rows = client.get("/api/v1/media-items/", {"district": "066"}).json()["results"]
    assert [row["title"] for row in rows] == ["Tin Na Rì"]


def test_evaluations_carry_their_certificate(api_as, records):
    client, _ = api_as("district_officer")
    rows = client.get(f"/api/v1/products/{records['cho_don'].pk}/evaluations/").json()
    evaluation = rows["results"][0]
    assert evaluation["stars"] == 4
    assert evaluation["certificate"]["status"] == "active"
    assert evaluation["certificate"]["valid_to"] == "2027-06-15"


def test_media_item_shows_only_products_in_scope(api_as, records, cho_don):
    item = records["cho_don_item"]
    item.products.add(records["na_ri"])
    client, _ = api_as("district_officer")
    shown = client.get(f"/api/v1/media-items/{item.pk}/").json()["products"]
    assert [row["name"] for row in shown] == ["Miến dong Chợ Đồn"]


def test_lists_are_paginated(api_as, records):
    client, _ = api_as("province_staff")
    body = client.get("/api/v1/products/", {"page_size": 1}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"]
    assert client.get("/api/v1/products/", {"page": 9}).status_code == 404


def test_product_list_queries_do_not_grow_with_rows(api_as, records,
                                                    django_assert_max_num_queries):
    client, _ = api_as("province_staff")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/products/").status_code == 200


@pytest.mark.parametrize("role", READERS)
def test_figures_equal_indicator_report_json(api_as, records, role):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("indicator_report", "--year", "2024", "--format", "json", stdout=out)
    client, _ = api_as(role)
    response = client.get("/api/v1/figures/", {"year": 2024})
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert any(row["actual"] for row in response.json()["indicators"])


def test_figures_of_one_district_and_bad_input(api_as, records):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("indicator_report", "--year", "2024", "--format", "json", "--district", "064",
                 stdout=out)
    client, _ = api_as("district_officer")
    response = client.get("/api/v1/figures/", {"year": 2024, "district": "064"})
    assert response.json() == json.loads(out.getvalue())
    assert client.get("/api/v1/figures/", {"year": 1900}).status_code == 400
    assert client.get("/api/v1/figures/", {"year": 2024, "district": "999"}).status_code == 404


def test_anonymous_figures_are_401(api_as):
    client, _ = api_as("anonymous")
    assert client.get("/api/v1/figures/", {"year": 2024}).status_code == 401
