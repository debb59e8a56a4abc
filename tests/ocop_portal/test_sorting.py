"""Lists sort by any column header (`?sort=name`, `?sort=-name`, …), in Vietnamese order for
text, and keep that order across pages and in the export."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import media_item

pytestmark = pytest.mark.django_db
NAMES = ["Cá nướng", "Cao khôi", "Đậu tương", "Măng khô", "Yến sào"]


@pytest.fixture
def products(reference_data):
    made = {}
    for stars, name in zip([3, 5, 4, 3, 4], NAMES, strict=True):
        subject = SubjectFactory(name=f"HTX {name}", district=district("064"))
        product = ProductFactory(name=name, subject=subject)
        recognise(product, stars=stars, decision_date=dt.date(2024, 5, 2))
        made[name] = product
    return made


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def listed(html, names):
    found = [(html.index(f">{name}</a>"), name) for name in names if f">{name}</a>" in html]
    return [name for _, name in sorted(found)]


@pytest.mark.parametrize(("query", "expected"), [
    ("", NAMES),
    ("?sort=name", NAMES),
    ("?sort=-name", NAMES[::-1]),
    ("?sort=-stars", ["Cao khôi", "Đậu tương", "Yến sào", "Cá nướng", "Măng khô"]),
    ("?sort=nonsense", NAMES),
    ("?sort=--name", NAMES),
])
def test_the_product_list_sorts_by_the_column_asked_for(products, province_staff, query,
                                                       expected):
    html = client_for(province_staff).get(f"/products/{query}").content.decode()
    assert listed(html, NAMES) == expected


def test_a_header_links_to_its_sort_keeping_the_filters_and_dropping_the_page(
        products, province_staff):
    html = client_for(province_staff).get(
        "/products/?district=064&sort=name&page=1").content.decode()
    assert 'aria-sort="ascending"' in html
    # The active column reverses; another column sorts its own way first (stars: highest).
    assert 'href="?district=064&amp;sort=-name"' in html
    assert 'href="?district=064&amp;sort=-stars"' in html
    assert not re.search(r'href="\?[^"]*page=[^"]*sort=', html)


def test_the_export_follows_the_lists_sort(products, province_staff):
    response = client_for(province_staff).get("/products/export.xlsx?sort=-name")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [c.value for c in sheet["B"] if c.value in NAMES]
    assert names == NAMES[::-1]


def test_pages_keep_the_sort(products, province_staff, monkeypatch):
    from products import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for(province_staff)
    pages = [listed(client.get(f"/products/?sort=-name&page={n}").content.decode(), NAMES)
             for n in (1, 2, 3)]
    assert [name for page in pages for name in page] == NAMES[::-1]


def test_producers_and_media_items_sort_too(products, province_staff):
    client = client_for(province_staff)
    subjects = [f"HTX {name}" for name in NAMES]
    html = client.get("/subjects/?sort=-name").content.decode()
    assert listed(html, subjects) == subjects[::-1]
    for day, title in enumerate(["Ấm trà", "Bánh", "Cốm"], start=1):
        media_item(dt.datetime(2024, 3, day, 9), title=title)
    titles = ["Ấm trà", "Bánh", "Cốm"]
    assert listed(client.get("/communications/").content.decode(), titles) == titles[::-1]
    assert listed(client.get("/communications/?sort=title").content.decode(), titles) == titles
