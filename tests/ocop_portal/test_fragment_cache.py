"""The dashboards' and lists' rendered HTML is cached with their figures: never stale after a
registry write, never shared between users the page shows differently, and never a failure
when the cache is down."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.test import Client

from ocop_portal import downloads, figures_cache
from ocop_portal.models import Download, Role, User
from targets.models import Indicator, Plan
from targets.services import quota_set
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.django_db
DASHBOARD = "/dashboard/?year=2024"
QUOTA_LINK = "Nhập chỉ tiêu các huyện"


def _html(user, url=DASHBOARD) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _recognised(html: str) -> str:
    marker = 'data-indicator="new_products_3star"'
    return html[html.index(marker):html.index(marker) + 2500]


# Committed for real, as a request's write is: inside a test's transaction the figures are never
# read from the cache (the write is pending), which would hide a stale one.
@pytest.mark.django_db(transaction=True)
def test_a_committed_write_shows_at_once(province_staff, cho_don,
                                         django_assert_max_num_queries):
    before = _html(province_staff)
    client = Client()
    client.force_login(province_staff)
    with django_assert_max_num_queries(6):  # served from the cache: session, user, little else
        again = client.get(DASHBOARD).content.decode()
    assert _recognised(again) == _recognised(before)
    recognise(ProductFactory(subject=SubjectFactory(district=cho_don)), 4, dt.date(2024, 6, 1))
    assert not figures_cache._writes_pending()
    after = _html(province_staff)
    assert 'data-actual="0"' in _recognised(before)
    assert 'data-actual="1"' in _recognised(after)


@pytest.fixture
def quota_mismatch(cho_don, admin_user):
    """A district quota that does not add up to the province's: the dashboard warns, with a
    link to the quotas for those who manage the plan."""
    quota_set(plan=Plan.objects.get(year=2024),
              indicator=Indicator.objects.get(code="new_products_3star"), district=cho_don,
              value=999, reason="Thử", user=admin_user)


@pytest.mark.parametrize("first", ["superuser", "leader"])
def test_a_superuser_is_not_drawn_as_the_leader_his_role_field_says(quota_mismatch, leader,
                                                                    first):
    superuser = User.objects.create_superuser("root", "root@example.vn", "mat-khau-thu-2024")
    assert superuser.role == Role.LEADER  # the field's default; he acts as an administrator
    pages = {}
    for name in ([first, *({"superuser", "leader"} - {first})]):
        pages[name] = _html(superuser if name == "superuser" else leader)
    assert QUOTA_LINK in pages["superuser"]
    assert QUOTA_LINK not in pages["leader"]


def test_each_user_sees_the_page_drawn_for_them(province_staff, district_officer, leader):
    assert "Huyện của tôi" not in _html(province_staff)
    assert "Huyện của tôi: Chợ Đồn" in _html(district_officer)
    assert "Huyện của tôi" not in _html(leader)


def test_an_officers_list_filters_are_not_anothers(district_officer, other_district_officer,
                                                   province_staff):
    assert '<option value="066"' not in _html(district_officer, "/products/")
    assert '<option value="066"' in _html(other_district_officer, "/products/")
    assert '<option value="066"' in _html(province_staff, "/products/")


@pytest.mark.django_db(transaction=True)
def test_asking_for_a_download_leaves_the_figures_cached(province_staff, reference_data):
    version = figures_cache.registry_version()
    download = Download.objects.create(user=province_staff, kind="products", title="x",
                                       filename="x.xlsx")
    downloads.download_build(download.pk)
    assert Download.objects.get().status == Download.Status.DONE
    assert figures_cache.registry_version() == version


def test_with_the_cache_down_the_dashboard_still_answers(province_staff, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    assert 'data-indicator="new_products_3star"' in _html(province_staff)


def test_a_deploy_that_changes_a_template_starts_afresh(settings):
    """A page's cached HTML belongs to the templates that drew it: a release with another
    template (or other code) reads none of it, even before the next registry write."""
    template = Path(settings.BASE_DIR) / "templates" / "targets" / "dashboard.html"
    before = figures_cache.release()
    stat = template.stat()
    try:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        figures_cache.release.cache_clear()
        assert figures_cache.release() != before
    finally:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        figures_cache.release.cache_clear()
    assert figures_cache.release() == before
