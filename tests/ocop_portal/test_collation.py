"""Vietnamese alphabetical order on both databases: base letters in the Vietnamese alphabet,
then tones, then case. The names are those a new user found out of order (code-point order put
"Cao khôi" before "Cá nướng" and "Đồng Lạc" after "Yên…"). On SQLite the order is
ocop_portal.collation's key; on PostgreSQL (CI) ICU's, and the last test holds the two equal."""

import pytest
from django.db import connection
from django.test import Client

from communications.models import Outlet
from ocop_portal.collation import vietnamese, vietnamese_sort_key, vietnamese_sorted
from ocop_portal.models import Commune
from ocop_portal.unit_fields import commune_label
from ocop_portal.units import DISTRICTS_END
from products.models import Product
from tests.factories import ProductFactory, SubjectFactory, district

pytestmark = pytest.mark.django_db
PRODUCTS_IN_ORDER = [
    "Cá nướng Ba Bể", "Cao khôi Chợ Đồn", "Măng khô Bạch Thông", "Mật ong bạc hà",
    "Miến dong Côn Minh", "Trà giảo cổ lam", "Trà Shan tuyết Bằng Phúc",
]
TONES_IN_ORDER = ["ma", "Ma", "mà", "mả", "mã", "má", "mạ", "mă", "mâ", "mb"]
LETTERS_IN_ORDER = ["dưa", "đa", "o", "ô", "ơ", "p", "u", "ư", "v"]


def test_the_key_follows_the_vietnamese_alphabet_then_tones_then_case():
    for expected in (PRODUCTS_IN_ORDER, TONES_IN_ORDER, LETTERS_IN_ORDER):
        assert vietnamese_sorted(reversed(expected)) == expected
    # Code-point order, for contrast: what the lists did before.
    assert sorted(PRODUCTS_IN_ORDER) != PRODUCTS_IN_ORDER
    assert vietnamese_sort_key("Đại Sảo") < vietnamese_sort_key("Yên Thịnh")
    assert vietnamese_sort_key("") < vietnamese_sort_key("a")
    assert vietnamese_sort_key(None) == vietnamese_sort_key("")


@pytest.fixture
def products(reference_data):
    subject = SubjectFactory(name="HTX Sản phẩm Bắc Kạn", district=district("064"))
    for name in reversed(PRODUCTS_IN_ORDER):
        ProductFactory(name=name, subject=subject)


def test_the_database_sorts_products_in_vietnamese_order(products):
    assert list(Product.objects.values_list("name", flat=True)) == PRODUCTS_IN_ORDER
    assert list(Product.objects.order_by(vietnamese("name")).values_list(
        "name", flat=True)) == PRODUCTS_IN_ORDER


def test_the_product_list_and_its_export_are_in_vietnamese_order(products, province_staff):
    client = Client()
    client.force_login(province_staff)
    html = client.get("/products/").content.decode()
    positions = [html.index(name) for name in PRODUCTS_IN_ORDER]
    assert positions == sorted(positions)


def test_communes_of_a_district_are_offered_in_vietnamese_order(district_officer):
    client = Client()
    client.force_login(district_officer)
    html = client.get("/products/new/").content.decode()
    # The 2020-2025 layout, one period of the list (each period is in Vietnamese order).
    layout = Commune.objects.valid_on(DISTRICTS_END).filter(district__code="064")
    labels = {c.name: commune_label(c) for c in layout}
    communes = list(labels)
    offered = sorted(communes, key=lambda name: html.index(f">{labels[name]}<"))
    assert offered == vietnamese_sorted(communes)
    assert offered.index("Đại Sảo") < offered.index("Yên Thịnh")
    assert offered.index("Đồng Lạc") < offered.index("Yên Thượng")


def test_the_database_and_the_key_agree_on_every_commune_and_more(reference_data):
    """On PostgreSQL this compares ICU's Vietnamese with our key, over every commune's name and
    words that differ only by tone, case or a letter's marks."""
    words = TONES_IN_ORDER + LETTERS_IN_ORDER + PRODUCTS_IN_ORDER + [
        "Đồng Lạc", "đồng lạc", "Dương Quang", "Yên Cư", "Bản Thi", "bản thi", "Ba Bể 2",
        "Ba Bể 10", "Ba-Bể", "Ba Bể", "Ấu", "Áo", "Ăn", "an", "Ân"]
    Outlet.objects.all().delete()
    names = sorted(set(Commune.objects.values_list("name", flat=True)) | set(words))
    Outlet.objects.bulk_create([Outlet(name=name, level="tinh") for name in names])
    in_database = list(Outlet.objects.order_by(vietnamese("name"), "pk").values_list(
        "name", flat=True))
    assert in_database == vietnamese_sorted(names), connection.vendor
