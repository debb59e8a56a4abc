"""Personal tokens: asked for with a password, stored hashed, revoked on the tokens page."""

import hashlib

import pytest
from django.test import Client
from rest_framework.test import APIClient

from api.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-2024"


def _ask(username, password, **extra):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password,
                                                    **extra}, format="json")


def test_token_for_username_and_password_works_and_is_stored_hashed(district_officer, records):
    response = _ask("can_bo_cho_don", PASSWORD, name="máy báo cáo")
    assert response.status_code == 201
    key = response.json()["token"]
    token = ApiToken.objects.get(user=district_officer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (token.key_hash, token.prefix, token.name)
    assert token.name == "máy báo cáo"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/products/").json()["count"] == 1
    token.refresh_from_db()
    assert token.last_used_at is not None
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.get("/api/v1/products/").status_code == 200


def test_a_form_post_gets_a_token_too(district_officer):
    response = Client().post("/api/v1/auth/token/", {"username": "can_bo_cho_don",
                                                     "password": PASSWORD})
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=district_officer).count() == 1


def test_several_tokens_per_user(district_officer):
    assert _ask("can_bo_cho_don", PASSWORD).status_code == 201
    assert _ask("can_bo_cho_don", PASSWORD).status_code == 201
    assert ApiToken.objects.filter(user=district_officer).count() == 2


def test_wrong_password_is_400_in_vietnamese(district_officer):
    response = _ask("can_bo_cho_don", "sai-mat-khau")
    assert response.status_code == 400
    assert "mật khẩu không đúng" in response.json()["non_field_errors"][0]
    assert not ApiToken.objects.exists()


def test_locked_account_gets_no_token(district_officer):
    for _ in range(5):
        _ask("can_bo_cho_don", "sai-mat-khau")
    response = _ask("can_bo_cho_don", PASSWORD)
    assert response.status_code in (400, 429)
    assert not ApiToken.objects.exists()


def test_unknown_or_broken_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token ocop_khong-ton-tai")
    response = client.get("/api/v1/products/")
    assert response.status_code == 401
    assert "không hợp lệ" in response.json()["detail"]
    client.credentials(HTTP_AUTHORIZATION="Token")
    assert client.get("/api/v1/products/").status_code == 401


def test_tokens_page_lists_creates_and_revokes_own_tokens(district_officer, leader):
    key = _ask("can_bo_cho_don", PASSWORD, name="máy chủ huyện").json()["token"]
    others = _ask("lanh_dao", PASSWORD).json()["token"]
    page = Client()
    page.force_login(district_officer)
    html = page.get("/api/tokens/").content.decode()
    assert "máy chủ huyện" in html
    assert "Thu hồi" in html
    assert key not in html
    assert ApiToken.objects.get(user=leader).prefix not in html
    created = page.post("/api/tokens/", {"name": "thứ hai"}).content.decode()
    assert "data-new-token" in created
    assert ApiToken.objects.filter(user=district_officer).count() == 2

    own = ApiToken.objects.get(user=district_officer, name="máy chủ huyện")
    assert page.post(f"/api/tokens/{own.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(pk=own.pk).exists()
    revoked = APIClient()
    revoked.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert revoked.get("/api/v1/products/").status_code == 401
    # Another user's token is a 404 and stays.
    theirs = ApiToken.objects.get(user=leader)
    assert page.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    still = APIClient()
    still.credentials(HTTP_AUTHORIZATION=f"Token {others}")
    assert still.get("/api/v1/products/").status_code == 200


def test_tokens_page_refuses_anonymous_and_get_revoke(district_officer):
    assert Client().get("/api/tokens/").status_code == 403
    page = Client()
    page.force_login(district_officer)
    assert page.get("/api/tokens/1/revoke/").status_code == 405


def test_user_menu_links_the_tokens_page(district_officer):
    page = Client()
    page.force_login(district_officer)
    assert 'href="/api/tokens/"' in page.get("/products/").content.decode()


def test_token_address_takes_only_post():
    response = APIClient().get("/api/v1/auth/token/")
    assert response.status_code == 403
    assert "chỉ nhận POST" in response.json()["detail"]
