"""The Django admin is the back office of province staff and administrators only."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from products.models import Certificate, CertificateStatus
from tests.factories import ProductFactory, recognise

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


def _evaluation_change_data(evaluation, **changes):
    data = {"cycle_year": evaluation.cycle_year, "level": evaluation.level,
            "decision_number": evaluation.decision_number,
            "decision_date": evaluation.decision_date.strftime("%d/%m/%Y"),
            "decision_authority": "", "criteria_version": evaluation.criteria_version,
            "note": ""}
    data.update(changes)
    return data


def test_correcting_a_decision_date_in_the_admin_moves_its_certificate(province_staff):
    product = ProductFactory()
    outcome = recognise(product, 3, dt.date(2024, 6, 15))
    client = Client()
    client.force_login(province_staff)
    response = client.post(f"/admin/products/evaluation/{outcome.evaluation.pk}/change/",
                           _evaluation_change_data(outcome.evaluation,
                                                   decision_date="15/05/2024"))
    assert response.status_code == 302
    certificate = Certificate.objects.get(pk=outcome.certificate.pk)
    assert (certificate.valid_from, certificate.valid_to) == (dt.date(2024, 5, 15),
                                                              dt.date(2027, 5, 15))


def test_deleting_the_latest_recognition_in_the_admin_restores_the_previous_certificate(
        province_staff):
    today = timezone.localdate()
    product = ProductFactory()
    first = recognise(product, 3, today - dt.timedelta(days=400))
    upgrade = recognise(product, 4, today - dt.timedelta(days=30))
    client = Client()
    client.force_login(province_staff)
    response = client.post(f"/admin/products/evaluation/{upgrade.evaluation.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 302
    product.refresh_from_db()
    certificate = Certificate.objects.get(pk=first.certificate.pk)
    assert product.current_certificate_id == certificate.pk
    assert (certificate.status, certificate.superseded_by, certificate.ended_on) == (
        CertificateStatus.ACTIVE, None, None)



def test_deleting_a_certificate_in_the_admin_makes_the_previous_one_current(province_staff):
    today = timezone.localdate()
    product = ProductFactory()
    first = recognise(product, 3, today - dt.timedelta(days=400))
    upgrade = recognise(product, 4, today - dt.timedelta(days=30))
    client = Client()
    client.force_login(province_staff)
    response = client.post(f"/admin/products/certificate/{upgrade.certificate.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.current_certificate_id == first.certificate.pk
    assert Certificate.objects.get(pk=first.certificate.pk).status == CertificateStatus.ACTIVE
