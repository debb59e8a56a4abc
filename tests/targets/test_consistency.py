"""Every indicator, on every as-of day, for every district and the province: the engine's
figure equals the rows of the appendix's "Danh sách" sheet and the rows of its drill-through list.

The records straddle the as-of days (each kind has one dated before and one after 15/05 and
30/09, and one in the next year), so a rule restated anywhere with another cut — the real today
instead of the as-of day, the month instead of the day — makes the three disagree.
"""

import datetime as dt
from collections import Counter

import pytest
from django.test import Client

from products.services import certificate_revoke
from targets.appendix import appendix_data, counted_rows
from targets.indicators import ENTRIES, MEDIA, MEDIA_CODE, indicator_records_url
from targets.models import Plan
from targets.selectors import districts_of_year, indicator_progress
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise
from tests.targets.builders import linkage, media_item, quality, support, traceability

D = dt.date
YEAR = 2024
AS_OF_DAYS = [D(2024, 1, 1), D(2024, 5, 15), D(2024, 9, 30), D(2024, 12, 31), D(2025, 12, 31)]
# Before the first as-of day's end, between each pair of them, and after the year.
DAYS = [D(2024, 1, 1), D(2024, 3, 10), D(2024, 5, 20), D(2024, 10, 10), D(2025, 2, 1)]


@pytest.fixture
def straddling_records(reference_data):
    for code in ("064", "066", "061"):
        unit = district(code)
        for index, day in enumerate(DAYS):
            subject = SubjectFactory(district=unit, name=f"HTX {code} {index}",
                                     first_year_in_programme=YEAR if index % 2 else YEAR - 1)
            product = ProductFactory(subject=subject, name=f"Sản phẩm {code} {index}")
            # A first recognition on the day (new in 2024 when the day is in 2024) ...
            recognise(product, stars=3 + index % 3, decision_date=day)
            traceability(product, started_on=day)
            quality(product, issued_on=day)
            linkage(subject, valid_from=day)
            media_item(dt.datetime(day.year, day.month, day.day, 23, 30), district=unit)
            # ... and a product recognised before the year, consolidated on the day.
            old = ProductFactory(subject=subject, name=f"Sản phẩm cũ {code} {index}")
            recognise(old, stars=4, decision_date=D(2021, 6, day.month))
            support(subject, day)
        # A producer new in the year without any product: not a new producer of plan 180.
        SubjectFactory(district=unit, name=f"HTX chưa có sản phẩm {code}",
                       first_year_in_programme=YEAR)
        # A certificate revoked during the year still counted as in force before.
        revoked = ProductFactory(subject=SubjectFactory(district=unit, name=f"HTX thu hồi {code}"),
                                 name=f"Sản phẩm bị thu hồi {code}")
        outcome = recognise(revoked, stars=3, decision_date=D(2023, 11, 1))
        certificate_revoke(outcome.certificate, user=office_user(), revoked_on=D(2024, 7, 1),
                           decision="12/QĐ-UBND", reason="Không duy trì chất lượng")
    # A media item of no district, and one dated in the future of the as-of days, stored
    # directly as only a back door could.
    media_item(dt.datetime(2024, 5, 15, 8, 0))
    media_item(dt.datetime(2024, 12, 31, 23, 59))


def _list_count(client: Client, code: str, district_code: str | None, as_of: dt.date) -> int:
    url = indicator_records_url(code, year=YEAR, district_code=district_code, as_of=as_of)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def _figure(progress, code: str, district_code: str | None) -> int:
    item = progress.indicator(code)
    if item.indicator.code == MEDIA_CODE and district_code is None:
        return item.items  # the province figure is months met; its records are the year's items
    figure = item.total if district_code is None else item.districts[district_code]
    return figure.actual


@pytest.mark.parametrize("as_of", AS_OF_DAYS, ids=lambda day: f"{day:%d-%m-%Y}")
def test_figure_equals_appendix_rows_equals_drill_through_rows(straddling_records,
                                                               province_staff, as_of):
    client = Client()
    client.force_login(province_staff)
    progress = indicator_progress(year=YEAR, today=as_of)
    plan = Plan.objects.get(year=YEAR)
    sheet_rows: Counter[tuple[str, str | None]] = Counter()
    for number in (1, 2):
        for row in counted_rows(appendix_data(number=number, plan=plan, today=as_of)):
            name, district_name = row[0], row[1]
            sheet_rows[(name, district_name)] += 1
            sheet_rows[(name, None)] += 1
    districts = districts_of_year(YEAR)
    seen_nonzero = set()
    for entry in ENTRIES:
        for unit in [None, *districts]:
            code = unit.code if unit else None
            figure = _figure(progress, entry.code, code)
            listed = _list_count(client, entry.code, code, as_of)
            assert figure == listed, (entry.code, code, as_of)
            if entry.kind != MEDIA:
                in_sheet = sheet_rows[(entry.name, unit.name if unit else None)]
                assert figure == in_sheet, (entry.code, code, as_of)
            if figure:
                seen_nonzero.add(entry.code)
    # The data set gives every indicator something to count once the year has begun.
    if as_of >= D(2024, 5, 15):
        assert seen_nonzero == {entry.code for entry in ENTRIES}


def test_figures_grow_with_the_as_of_day_and_stop_at_the_year_end(straddling_records):
    figures = [indicator_progress(year=YEAR, today=day).indicator("new_products_3star").total.actual
               for day in AS_OF_DAYS]
    # 3 districts × the days up to each as-of day; 2025's recognition is not new in 2024.
    assert figures == [3, 6, 9, 12, 12]
