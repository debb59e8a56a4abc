"""With DEBUG off, what goes wrong is told in Vietnamese with the right status: a page not found,
a change the role may not make, a server error, a request the server cannot read, and a body
over the 10 MB that Django accepts."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client, override_settings
from django.urls import path

from ocop_portal import urls as portal_urls
from products.models import Product
from tests.factories import ProductFactory, SubjectFactory, top_group

pytestmark = pytest.mark.django_db

ELEVEN_MB = 11 * 1024 * 1024


@login_not_required
def _broken_view(request):
    raise RuntimeError("a bug in a view")


# The portal's URLs and error handlers, plus a page that fails.
urlpatterns = [path("thu-loi/", _broken_view), *portal_urls.urlpatterns]
handler400 = portal_urls.handler400


@pytest.fixture(autouse=True)
def _production_mode(settings):
    settings.DEBUG = False
    # Settings imported without DEBUG would read static files from collectstatic's manifest.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _html(response) -> str:
    return response.content.decode()


def test_an_unknown_address_is_a_vietnamese_404(province_staff):
    response = _client(province_staff).get("/khong-co-trang-nay/")

    assert response.status_code == 404
    html = _html(response)
    assert "Không tìm thấy trang hoặc bản ghi" in html
    assert 'lang="vi"' in html
    assert "Not Found" not in html


def test_an_anonymous_visitor_gets_the_same_404(anonymous):
    response = _client().get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc bản ghi" in _html(response)


def test_a_record_outside_the_users_district_is_a_vietnamese_404(other_district_officer):
    product = ProductFactory()  # Chợ Đồn

    response = _client(other_district_officer).get(f"/products/{product.pk}/")

    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc bản ghi" in _html(response)


def test_a_change_the_role_may_not_make_is_a_vietnamese_403_with_its_reason(leader):
    product = ProductFactory()

    response = _client(leader).get(f"/products/{product.pk}/edit/")

    assert response.status_code == 403
    html = _html(response)
    assert "Bạn không có quyền thực hiện thao tác này" in html
    assert "Bạn không có quyền thay đổi dữ liệu của huyện này." in html
    assert "Forbidden" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_a_vietnamese_500_page():
    response = _client().get("/thu-loi/")

    assert response.status_code == 500
    html = _html(response)
    assert "Đã xảy ra lỗi hệ thống" in html
    assert 'lang="vi"' in html
    assert "Server Error" not in html
    assert "a bug in a view" not in html


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    from django.template import loader

    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert "Đã xảy ra lỗi hệ thống" in html


def test_a_body_over_10_mb_is_a_400_that_says_so_and_saves_nothing(province_staff,
                                                                    cho_don):
    subject = SubjectFactory()
    data = {"name": "Miến dong", "subject": subject.pk, "group": top_group().pk,
            "district": cho_don.pk, "description": "x" * ELEVEN_MB}

    response = _client(province_staff).post("/products/new/", data)

    assert response.status_code == 400
    html = _html(response)
    assert "Dữ liệu gửi lên quá lớn (tối đa 10 MB)" in html
    assert "10.000 ký tự" in html
    assert "Bad Request" not in html
    assert not Product.objects.exists()


def test_an_oversized_login_form_is_the_same_400(anonymous):
    response = _client().post("/accounts/login/", {"username": "a" * ELEVEN_MB,
                                                   "password": "x"})

    assert response.status_code == 400
    assert "Dữ liệu gửi lên quá lớn (tối đa 10 MB)" in _html(response)


def test_an_oversized_body_is_refused_before_the_csrf_check_reads_it(province_staff):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(province_staff)
    client.get("/products/new/")  # the CSRF cookie, so that the check looks for the token

    response = client.post("/products/new/", {"description": "x" * ELEVEN_MB})

    assert response.status_code == 400
    assert "Dữ liệu gửi lên quá lớn" in _html(response)


def test_an_unreadable_request_is_a_vietnamese_400_without_the_size_message(province_staff):
    # A multipart body without its boundary cannot be parsed: Django answers 400.
    response = _client(province_staff).generic(
        "POST", "/products/new/", b"--x\r\n", content_type="multipart/form-data")

    assert response.status_code == 400
    html = _html(response)
    assert "Yêu cầu không hợp lệ" in html
    assert "quá lớn" not in html
