"""A record's unit on its page and in the list search, across the 2020 and 2025 reorganisations.

Xã Rã Bản (Chợ Đồn) merged into xã Đồng Thắng on 01/02/2020, which became xã Bạch Thông of
Thái Nguyên on 01/07/2025 (counted in the former huyện Bạch Thông); thị trấn Phủ Thông became
xã Phủ Thông of Thái Nguyên.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop_portal.models import Commune, District, Role, User
from ocop_portal.units import DISTRICTS_END, MERGER_2020, THAI_NGUYEN_FROM
from tests.factories import ProductFactory, SubjectFactory, commune_of

pytestmark = pytest.mark.django_db

BEFORE_2020 = MERGER_2020 - dt.timedelta(days=1)

PHU_THONG_SHOWN = ("Xã Phủ Thông, tỉnh Thái Nguyên — trước 01/07/2025: thị trấn Phủ Thông, "
                   "huyện Bạch Thông")
RA_BAN_SHOWN = ("Xã Rã Bản, huyện Chợ Đồn — từ 01/02/2020: xã Đồng Thắng; từ 01/07/2025: "
                "xã Bạch Thông (tỉnh Thái Nguyên)")


def _unit(code, day):
    return Commune.objects.valid_on(day).get(code=code)


@pytest.fixture
def phu_thong(reference_data):
    return _unit("01969", THAI_NGUYEN_FROM)  # xã Phủ Thông, counted in huyện Bạch Thông


@pytest.fixture
def ra_ban(reference_data):
    return _unit("02056", BEFORE_2020)


@pytest.fixture
def dong_thang(reference_data):
    return _unit("02059", DISTRICTS_END)


@pytest.fixture
def bach_thong(reference_data):
    return _unit("02014", THAI_NGUYEN_FROM)  # xã Bạch Thông of Thái Nguyên


def _in(commune, *, district=None, **fields):
    """A producer and its product in `commune`, counted in `district` (else the commune's)."""
    district = district or commune.district
    subject = SubjectFactory(district=district, commune=commune, **fields)
    product = ProductFactory(subject=subject, district=district, commune=commune)
    return subject, product


def _text(response):
    assert response.status_code == 200
    return response.content.decode()


# The record's page ----------------------------------------------------------------------------

def test_the_product_page_names_a_thai_nguyen_commune_and_the_unit_before(
        client, province_staff, phu_thong):
    _, product = _in(phu_thong)
    client.force_login(province_staff)
    html = _text(client.get(f"/products/{product.pk}/"))
    assert PHU_THONG_SHOWN in html
    assert "Tính cho Huyện Bạch Thông (cũ)" in html


def test_the_producer_page_names_a_thai_nguyen_commune_and_the_unit_before(
        client, province_staff, phu_thong):
    subject, _ = _in(phu_thong, address="Tổ 5")
    client.force_login(province_staff)
    html = _text(client.get(f"/subjects/{subject.pk}/"))
    assert f"Tổ 5, {PHU_THONG_SHOWN}" in html
    assert "Tính cho Huyện Bạch Thông (cũ)" in html


def test_the_pages_name_a_unit_that_ceased_and_what_it_became(client, province_staff, ra_ban):
    subject, product = _in(ra_ban)
    client.force_login(province_staff)
    for url in (f"/products/{product.pk}/", f"/subjects/{subject.pk}/"):
        html = _text(client.get(url))
        assert RA_BAN_SHOWN in html, url
        assert "(cũ)" not in html, url  # a commune of a district: the district is in its name


def test_the_pages_read_the_history_in_one_query(client, province_staff, phu_thong, ra_ban,
                                                 cho_don):
    """One query more than a record with no commune (every succession, read at once),
    whatever the unit's history: none for each unit named, nor for the unit's province or
    district."""
    client.force_login(province_staff)
    counts = {}
    for name, commune in (("none", None), ("tn", phu_thong), ("old", ra_ban)):
        subject, product = _in(commune, district=cho_don if commune is None else None)
        for kind, url in (("product", f"/products/{product.pk}/"),
                          ("subject", f"/subjects/{subject.pk}/")):
            client.get(url)  # the session and caches warmed
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[kind, name] = len(queries)
    for kind in ("product", "subject"):
        assert counts[kind, "tn"] == counts[kind, "old"] == counts[kind, "none"] + 1, kind


# The list search --------------------------------------------------------------------------------

@pytest.fixture
def records(ra_ban, dong_thang, bach_thong, na_ri):
    """A producer and its product in each unit of Rã Bản's line, one elsewhere; the names say
    nothing of the unit."""
    return {
        "ra_ban": _in(ra_ban, name="Hợp tác xã Một"),
        "dong_thang": _in(dong_thang, name="Hợp tác xã Hai"),
        # counted in Chợ Đồn, where its predecessor Đồng Thắng lay
        "bach_thong": _in(bach_thong, district=dong_thang.district, name="Hợp tác xã Ba"),
        "elsewhere": _in(commune_of(na_ri.code), name="Hợp tác xã Bốn"),
        # Dương Phong merged into xã Bạch Thông beside Đồng Thắng: a sibling, not Rã Bản's line
        "sibling": _in(_unit("02014", DISTRICTS_END), name="Hợp tác xã Năm"),
    }


def _found(client, what, query):
    response = client.get(f"/{what}/", {"q": query})
    assert response.status_code == 200
    return {record.pk for record in response.context[what]}


def _pks(records, what, *names):
    index = 0 if what == "subjects" else 1
    return {records[name][index].pk for name in names}


@pytest.mark.parametrize("what", ["products", "subjects"])
def test_a_search_by_an_old_unit_finds_the_records_of_the_units_it_became(
        client, province_staff, records, what):
    client.force_login(province_staff)
    for query in ("Rã Bản", "ra ban", "xã RÃ BẢN"):
        assert _found(client, what, query) == _pks(
            records, what, "ra_ban", "dong_thang", "bach_thong"), query


@pytest.mark.parametrize("what", ["products", "subjects"])
def test_a_search_by_a_later_unit_finds_the_records_of_the_units_it_came_from(
        client, province_staff, records, what):
    client.force_login(province_staff)
    assert _found(client, what, "Đồng Thắng") == _pks(
        records, what, "ra_ban", "dong_thang", "bach_thong")


@pytest.mark.parametrize("what", ["products", "subjects"])
def test_a_search_still_finds_a_record_by_its_own_name(client, province_staff, records, what):
    client.force_login(province_staff)
    assert _found(client, what, "hop tac xa bon") == _pks(records, what, "elsewhere")


@pytest.mark.parametrize("what", ["products", "subjects"])
def test_a_short_search_or_another_kind_of_unit_does_not_match_unit_names(
        client, province_staff, records, what):
    client.force_login(province_staff)
    assert _found(client, what, "rã") == set()  # under three letters
    assert _found(client, what, "thị trấn Rã Bản") == set()  # Rã Bản was a xã


@pytest.mark.parametrize("what", ["products", "subjects"])
def test_the_widened_search_keeps_to_the_officers_district(
        client, district_officer, other_district_officer, records, what):
    client.force_login(district_officer)  # Chợ Đồn: the three are its records
    assert _found(client, what, "Rã Bản") == _pks(
        records, what, "ra_ban", "dong_thang", "bach_thong")
    client.force_login(other_district_officer)  # Na Rì
    assert _found(client, what, "Rã Bản") == set()
    # Bạch Thông's officer: xã Bạch Thông is counted in Bạch Thông, but the record is Chợ Đồn's
    bach_thong_officer = User.objects.create_user(
        username="can_bo_bach_thong", password="mat-khau-thu-2024", role=Role.DISTRICT_OFFICER,
        district=District.objects.get(code="063"))
    client.force_login(bach_thong_officer)
    assert _found(client, what, "Rã Bản") == set()
    # ... and it finds its own Dương Phong record, which became part of xã Bạch Thông.
    assert _found(client, what, "Bạch Thông") == _pks(records, what, "sibling")
