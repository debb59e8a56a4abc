"""The dashboards' figures are cached under a key every registry write changes: a warm page
costs a few queries, and a figure is never stale after a write, nor a page broken when the
cache is down."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from ocop_portal.figures_cache import registry_version
from tests.factories import ProductFactory, SubjectFactory, district, recognise

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"


def new_products_on_dashboard(client) -> int:
    response = client.get("/dashboard/?year=2024")
    assert response.status_code == 200
    return response.context["progress"].indicator("new_products_3star").total.actual


def recognise_new(name: str):
    subject = SubjectFactory(name=f"HTX {name}", district=district("064"))
    recognise(ProductFactory(name=name, subject=subject), decision_date=dt.date(2024, 5, 2))


@pytest.fixture
def staff_client(province_staff):
    client = Client()
    client.force_login(province_staff)
    return client


@pytest.mark.django_db(transaction=True)  # committed writes, as in production
def test_a_warm_dashboard_reads_its_figures_from_the_cache(reference_data, staff_client):
    recognise_new("Miến dong")
    with CaptureQueriesContext(connection) as cold:
        first = new_products_on_dashboard(staff_client)
    with CaptureQueriesContext(connection) as warm:
        second = new_products_on_dashboard(staff_client)
    assert first == second == 1
    assert len(warm) < len(cold) - 10


@pytest.mark.django_db(transaction=True)
def test_a_write_changes_the_figure_at_once(reference_data, staff_client):
    recognise_new("Miến dong")
    assert new_products_on_dashboard(staff_client) == 1
    recognise_new("Mật ong")  # a save through the services and the factories alike
    assert new_products_on_dashboard(staff_client) == 2


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_again_when_the_write_commits(reference_data):
    before = registry_version()
    with transaction.atomic():
        recognise_new("Miến dong")
        during = registry_version()
    after = registry_version()
    # Retired at the write and again at the commit: figures computed from the rows as they
    # were while the write was open are not read afterwards.
    assert len({before, during, after}) == 3


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": CLOSED_PORT}})
def test_with_the_cache_down_the_dashboard_is_computed(reference_data, staff_client):
    recognise_new("Miến dong")
    assert new_products_on_dashboard(staff_client) == 1


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_writes_retires_the_version_once_and_at_commit(reference_data):
    from django.db import connection as db

    with transaction.atomic():
        for number in range(5):
            recognise_new(f"Sản phẩm {number}")
        pending = [entry for entry in db.run_on_commit
                   if getattr(entry[1], "__name__", "") == "_retire"]
        assert len(pending) == 1
        during = registry_version()
    assert registry_version() != during


def test_figures_read_inside_a_transaction_that_wrote_are_not_cached(reference_data,
                                                                    staff_client):
    # The whole test runs in one transaction: its own uncommitted rows are never cached for
    # others, nor read back from the cache.
    recognise_new("Miến dong")
    assert new_products_on_dashboard(staff_client) == 1
    recognise_new("Mật ong")
    assert new_products_on_dashboard(staff_client) == 2
