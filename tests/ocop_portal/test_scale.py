"""What a page or an export costs in queries does not grow with the registry: the dashboards,
the lists and the exports ask the same number of queries of a registry of 2,000 products and of
one of 20,000 (the national figure), both built by the bench's data set (benchmarks.dataset)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import dataset
from communications.reference import outlets_load
from ocop_portal import downloads
from ocop_portal.figures_cache import retire_version
from ocop_portal.models import Download
from products.models import Product

# Committed for real: the data set's rows check their foreign keys at commit, and emptying the
# registry between the two sizes truncates tables (which PostgreSQL refuses inside a
# transaction with checks pending).
pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/dashboard/?year=2024",
    "/dashboard/district/064/?year=2024",
    "/products/",
    "/products/?indicator=new_products_3star&year=2024",
    "/products/?q=mien&stars=4",
    "/subjects/",
    "/subjects/?indicator=new_subjects&year=2024",
]
EXPORTS = ["products", "subjects"]


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def _costs(user) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    costs = {}
    for url in PAGES:
        retire_version()  # cold: the figures are computed, not read from the cache

        def get(url=url):
            assert client.get(url).status_code == 200
        costs[url] = _queries(get)
    for kind in EXPORTS:
        download = Download.objects.create(user=user, kind=kind, title=kind,
                                           filename=f"{kind}.xlsx")
        costs[kind] = _queries(lambda pk=download.pk: downloads.download_build(pk))
        download.refresh_from_db()
        assert download.status == Download.Status.DONE, download.error
    return costs


def test_the_same_queries_for_2000_and_for_20000_products(reference_data, province_staff):
    outlets_load()  # the rest of load_backan_2024 is the tests' reference data
    dataset.build(2000)
    assert Product.objects.count() == 2000
    small = _costs(province_staff)
    dataset.clear()
    dataset.build(20000)
    assert Product.objects.count() == 20000
    large = _costs(province_staff)
    assert large == small
