"""People are named in Vietnamese order (family, middle, given) wherever the portal shows them:
the navigation bar, a record's history, the quota history and the reports list."""

import datetime as dt
import re

import pytest
from django.test import Client

from ocop_portal.models import District, Role, User
from products.services import product_update
from targets import reports
from tests.factories import ProductFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(reference_data):
    return User.objects.create_user(username="hoang_thi_lan", password="mat-khau-thu-2024",
                                    role=Role.PROVINCE_STAFF, last_name="Hoàng Thị",
                                    first_name="Lan")


def test_a_full_name_is_family_middle_then_given(lan):
    assert lan.get_full_name() == "Hoàng Thị Lan"
    assert str(lan) == "Hoàng Thị Lan"
    assert str(User(username="duc", last_name="Ma Văn", first_name=" Đức ")) == "Ma Văn Đức"
    assert str(User(username="chi_ten", first_name="Lan")) == "Lan"
    assert str(User(username="khong_ten")) == "khong_ten"


def test_pages_name_the_person_in_vietnamese_order(lan):
    product = ProductFactory(name="Miến dong Côn Minh")
    product_update(product, user=lan, name="Miến dong Côn Minh loại 1", subject=product.subject,
                   group=product.group, district=product.district, commune=product.commune,
                   first_cycle_year=product.first_cycle_year, description="")
    reports.monthly_report_request(month=dt.date(2024, 5, 1), user=lan, queue=False)
    client = Client()
    client.force_login(lan)
    pages = {url: client.get(url).content.decode()
             for url in ("/dashboard/", f"/products/{product.pk}/", "/reports/")}
    for url, html in pages.items():
        assert "Hoàng Thị Lan" in html, url
        assert "Lan Hoàng Thị" not in html, url


def test_the_city_is_listed_as_tp_bac_kan_not_as_the_province(province_staff):
    city = District.objects.get(code="058")
    assert (city.short_name, city.full_name) == ("TP Bắc Kạn", "Thành phố Bắc Kạn")
    assert District.objects.get(code="064").short_name == "Chợ Đồn"
    ProductFactory(name="Bánh khảo Bắc Kạn", subject=SubjectFactory(district=city),
                   district=city)
    client = Client()
    client.force_login(province_staff)
    products = client.get("/products/").content.decode()
    assert re.search(r"<td[^>]*>\s*TP Bắc Kạn\s*</td>", products)
    dashboard = client.get("/dashboard/district/058/").content.decode()
    assert "TP Bắc Kạn" in dashboard
