"""Too many requests: a 429 that says, in Vietnamese, when to try again."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}}


def test_user_over_the_rate_gets_a_vietnamese_429(settings, province_staff):
    _rates(settings, user="3/minute")
    client = token_client(province_staff)
    for _ in range(3):
        assert client.get("/api/v1/products/").status_code == 200
    response = client.get("/api/v1/products/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Bạn đã gửi quá nhiều yêu cầu")
    assert "giây" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_anonymous_over_the_rate_gets_429(settings):
    _rates(settings, anon="2/minute")
    client = APIClient()
    assert [client.get("/api/v1/products/").status_code for _ in range(3)] == [401, 401, 429]


def test_token_requests_are_throttled(settings, district_officer):
    _rates(settings, token_create="2/minute")
    client = APIClient()
    body = {"username": "x", "password": "y"}
    codes = [client.post("/api/v1/auth/token/", body, format="json").status_code
             for _ in range(3)]
    assert codes == [400, 400, 429]
