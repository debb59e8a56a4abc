"""Every page opens on the same year: the plan in force (this year's plan, else the latest plan
up to this year), else this year. The reference data hold Kế hoạch 180 for 2024 only."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from targets.models import Plan
from targets.report_views import default_month
from targets.selectors import default_year

pytestmark = pytest.mark.django_db
PAGES = ["/dashboard/", "/dashboard/district/064/", "/targets/cycle/",
         "/communications/calendar/", "/targets/"]


def opened_on(client) -> dict[str, int]:
    years = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        context = response.context
        years[url] = context["plan"].year if url == "/targets/" else context["year"]
    return years


def test_pages_open_on_the_year_of_the_plan_in_force(province_staff):
    client = Client()
    client.force_login(province_staff)
    today = timezone.localdate()
    assert today.year > 2024  # the plan in force is the older one
    assert set(opened_on(client).values()) == {2024}
    report_form = client.get("/reports/").context["form"]
    assert report_form["month"].value() == dt.date(2024, 12, 1)


def test_a_plan_for_this_year_is_the_one_in_force(province_staff):
    today = timezone.localdate()
    Plan.objects.create(year=today.year, number="01/KH-UBND", issued_on=dt.date(today.year, 1, 5),
                        issuer="UBND tỉnh Bắc Kạn", title="Kế hoạch OCOP")
    # A plan for a later year, entered ahead, is not yet in force.
    Plan.objects.create(year=today.year + 1, number="02/KH-UBND",
                        issued_on=dt.date(today.year, 11, 5), issuer="UBND tỉnh Bắc Kạn",
                        title="Kế hoạch OCOP năm sau")
    client = Client()
    client.force_login(province_staff)
    assert set(opened_on(client).values()) == {today.year}


@pytest.mark.parametrize(("today", "plans", "year", "month"), [
    (dt.date(2026, 12, 1), [2024], 2024, dt.date(2024, 12, 1)),
    (dt.date(2024, 5, 20), [2024], 2024, dt.date(2024, 4, 1)),
    (dt.date(2025, 1, 10), [2024, 2025], 2025, dt.date(2024, 12, 1)),
    (dt.date(2025, 1, 10), [2024], 2024, dt.date(2024, 12, 1)),
    (dt.date(2023, 3, 1), [2024], 2023, dt.date(2023, 2, 1)),
])
def test_the_default_year_and_month(reference_data, today, plans, year, month):
    Plan.objects.exclude(year__in=plans).delete()
    for number in set(plans) - set(Plan.objects.values_list("year", flat=True)):
        Plan.objects.create(year=number, number=f"{number}/KH", issued_on=dt.date(number, 1, 2),
                            issuer="UBND tỉnh Bắc Kạn", title="Kế hoạch")
    assert default_year(today) == year
    assert default_month(today) == month
