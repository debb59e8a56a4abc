"""The public catalogue and the certificate check (issue 15): anonymous, only what is in force
today, searched without diacritics, filtered; the check tells each of the five statuses."""

import datetime as dt

import pytest
from django.test import Client

from products.models import CertificateStatus, Product
from products.services import certificate_revoke
from tests.factories import district, office_user, top_group

pytestmark = pytest.mark.django_db


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def test_anonymous_catalogue_lists_products_certified_today(five_statuses):
    html = page(Client(), "/catalogue/")
    for name in ("Miến dong Tài Hoan", "Mật ong Bạch Thông", "Tương ớt Ba Bể"):
        assert name in html
    for name in ("Chè Shan tuyết", "Gạo nếp Khẩu nua"):  # expired, revoked
        assert name not in html
    assert "3 sản phẩm" in html


def test_catalogue_leaves_out_archived_products_and_producers(make_product):
    archived = make_product("Măng khô Na Rì")
    Product.all_objects.filter(pk=archived.pk).update(archived_at=dt.datetime(2025, 1, 1,
                                                                               tzinfo=dt.UTC))
    other = make_product("Bánh gio Chợ Đồn")
    type(other.subject).all_objects.filter(pk=other.subject_id).update(
        archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    kept = make_product("Miến dong Tài Hoan")
    html = page(Client(), "/catalogue/")
    assert kept.name in html
    assert archived.name not in html
    assert other.name not in html
    assert Client().get(f"/catalogue/{archived.pk}/").status_code == 404
    token = Product.all_objects.get(pk=archived.pk).current_certificate.verify_token
    assert Client().get(f"/verify/{token}/").status_code == 404


def test_catalogue_leaves_out_products_not_recognised(make_product, reference_data):
    from tests.factories import ProductFactory, recognise

    two_stars = ProductFactory(name="Rượu men lá")
    recognise(two_stars, stars=2, decision_date=dt.date(2025, 5, 2))
    make_product("Miến dong Tài Hoan")
    html = page(Client(), "/catalogue/")
    assert "Rượu men lá" not in html
    assert Client().get(f"/catalogue/{two_stars.pk}/").status_code == 404


def test_catalogue_search_needs_no_diacritics(make_product):
    make_product("Miến dong Tài Hoan")
    make_product("Mật ong Bạch Thông")
    html = page(Client(), "/catalogue/", q="mien dong tai hoan")
    assert "Miến dong Tài Hoan" in html
    assert "Mật ong Bạch Thông" not in html
    html = page(Client(), "/catalogue/", q="HTX mat ong")  # the producer's name, abbreviated
    assert "Mật ong Bạch Thông" in html
    assert "Miến dong Tài Hoan" not in html


def test_catalogue_filters_stars_group_and_district(make_product):
    three = make_product("Miến dong Tài Hoan", stars=3, district_code="064")
    four = make_product("Mật ong Bạch Thông", stars=4, district_code="066")
    html = page(Client(), "/catalogue/", stars=4)
    assert four.name in html
    assert three.name not in html
    html = page(Client(), "/catalogue/", district="064")
    assert three.name in html
    assert four.name not in html
    group = three.group.top_group
    Product.objects.filter(pk=four.pk).update(group=top_group("2"))
    html = page(Client(), "/catalogue/", group=group.pk)
    assert three.name in html
    assert four.name not in html


def test_catalogue_ignores_a_bad_filter_value(make_product):
    make_product("Miến dong Tài Hoan")
    assert "Miến dong Tài Hoan" in page(Client(), "/catalogue/", stars="x", district="999")


def test_product_card_shows_the_public_fields(make_product):
    product = make_product("Miến dong Tài Hoan", stars=4)
    certificate = product.current_certificate
    html = page(Client(), f"/catalogue/{product.pk}/")
    assert product.name in html
    assert product.subject.name in html
    assert product.commune.name in html
    assert product.group.top_group.name in html
    assert certificate.evaluation.decision_number in html
    assert f"{certificate.valid_to:%d/%m/%Y}" in html
    assert f"/verify/{certificate.verify_token}/" in html


def test_contact_shows_only_when_the_producer_made_it_public(make_product):
    product = make_product("Miến dong Tài Hoan")
    subject = product.subject
    subject.phone, subject.legal_representative = "0209 3871 234", "Nguyễn Văn Hoan"
    subject.address = "Thôn Nà Pục"
    subject.save()
    html = page(Client(), f"/catalogue/{product.pk}/")
    assert "0209 3871 234" not in html
    assert "Nguyễn Văn Hoan" not in html
    subject.contact_public = True
    subject.save()
    html = page(Client(), f"/catalogue/{product.pk}/")
    assert "0209 3871 234" in html
    assert "Nguyễn Văn Hoan" in html
    assert "Thôn Nà Pục" in html


@pytest.mark.parametrize(("status", "label"), [
    ("active", "Còn hiệu lực"), ("expiring", "Sắp hết hạn"), ("expired", "Hết hạn"),
    ("revoked", "Đã bị thu hồi"), ("superseded", "Đã được thay thế"),
])
def test_check_page_tells_the_status_on_the_day(five_statuses, today, status, label):
    certificate = five_statuses[status]
    html = page(Client(), f"/verify/{certificate.verify_token}/")
    assert f'id="verify-status">{label}</p>' in html
    assert f"Kiểm tra ngày {today:%d/%m/%Y}" in html
    assert certificate.product.name in html
    assert f"{certificate.evaluation.stars} sao" in html


def test_superseded_check_links_to_the_current_certificate(five_statuses):
    old, current = five_statuses["superseded"], five_statuses["current"]
    assert old.status == CertificateStatus.SUPERSEDED
    html = page(Client(), f"/verify/{old.verify_token}/")
    assert f'href="/verify/{current.verify_token}/"' in html
    assert "Còn hiệu lực" in page(Client(), f"/verify/{current.verify_token}/")


def test_tampered_or_guessed_token_is_a_404(make_product):
    token = make_product("Miến dong Tài Hoan").current_certificate.verify_token
    assert len(token) >= 22
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path in (f"/verify/{tampered}/", f"/verify/{token[:-1]}/", "/verify/1/"):
        assert Client().get(path).status_code == 404, path
    assert Client().get(f"/verify/{token}/").status_code == 200


def test_each_certificate_has_its_own_token(five_statuses):
    tokens = {c.verify_token for c in five_statuses.values()}
    assert len(tokens) == 6
    assert all(str(c.pk) != c.verify_token for c in five_statuses.values())


@pytest.mark.django_db(transaction=True)  # committed writes, as in production
def test_cached_catalogue_is_never_stale_after_a_revocation(make_product, today):
    product = make_product("Miến dong Tài Hoan")
    client = Client()
    assert product.name in page(client, "/catalogue/")
    assert product.name in page(client, "/catalogue/")  # now from the cache
    certificate_revoke(product.current_certificate, user=office_user(), revoked_on=today,
                       decision="3/QĐ-UBND", reason="Thu hồi")
    assert product.name not in page(client, "/catalogue/")
    assert Client().get(f"/catalogue/{product.pk}/").status_code == 404
    token = product.current_certificate.verify_token
    assert "Đã bị thu hồi" in page(client, f"/verify/{token}/")


@pytest.mark.django_db(transaction=True)
def test_a_warm_catalogue_page_costs_no_query(make_product, django_assert_max_num_queries):
    make_product("Miến dong Tài Hoan")
    page(Client(), "/catalogue/")
    with django_assert_max_num_queries(0):
        page(Client(), "/catalogue/")


def test_public_pages_set_no_cookie_for_anonymous(five_statuses):
    client = Client()
    product = five_statuses["active"].product
    for path in ("/catalogue/", f"/catalogue/{product.pk}/",
                 f"/verify/{five_statuses['active'].verify_token}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path


def test_catalogue_answers_429_past_its_rate(make_product, settings):
    settings.CATALOGUE_RATE = "3/m"
    make_product("Miến dong Tài Hoan")
    client = Client()
    for _ in range(3):
        assert client.get("/catalogue/").status_code == 200
    response = client.get("/catalogue/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Bạn đã gửi quá nhiều yêu cầu" in response.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get("/catalogue/").status_code == 200  # counted per address


def test_check_page_answers_429_past_its_rate(make_product, settings):
    settings.VERIFY_RATE = "2/m"
    token = make_product("Miến dong Tài Hoan").current_certificate.verify_token
    client = Client()
    assert [client.get(f"/verify/{token}/").status_code for _ in range(3)] == [200, 200, 429]


def test_district_filter_lists_only_districts_with_products(make_product):
    make_product("Miến dong Tài Hoan", district_code="064")
    html = page(Client(), "/catalogue/")
    assert district("064").name in html
    assert district("066").name not in html


def test_subject_form_and_service_keep_contact_public(make_product, province_staff):
    from subjects.forms import SubjectForm
    from subjects.services import SubjectFields, subject_update

    subject = make_product("Miến dong Tài Hoan").subject
    assert "contact_public" in SubjectForm(user=province_staff).fields
    subject_update(subject, user=province_staff, fields=SubjectFields(
        name=subject.name, subject_type=subject.subject_type, district=subject.district,
        commune=subject.commune, contact_public=True))
    subject.refresh_from_db()
    assert subject.contact_public is True


def test_a_lapsed_certificate_leaves_the_catalogue_before_the_daily_check(make_product, today):
    from products.models import Certificate

    product = make_product("Chè Shan tuyết", months_ago=40)
    # As if the daily check had not yet marked it expired: the dates alone decide.
    Certificate.objects.filter(pk=product.current_certificate_id).update(
        status=CertificateStatus.ACTIVE)
    assert product.name not in page(Client(), "/catalogue/")
    assert Client().get(f"/catalogue/{product.pk}/").status_code == 404
    token = product.current_certificate.verify_token
    assert 'id="verify-status">Hết hạn</p>' in page(Client(), f"/verify/{token}/")
