"""Deny by default: every URL sends anonymous visitors to the login page, except the public ones."""

import pytest
from django.test import Client

from tests.helpers import external_references, resolvable_urls

PUBLIC = {"login", "healthz", "admin:login"}
# The public catalogue and certificate check (issue 15): open to anyone, by design.
PUBLIC_NAMESPACES = ("catalogue:",)
# The API answers anonymous callers itself (401/403 in JSON), it does not redirect them.
API_PREFIX = "/api/"


def _all_urls():
    urls = list(resolvable_urls())
    assert len(urls) > 20, "the URL walk should find the project's patterns"
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), _all_urls())
def test_anonymous_is_sent_to_login(path, name):
    response = Client().get(path)
    if name in PUBLIC:
        assert response.status_code in (200, 503)
        return
    if (name or "").startswith(PUBLIC_NAMESPACES):
        assert response.status_code in (200, 404), f"{path} ({name})"
        return
    if path.startswith(API_PREFIX):
        assert response.status_code in (401, 403, 404), f"{path} ({name})"
        return
    assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
    assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
    assert "next=" in response["Location"]


@pytest.mark.django_db
def test_anonymous_post_is_sent_to_login_too():
    response = Client().post("/accounts/password/", {"old_password": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


@pytest.mark.django_db
def test_public_pages_need_no_login():
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("persona", ["province_staff", "district_officer", "leader", "admin_user"])
def test_pages_reference_no_other_host(request, persona):
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    checked = 0
    for path, name in resolvable_urls():
        if "1" in path.split("/") or "x" in path.split("/") or name in ("logout",):
            continue  # pages about one record are checked in their apps' tests
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert external_references(html) == [], f"{path} loads from another host"
        checked += 1
    assert checked >= 3


def test_login_page_references_no_other_host(db):
    html = Client().get("/accounts/login/").content.decode()
    assert external_references(html) == []
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html


def test_external_reference_detector_catches_a_cdn():
    html = '<link href="https://cdn.jsdelivr.net/x.css"><script src="//unpkg.com/y.js"></script>'
    assert len(external_references(html)) == 2
