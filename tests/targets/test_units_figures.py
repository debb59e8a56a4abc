"""Figures per district for every year from the programme's first (2018), counted in the unit
each record had on its date; and, after the district level ended, per former district through
the crosswalk."""

import datetime as dt
import io
import json
import random

import pytest
from django.core.management import call_command
from django.test import Client

from ocop_portal.models import Commune, District
from ocop_portal.units import DISTRICTS_END, THAI_NGUYEN_FROM
from products.models import Product
from products.services import product_create
from subjects.services import SubjectFields, subject_create
from tests.factories import office_user, recognise, top_group

pytestmark = pytest.mark.django_db

BEFORE_2020 = dt.date(2019, 12, 31)


def report(year: int) -> dict:
    out = io.StringIO()
    call_command("indicator_report", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def by_district(data: dict, code: str) -> dict[str, int]:
    indicator = next(i for i in data["indicators"] if i["code"] == code)
    return {d["code"]: d["actual"] for d in indicator["districts"]}


@pytest.fixture
def early_records(reference_data):
    """Producers and products of 2018 and 2019 in communes of the layout of their day, among
    them the ones that ceased in 2020, in every district; what each should count for, kept
    beside them by hand."""
    rng = random.Random(2018)
    user = office_user()
    communes = list(Commune.objects.valid_on(BEFORE_2020).select_related("district")
                    .order_by("code"))
    ceased = [c for c in communes if c.valid_to and c.valid_to < DISTRICTS_END]
    assert len(ceased) == 26
    expected = {year: {"new_products_3star": {}, "new_subjects": {}} for year in (2018, 2019)}
    for n in range(40):
        # Each commune that ceased in 2020 once, then communes at random.
        commune = ceased[n] if n < len(ceased) else rng.choice(communes)
        year = 2018 + n % 2
        subject = subject_create(user=user, fields=SubjectFields(
            name=f"Hợp tác xã số {n}", subject_type="htx", district=commune.district,
            commune=commune, first_year_in_programme=year))
        product = product_create(user=user, name=f"Sản phẩm {n}", subject=subject,
                                 group=top_group("1"), district=commune.district,
                                 commune=commune, first_cycle_year=year)
        stars = rng.choice([2, 3, 3, 4])
        recognise(product, stars=stars, decision_date=dt.date(year, 3 + n % 9, 10))
        code = commune.district.code
        counts = expected[year]
        counts["new_subjects"][code] = counts["new_subjects"].get(code, 0) + 1
        if stars >= 3:
            counts["new_products_3star"][code] = counts["new_products_3star"].get(code, 0) + 1
    return expected


@pytest.mark.parametrize("year", [2018, 2019])
def test_the_programmes_first_years_have_eight_district_rows_equal_to_the_records(
        early_records, year):
    data = report(year)

    codes = sorted(District.objects.values_list("code", flat=True))
    for indicator in data["indicators"]:
        assert [d["code"] for d in indicator["districts"]] == codes, indicator["code"]
    for code, expected in early_records[year].items():
        figures = by_district(data, code)
        assert figures == {c: expected.get(c, 0) for c in codes}, code
        total = next(i for i in data["indicators"] if i["code"] == code)["actual"]
        assert total == sum(expected.values())


def test_the_records_stay_in_the_communes_that_ceased_in_2020(early_records):
    assert Product.objects.filter(commune__code="02056", district__code="064").exists()  # Rã Bản
    assert Product.objects.filter(commune__valid_to__lt=DISTRICTS_END).count() >= 26


def test_the_dashboards_year_selector_reaches_back_to_2018(province_staff):
    client = Client()
    client.force_login(province_staff)

    response = client.get("/dashboard/?year=2018")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="2018" selected>' in html
    for code in District.objects.values_list("code", flat=True):
        assert f'href="/dashboard/district/{code}/?year=2018"' in html


# After the district level ended ------------------------------------------------------------------

@pytest.fixture
def phu_thong_2025(reference_data):
    """Two first recognitions of 2025 in Phủ Thông: one in the township of Bạch Thông (March),
    one in the commune of Thái Nguyên it became (September); and one in Đồng Phúc of Thái
    Nguyên, counted in Chợ Đồn where its row placed it (Bằng Phúc's former district)."""
    user = office_user()
    township = Commune.objects.valid_on(DISTRICTS_END).get(code="01969")
    commune = Commune.objects.valid_on(THAI_NGUYEN_FROM).get(code="01969")
    dong_phuc = Commune.objects.valid_on(THAI_NGUYEN_FROM).get(name="Đồng Phúc")
    cho_don = District.objects.get(code="064")
    made = []
    for n, (unit, district, day) in enumerate([
            (township, township.district, dt.date(2025, 3, 10)),
            (commune, commune.district, dt.date(2025, 9, 10)),
            (dong_phuc, cho_don, dt.date(2025, 10, 1))]):
        subject = subject_create(user=user, fields=SubjectFields(
            name=f"Hợp tác xã {n}", subject_type="htx", district=district, commune=unit,
            first_year_in_programme=2025))
        product = product_create(user=user, name=f"Miến {n}", subject=subject,
                                 group=top_group("1"), district=district, commune=unit,
                                 first_cycle_year=2025)
        recognise(product, stars=3, decision_date=day)
        made.append(product)
    return made


def test_figures_after_30_06_2025_are_grouped_by_new_commune_and_former_district(
        phu_thong_2025):
    data = report(2025)

    assert "huyện cũ có nhiều xã" in data["communes_rule"]
    indicator = next(i for i in data["indicators"] if i["code"] == "new_products_3star")
    communes = {c["code"]: c for c in indicator["communes"]}
    assert len(communes) == 37
    assert communes["01969"]["actual"] == 2  # the township and the commune it became
    assert communes["01969"]["former_district"] == "063"
    assert communes["01933"]["actual"] == 1  # Đồng Phúc
    assert sum(c["actual"] for c in communes.values()) + indicator["without_commune"] == (
        indicator["actual"])
    districts = by_district(data, "new_products_3star")
    assert (districts["063"], districts["064"], districts["061"]) == (2, 1, 0)


def test_years_before_the_new_communes_have_no_commune_figures(phu_thong_2025):
    data = report(2024)

    assert "communes_rule" not in data
    assert all("communes" not in i for i in data["indicators"])


def test_the_years_after_the_district_level_have_the_eight_former_districts(reference_data):
    data = report(2026)

    codes = sorted(District.objects.values_list("code", flat=True))
    for indicator in data["indicators"]:
        assert [d["code"] for d in indicator["districts"]] == codes


def test_a_new_communes_number_opens_the_records_it_counts(phu_thong_2025, province_staff):
    client = Client()
    client.force_login(province_staff)
    html = client.get("/dashboard/?year=2025").content.decode()

    assert "Theo xã, phường mới (tỉnh Thái Nguyên, từ 01/07/2025)" in html
    assert "Huyện, thành phố</th>" in html  # 2025: the districts still existed half the year
    link = ('/products/?indicator=new_products_3star&amp;year=2025&amp;'
            'commune=01969@2025-07-01" data-indicator="new_products_3star" '
            'data-commune="01969" data-actual="2"')
    assert f'href="{link}' in html
    response = client.get("/products/", {"indicator": "new_products_3star", "year": 2025,
                                         "commune": "01969@2025-07-01"})
    assert {p.pk for p in response.context["products"]} == {p.pk for p in phu_thong_2025[:2]}


def test_the_district_page_lists_the_communes_counted_in_it(phu_thong_2025, province_staff):
    client = Client()
    client.force_login(province_staff)

    html = client.get("/dashboard/district/064/?year=2025").content.decode()

    # Chợ Đồn's six communes, and Đồng Phúc (Ba Bể's) for the record that named Chợ Đồn.
    assert html.count('data-indicator="new_products_3star" data-commune=') == 7
    assert 'data-commune="01933" data-actual="1"' in html


def test_2026_calls_the_districts_former(reference_data, province_staff):
    client = Client()
    client.force_login(province_staff)

    html = client.get("/dashboard/?year=2026").content.decode()

    assert "Huyện, thành phố (cũ)</th>" in html
