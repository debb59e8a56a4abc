"""QR codes of the check pages: for signed-in users, as SVG and PNG, encoding the absolute URL
of the certificate's check page; and the A6 label on the product page."""

import shutil
import subprocess

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(province_staff):
    client = Client()
    client.force_login(province_staff)
    return client


def test_qr_downloads_need_a_login(make_product):
    token = make_product("Miến dong Tài Hoan").current_certificate.verify_token
    response = Client().get(f"/verify/{token}/qr.png")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Client().get("/verify/khong-co-ma-nay/qr.svg").status_code == 404


def test_officer_cannot_download_another_district_qr(make_product, other_district_officer):
    token = make_product("Miến dong Tài Hoan", district_code="064").current_certificate.verify_token
    client = Client()
    client.force_login(other_district_officer)
    assert client.get(f"/verify/{token}/qr.svg").status_code == 404


def test_qr_svg_download(make_product, staff_client):
    certificate = make_product("Miến dong Tài Hoan").current_certificate
    response = staff_client.get(f"/verify/{certificate.verify_token}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" in response["Content-Disposition"]
    assert b"<svg" in response.content


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) is missing")
def test_qr_png_encodes_the_absolute_check_url(make_product, staff_client, tmp_path):
    certificate = make_product("Miến dong Tài Hoan").current_certificate
    response = staff_client.get(f"/verify/{certificate.verify_token}/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    png = tmp_path / "qr.png"
    png.write_bytes(response.content)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True,  # noqa: S603,S607
                             text=True, check=True).stdout.strip()
    assert decoded == f"http://testserver/verify/{certificate.verify_token}/"
    assert Client().get(decoded.removeprefix("http://testserver")).status_code == 200


def test_label_sheet_from_the_product_page(make_product, staff_client):
    product = make_product("Miến dong Tài Hoan", stars=4)
    certificate = product.current_certificate
    detail = staff_client.get(f"/products/{product.pk}/").content.decode()
    assert f'href="/products/{product.pk}/label/"' in detail
    html = staff_client.get(f"/products/{product.pk}/label/").content.decode()
    assert "<svg" in html
    assert product.name in html
    assert f"{certificate.valid_to:%d/%m/%Y}" in html
    assert f"http://testserver/verify/{certificate.verify_token}/" in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_label_follows_the_product_scope(make_product, other_district_officer):
    product = make_product("Miến dong Tài Hoan", district_code="064")
    client = Client()
    assert client.get(f"/products/{product.pk}/label/").status_code == 302
    client.force_login(other_district_officer)
    assert client.get(f"/products/{product.pk}/label/").status_code == 404


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) is missing")
def test_the_qr_carries_the_public_address_when_one_is_set(make_product, staff_client,
                                                           tmp_path, settings):
    settings.PUBLIC_BASE_URL = "https://ocop.backan.gov.vn/"
    certificate = make_product("Miến dong Tài Hoan").current_certificate
    png = tmp_path / "qr.png"
    png.write_bytes(staff_client.get(f"/verify/{certificate.verify_token}/qr.png").content)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True,  # noqa: S603,S607
                             text=True, check=True).stdout.strip()
    assert decoded == f"https://ocop.backan.gov.vn/verify/{certificate.verify_token}/"
