"""The dashboards' rendered HTML is cached with their figures: never stale after a registry
write, never shared between users the page shows differently, and never a failure when the
cache is down."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.django_db
DASHBOARD = "/dashboard/?year=2024"


def _html(user, url=DASHBOARD) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _recognised(html: str) -> str:
    marker = 'data-indicator="new_products_3star"'
    return html[html.index(marker):html.index(marker) + 2500]


def test_a_write_shows_at_once(province_staff, cho_don, django_assert_max_num_queries):
    before = _html(province_staff)
    client = Client()
    client.force_login(province_staff)
    with django_assert_max_num_queries(6):  # served from the cache: session, user, little else
        again = client.get(DASHBOARD).content.decode()
    assert _recognised(again) == _recognised(before)
    recognise(ProductFactory(subject=SubjectFactory(district=cho_don)), 4, dt.date(2024, 6, 1))
    after = _html(province_staff)
    assert _recognised(after) != _recognised(before)
    assert 'data-actual="1"' in _recognised(after)
    assert 'data-actual="0"' in _recognised(before)


def test_each_user_sees_the_page_drawn_for_them(province_staff, district_officer, leader):
    assert "Huyện của tôi" not in _html(province_staff)
    assert "Huyện của tôi: Chợ Đồn" in _html(district_officer)
    assert "Huyện của tôi" not in _html(leader)


def test_with_the_cache_down_the_dashboard_still_answers(province_staff, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    assert 'data-indicator="new_products_3star"' in _html(province_staff)
