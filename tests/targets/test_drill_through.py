"""Every number of the dashboards opens the list of the records that make it up, and that list,
through the real list pages, shows the same count."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from targets.selectors import indicator_progress, media_calendar_for_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a [^>]*href="(?P<href>[^"]+)"[^>]*data-(?:count|actual|items)="(?P<n>\d+)"')


@pytest.fixture
def demo(settings, reference_data):
    settings.DEMO_DATA = True
    settings.LOCAL = True
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEMO_DATA = False


def _links(html):
    return [(m["href"].replace("&amp;", "&"), int(m["n"])) for m in LINK.finditer(html)]


def _listed(client, href):
    response = client.get(href)
    assert response.status_code == 200, href
    if "page_obj" in response.context:
        return response.context["page_obj"].paginator.count
    # The province's media figure is a number of months met: it opens the year calendar.
    return sum(1 for month in response.context["months"] if month.status == "met")


def test_every_number_lists_as_many_records_as_it_shows(demo, province_staff):
    client = Client()
    client.force_login(province_staff)
    # The demo data is loaded once for the three dashboards: it is the slow part.
    for path, least in (("/dashboard/?year=2024", 40), ("/dashboard/district/064/?year=2024", 20),
                        ("/dashboard/district/066/?year=2024", 20)):
        links = _links(client.get(path).content.decode())
        assert len(links) > least, f"{path}: every number should link to its records"
        nonzero = 0
        for href, shown in links:
            assert _listed(client, href) == shown, href
            nonzero += shown > 0
        assert nonzero > 8, f"{path}: the demo data should make most numbers non-zero"
    _calendar_equals_the_engine(province_staff)


def test_district_officer_follows_province_figures_into_their_own_district_only(
        demo, district_officer):
    client = Client()
    client.force_login(district_officer)
    links = _links(client.get("/dashboard/?year=2024").content.decode())
    for href, shown in links:
        listed = _listed(client, href)
        assert listed <= shown, href
        response = client.get(href)
        for record in response.context.get("products") or response.context.get("subjects") or []:
            assert record.district.code == "064", href


def test_unknown_indicator_code_is_not_found(province_staff):
    client = Client()
    client.force_login(province_staff)
    assert client.get("/products/?indicator=nonsense&year=2024").status_code == 404
    assert client.get("/products/?indicator=new_subjects&year=2024").status_code == 404
    assert client.get("/subjects/?indicator=new_subjects&year=abc").status_code == 404


def _calendar_equals_the_engine(province_staff):
    progress = indicator_progress(year=2024)
    media = next(item for item in progress.indicators if item.is_media)
    months = media_calendar_for_user(province_staff, year=2024, quota=media.items_per_month)
    assert [cell.count for cell in months] == [m.items for m in media.months]
    assert sum(cell.status == "met" for cell in months) == media.total.actual
    client = Client()
    client.force_login(province_staff)
    page = client.get("/communications/calendar/?year=2024")
    assert [cell.count for cell in page.context["months"]] == [m.items for m in media.months]


@pytest.mark.parametrize("url", [
    "/products/?indicator=recognised&year=99999",
    "/products/?indicator=new_products_3star&year=0",
    "/subjects/?indicator=linkage_subjects&year=10000",
    "/products/export.xlsx?indicator=recognised&year=99999",
])
def test_a_drill_through_year_no_calendar_has_is_not_found(province_staff, url):
    client = Client()
    client.force_login(province_staff)
    assert client.get(url).status_code == 404
