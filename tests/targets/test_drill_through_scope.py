"""A district officer following a province figure reads a list of their district's share, and is
told so with both counts; nobody else sees the note."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import media_item

pytestmark = pytest.mark.django_db
NOTE = 'data-testid="scope-note"'


@pytest.fixture
def two_of_five(reference_data):
    """New 3-star products of 2024: 2 in Chợ Đồn, 3 in Na Rì; media items 1 and 2."""
    for number, code in enumerate(["064", "064", "066", "066", "066"]):
        subject = SubjectFactory(name=f"HTX {number}", district=district(code),
                                 first_year_in_programme=2024)
        recognise(ProductFactory(name=f"Sản phẩm {number}", subject=subject),
                  decision_date=dt.date(2024, 5, 2))
    media_item(dt.datetime(2024, 3, 1, 9), district=district("064"))
    for day in (2, 3):
        media_item(dt.datetime(2024, 3, day, 9), district=district("066"))


def page(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("url", "shown", "total"), [
    ("/products/?indicator=new_products_3star&year=2024", 2, 5),
    ("/subjects/?indicator=new_subjects&year=2024", 2, 5),
    ("/communications/?indicator=media_items_monthly&year=2024", 1, 3),
])
def test_an_officer_reads_their_share_of_a_province_figure(two_of_five, district_officer, url,
                                                           shown, total):
    html = page(district_officer, url)
    assert (f"Danh sách chỉ gồm hồ sơ của Huyện Chợ Đồn (phạm vi của bạn): {shown} trong "
            f"{total} hồ sơ toàn tỉnh; {total - shown} hồ sơ thuộc các huyện khác.") in html


def test_the_note_counts_the_figure_whatever_narrows_the_page(two_of_five, district_officer):
    # A search that finds nothing on the page does not change what the figure holds.
    html = page(district_officer, "/products/?indicator=new_products_3star&year=2024&q=zzz")
    assert "2 trong 5 hồ sơ toàn tỉnh; 3 hồ sơ thuộc các huyện khác." in html


def test_province_wide_media_items_are_named_as_such(two_of_five, district_officer):
    media_item(dt.datetime(2024, 3, 9, 9), district=None)
    html = page(district_officer, "/communications/?indicator=media_items_monthly&year=2024")
    assert ("1 trong 4 hồ sơ toàn tỉnh; 2 hồ sơ thuộc các huyện khác, 1 hồ sơ chung toàn tỉnh "
            "(không gắn với huyện nào).") in html


def test_no_note_on_the_officers_own_figure_nor_for_the_province(two_of_five, district_officer,
                                                                province_staff):
    own = "/products/?indicator=new_products_3star&year=2024&district=064"
    assert NOTE not in page(district_officer, own)
    assert NOTE not in page(province_staff, "/products/?indicator=new_products_3star&year=2024")


def test_another_districts_figure_says_whose_it_is(two_of_five, district_officer):
    html = page(district_officer, "/products/?indicator=new_products_3star&year=2024&district=066")
    assert "Số liệu này là của một huyện khác" in html
