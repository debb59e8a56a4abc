"""The completeness of a product's dossier: each item's rule, the score and the missing items on
the page, the list's column and filter, the dashboards' district average and its drill-through,
and the decision scan that one item asks for."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from products import completeness, models
from products.imports.apply import TRACEABILITY_SYSTEM
from products.models import Evaluation, ProductGroup, QualityCertification, Standard, Traceability
from tests.factories import ProductFactory, SubjectFactory, district, recognise

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def bare(reference_data):
    """A product with its commune and sub-group, no photo, never recognised: 2 items of 3."""
    return ProductFactory(name="Miến dong Na Rì")


def _scan(name="qd.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _complete(product):
    product.photo = "products/2024/anh.jpg"
    product.save()
    return product


def _dossier(product):
    return completeness.product_dossier(product)


def test_a_bare_product_misses_its_photo(bare):
    dossier = _dossier(bare)
    assert [line.label for line in dossier.lines] == [
        "Xã sản xuất", "Nhóm sản phẩm (đến phân nhóm)", "Ảnh sản phẩm"]
    assert dossier.missing == ["Ảnh sản phẩm"]
    assert dossier.score == 66  # 2 of 3, rounded down
    assert _dossier(_complete(bare)).score == 100


def test_a_product_without_commune_misses_it(bare):
    bare.commune = None
    bare.save()
    assert "Xã sản xuất" in _dossier(bare).missing


def test_a_group_left_at_its_top_level_is_missing_its_subgroup(bare):
    bare.group = ProductGroup.objects.get(criteria_version="148/2023", code="1")
    bare.save()
    assert "Nhóm sản phẩm (đến phân nhóm)" in _dossier(bare).missing
    # A group of the 1048 taxonomy has no sub-group: it is complete as it is.
    bare.group = ProductGroup.objects.get(criteria_version="1048/2019", code="1")
    bare.save()
    assert "Nhóm sản phẩm (đến phân nhóm)" not in _dossier(bare).missing


def test_a_recognised_product_needs_the_scan_of_its_current_decision(bare):
    _complete(bare)
    recognise(bare, 3, dt.date(2021, 3, 1))
    dossier = _dossier(bare)
    assert dossier.missing == ["Bản chụp quyết định công nhận"]
    assert dossier.score == 75
    older = bare.evaluations.get()
    older.decision_scan = _scan()
    older.save()
    assert _dossier(bare).complete
    # An upgrade's decision is the one in force: the old scan does not cover it.
    recognise(bare, 4, dt.date(2024, 3, 1))
    assert _dossier(bare).missing == ["Bản chụp quyết định công nhận"]


def test_an_evaluation_below_three_stars_asks_for_no_scan(bare):
    _complete(bare)
    recognise(bare, 2, dt.date(2024, 3, 1))
    assert _dossier(bare).complete


def test_each_standard_needs_a_certification_with_its_expiry_date(bare):
    _complete(bare)
    QualityCertification.objects.create(product=bare, standard=Standard.VIETGAP,
                                        issued_on=dt.date(2023, 1, 1))
    dossier = _dossier(bare)
    assert dossier.missing == ["Tiêu chuẩn chất lượng có ngày cấp, ngày hết hạn"]
    assert dossier.score == 75
    QualityCertification.objects.create(product=bare, standard=Standard.HACCP,
                                        issued_on=dt.date(2023, 1, 1),
                                        expires_on=dt.date(2026, 1, 1))
    assert not _dossier(bare).complete  # VietGAP still has no dates
    QualityCertification.objects.create(product=bare, standard=Standard.VIETGAP,
                                        issued_on=dt.date(2024, 1, 1),
                                        expires_on=dt.date(2026, 1, 1))
    assert _dossier(bare).complete


def test_declared_traceability_needs_its_record(bare):
    _complete(bare)
    Traceability.objects.create(product=bare, system=TRACEABILITY_SYSTEM,
                                started_on=dt.date(2024, 1, 1))
    assert _dossier(bare).missing == ["Hồ sơ truy xuất nguồn gốc có ngày áp dụng"]
    Traceability.objects.create(product=bare, system="iCheck", code="893",
                                started_on=dt.date(2024, 2, 1))
    assert _dossier(bare).complete


def test_the_page_names_the_missing_items(client, district_officer, bare):
    client.force_login(district_officer)
    html = client.get(f"/products/{bare.pk}/").content.decode()
    assert "Hồ sơ: 66% đầy đủ" in html
    assert "còn thiếu: <span data-testid=\"dossier-missing\">Ảnh sản phẩm</span>" in html


# The list -------------------------------------------------------------------------------------


@pytest.fixture
def mixed(reference_data):
    """Complete and incomplete products in Chợ Đồn, and incomplete ones in Na Rì."""
    cho_don = SubjectFactory(district=district("064"))
    na_ri = SubjectFactory(district=district("066"))
    return {
        "complete": [_complete(ProductFactory(subject=cho_don)) for _ in range(2)],
        "incomplete": [ProductFactory(subject=cho_don) for _ in range(3)],
        "other": [ProductFactory(subject=na_ri) for _ in range(2)],
    }


def _listed(client, query):
    response = client.get(f"/products/?{query}")
    assert response.status_code == 200
    return {product.pk for product in response.context["page_obj"].paginator.object_list}


def test_the_list_filters_by_completeness(client, province_staff, mixed):
    client.force_login(province_staff)
    complete = {p.pk for p in mixed["complete"]}
    incomplete = {p.pk for p in mixed["incomplete"] + mixed["other"]}
    assert _listed(client, "complete=1") == complete
    assert _listed(client, "complete=0") == incomplete
    assert _listed(client, "complete=0&district=064") == {p.pk for p in mixed["incomplete"]}
    html = client.get("/products/?complete=1").content.decode()
    assert 'data-completeness="100"' in html
    assert 'data-completeness="66"' not in html


def test_an_officers_incomplete_list_stays_in_their_district(client, district_officer, mixed):
    client.force_login(district_officer)
    assert _listed(client, "complete=0") == {p.pk for p in mixed["incomplete"]}
    # Another district's list is not theirs: the filter is refused and nothing listed.
    assert _listed(client, "complete=0&district=066") == set()


def test_the_list_sorts_by_completeness(client, province_staff, mixed):
    client.force_login(province_staff)
    response = client.get("/products/?sort=completeness")
    scores = [product.completeness for product in response.context["products"]]
    assert scores == sorted(scores)
    assert scores[0] < 100
    assert scores[-1] == 100


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/products/", "/products/?complete=0",
                                 "/products/?sort=-completeness"])
def test_the_list_costs_the_same_with_3_or_30_products(client, province_staff, reference_data,
                                                       url):
    client.force_login(province_staff)
    subject = SubjectFactory()
    for index in range(3):
        recognise(ProductFactory(subject=subject, name=f"Sản phẩm {index:02d}"), 3)
    few = _list_queries(client, url)
    for index in range(3, 30):
        product = ProductFactory(subject=subject, name=f"Sản phẩm {index:02d}")
        recognise(product, 3)
        QualityCertification.objects.create(product=product, standard=Standard.VIETGAP,
                                            issued_on=dt.date(2023, 1, 1))
    assert _list_queries(client, url) == few


# The dashboards -------------------------------------------------------------------------------


def _expected_average(products) -> int:
    scores = [_dossier(product).score for product in products]
    return sum(scores) // len(scores)


def _cells(context, district_code):
    row = next(row for row in context["completeness"]["rows"]
               if row["district"].code == district_code)
    return {cell["kind"]: cell for cell in row["cells"]}


def test_the_dashboard_averages_each_districts_dossiers(client, leader, mixed):
    recognise(mixed["complete"][0], 4, dt.date(2024, 5, 1))  # 75% now
    client.force_login(leader)
    response = client.get("/dashboard/?year=2024")
    cho_don = _cells(response.context, "064")["products"]
    products_064 = mixed["complete"] + mixed["incomplete"]
    assert cho_don["average"] == _expected_average(products_064)
    assert cho_don["tally"].incomplete == 4
    assert cho_don["tally"].records == 5
    assert _cells(response.context, "066")["products"]["average"] == 66
    assert _cells(response.context, "065")["products"]["average"] is None  # no products
    total = {cell["kind"]: cell for cell in response.context["completeness"]["total"]}
    assert total["products"]["average"] == _expected_average(
        products_064 + mixed["other"])
    html = response.content.decode()
    assert f'href="/products/?district=064&amp;complete=0" data-kind="products" ' \
           f'data-average="{cho_don["average"]}"' in html
    district_page = client.get("/dashboard/district/064/?year=2024")
    assert _cells(district_page.context, "064")["products"]["average"] == cho_don["average"]
    assert [row["district"].code for row in district_page.context["completeness"]["rows"]] \
        == ["064"]


def test_the_drill_through_lists_exactly_the_incomplete_records(client, province_staff, mixed):
    recognise(mixed["complete"][0], 4, dt.date(2024, 5, 1))
    client.force_login(province_staff)
    context = client.get("/dashboard/?year=2024").context
    url = _cells(context, "064")["products"]["url"]
    assert url == "/products/?district=064&complete=0"
    expected = {p.pk for p in mixed["incomplete"]} | {mixed["complete"][0].pk}
    assert _listed(client, urlsplit(url).query) == expected


def test_an_officer_sees_other_districts_averages_without_links(client, district_officer,
                                                                mixed):
    client.force_login(district_officer)
    html = client.get("/dashboard/?year=2024").content.decode()
    assert 'href="/products/?district=064&amp;complete=0"' in html
    assert 'href="/products/?district=066&amp;complete=0"' not in html
    assert 'data-kind="products" data-average="66"' in html


@pytest.mark.django_db(transaction=True)
def test_a_warm_dashboard_does_not_count_the_dossiers_again(reference_data, province_staff):
    ProductFactory()
    client = Client()
    client.force_login(province_staff)
    client.get("/dashboard/?year=2024")
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/?year=2024")
    assert not any("dossier" in q["sql"] or "completeness" in q["sql"]
                   for q in queries.captured_queries)


# The decision scan ----------------------------------------------------------------------------


def _record(client, product, **extra):
    return client.post(f"/products/{product.pk}/evaluations/new/", {
        "cycle_year": 2024, "level": "huyen", "stars": "3", "decision_number": "77/QĐ-UBND",
        "decision_date": "01/11/2024", **extra})


def test_an_evaluation_is_recorded_with_its_decision_scan(client, province_staff, bare):
    client.force_login(province_staff)
    response = _record(client, bare, decision_scan=_scan())
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(decision_number="77/QĐ-UBND")
    assert evaluation.decision_scan.name.startswith("decisions/")
    with evaluation.decision_scan.open("rb") as stored:
        assert stored.read() == PDF
    assert "Bản chụp quyết định công nhận" not in _dossier(bare).missing


@pytest.mark.parametrize(("name", "content", "message"), [
    ("qd.exe", b"MZ\x90\x00", "Bản chụp quyết định chỉ nhận tệp PDF hoặc ảnh"),
    ("qd.pdf", b"<html>not a pdf</html>", "không phải là tệp PDF hoặc ảnh như tên tệp ghi"),
])
def test_a_scan_of_another_kind_is_refused(client, district_officer, bare, name, content,
                                           message):
    client.force_login(district_officer)
    response = _record(client, bare, decision_scan=_scan(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evaluation.objects.filter(decision_number="77/QĐ-UBND").exists()


def test_a_scan_over_10_mb_is_refused(client, district_officer, bare, monkeypatch):
    monkeypatch.setattr(models, "DECISION_SCAN_MAX_BYTES", 20)
    client.force_login(district_officer)
    response = _record(client, bare, decision_scan=_scan(content=PDF * 2))
    assert response.status_code == 200
    assert "Bản chụp quyết định không được lớn hơn 10 MB" in response.content.decode()
    assert not Evaluation.objects.filter(decision_number="77/QĐ-UBND").exists()


def test_a_scan_is_attached_later_and_downloaded_in_scope(client, district_officer,
                                                          other_district_officer, bare):
    evaluation = recognise(bare, 3).evaluation
    client.force_login(district_officer)
    upload = f"/products/{bare.pk}/evaluations/{evaluation.pk}/decision/upload/"
    download = f"/products/{bare.pk}/evaluations/{evaluation.pk}/decision/"
    assert client.get(download).status_code == 404  # none yet
    assert client.post(upload, {"decision_scan": _scan()}).status_code == 302
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    # Not response.close(): it sends request_finished, which closes the database connection
    # the rest of the test still uses (on PostgreSQL); reading the file to its end closed it.
    assert "Tải bản chụp quyết định" in client.get(f"/products/{bare.pk}/").content.decode()
    other = Client()
    other.force_login(other_district_officer)
    assert other.get(download).status_code == 404
    assert other.post(upload, {"decision_scan": _scan()}).status_code == 404
    anonymous = Client().get(download)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_a_leader_may_download_but_not_upload(client, leader, bare):
    evaluation = recognise(bare, 3).evaluation
    evaluation.decision_scan = _scan()
    evaluation.save()
    client.force_login(leader)
    response = client.get(f"/products/{bare.pk}/evaluations/{evaluation.pk}/decision/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    # Not response.close(): it sends request_finished, which closes the database connection
    # the rest of the test still uses (on PostgreSQL); reading the file to its end closed it.
    assert client.post(f"/products/{bare.pk}/evaluations/{evaluation.pk}/decision/upload/",
                       {"decision_scan": _scan()}).status_code == 403
