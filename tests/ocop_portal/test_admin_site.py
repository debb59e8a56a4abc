"""The Django admin is the back office of province staff and administrators only."""

import pytest
from django.contrib import admin
from django.test import Client

MODELS = list(admin.site._registry)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_province_staff_opens_every_programme_changelist(province_staff, admin_user, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    client = Client()
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    client.force_login(province_staff)
    expected = 200 if model._meta.app_label != "django_celery_beat" else 403
    if model._meta.app_label in ("axes", "auth"):
        expected = 403
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_officers_and_leaders_never_enter_the_admin(request, persona):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_province_staff_cannot_change_users(province_staff, district_officer):
    client = Client()
    client.force_login(province_staff)
    response = client.post(f"/admin/ocop_portal/user/{district_officer.pk}/change/",
                           {"username": district_officer.username, "role": "admin"})
    assert response.status_code == 403
    district_officer.refresh_from_db()
    assert district_officer.role == "district_officer"
