"""The browser policy: a Content-Security-Policy on every page, no inline script in any
template, and pages behind the login never kept in a shared computer's cache."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:])
            for part in header.split(";") if part.strip()}


def test_the_login_page_carries_the_policy(reference_data):
    policy = directives(Client().get("/accounts/login/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in " ".join(policy.values())


@pytest.mark.parametrize("path", ["/dashboard/?year=2024", "/products/", "/reports/",
                                  "/targets/cycle/?year=2024"])
def test_a_logged_in_page_carries_the_policy_and_is_not_stored(province_staff, path):
    client = Client()
    client.force_login(province_staff)
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response)["default-src"] == "'self'"
    cache = response["Cache-Control"]
    assert "no-store" in cache
    assert "private" in cache


def test_a_download_behind_the_login_is_not_stored_either(province_staff):
    client = Client()
    client.force_login(province_staff)
    response = client.get("/products/export.xlsx")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_no_template_has_an_inline_script_handler_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match[0]}")
        for match in re.finditer(r"\son[a-z]+\s*=|\sstyle\s*=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match[0].strip()}")
    assert offenders == []
