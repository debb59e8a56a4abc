"""OpenAPI at /api/schema/ and its docs, served from the portal's own files under its CSP."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_for_signed_in_users(province_staff):
    assert Client().get("/api/schema/").status_code in (401, 403)
    client = Client()
    client.force_login(province_staff)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/products/" in schema.json()["paths"]
    html = client.get("/api/schema/docs/").content.decode()
    # No inline script or style (the CSP allows none), nothing from another host.
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert re.findall(r'src="([^"]+)"', html)
    assert all(src.startswith("/") for src in re.findall(r'(?:src|href)="([^"]+)"', html))
