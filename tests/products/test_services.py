import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from products.models import Certificate, CertificateStatus, Evaluation, EvaluationKind
from products.services import (
    certificate_revoke,
    certificates_mark_expired,
    evaluation_record,
    product_refresh_history,
)
from tests.factories import ProductFactory, recognise

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(reference_data):
    return ProductFactory()


def _record(product, user, **kwargs):
    values = {"cycle_year": 2024, "level": "huyen", "decision_number": "12/QĐ-UBND",
              "decision_date": dt.date(2024, 6, 15)}
    values.update(kwargs)
    return evaluation_record(product=product, user=user, **values)


@pytest.mark.parametrize(("score", "stars"), [
    ("29.99", 1), ("30", 2), ("49.99", 2), ("50", 3), ("69.99", 3), ("70", 4), ("89.99", 4),
    ("90", 5), ("100", 5),
])
def test_stars_are_derived_from_the_score_when_not_given(product, province_staff, score, stars):
    outcome = _record(product, province_staff, total_score=Decimal(score))
    assert outcome.evaluation.stars == stars
    assert (outcome.certificate is not None) is (stars >= 3)


@pytest.mark.parametrize(("score", "stars"), [
    ("49.99", 3), ("70", 3), ("69.99", 4), ("90", 4), ("89.99", 5), ("29.99", 2), ("30", 1),
])
def test_a_score_that_contradicts_the_stars_is_refused(product, province_staff, score, stars):
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, total_score=Decimal(score), stars=stars)
    assert "stars" in error.value.message_dict
    assert "sao" in error.value.message_dict["stars"][0]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("score", ["100.01", "-1"])
def test_a_score_outside_the_scale_is_refused(product, province_staff, score):
    with pytest.raises(ValidationError):
        _record(product, province_staff, total_score=Decimal(score))
    assert not Evaluation.objects.exists()


def test_parts_must_add_up_to_the_total(product, province_staff):
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, score_a=Decimal(30), score_b=Decimal(20),
                score_c=Decimal("24.5"), total_score=Decimal(80))
    # Written as the form shows numbers, with the decimal comma.
    assert error.value.message_dict["total_score"] == [
        "Tổng điểm 80,00 không bằng tổng ba phần A + B + C = 74,50."]
    outcome = _record(product, province_staff, score_a=Decimal(30), score_b=Decimal(20),
                      score_c=Decimal(25))
    assert outcome.evaluation.total_score == Decimal(75)
    assert outcome.evaluation.stars == 4


def test_recognition_needs_a_decision(product, province_staff):
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, stars=3, decision_number="", decision_date=None)
    assert set(error.value.message_dict) == {"decision_number", "decision_date"}


def test_two_stars_grant_no_certificate(product, province_staff):
    outcome = _record(product, province_staff, stars=2, decision_number="", decision_date=None)
    assert outcome.certificate is None
    assert not Certificate.objects.exists()
    product.refresh_from_db()
    assert product.current_certificate is None


def test_a_certificate_issued_on_29_02_2024_runs_to_28_02_2027(product, province_staff):
    outcome = _record(product, province_staff, stars=4, level="tinh",
                      decision_date=dt.date(2024, 2, 29))
    certificate = outcome.certificate
    assert certificate.valid_from == dt.date(2024, 2, 29)
    assert certificate.valid_to == dt.date(2027, 2, 28)
    assert certificate.status_on(dt.date(2027, 2, 28)) == CertificateStatus.ACTIVE
    assert certificate.status_on(dt.date(2027, 3, 1)) == CertificateStatus.EXPIRED


def test_level_mismatch_is_a_warning_not_an_error(product, province_staff):
    outcome = _record(product, province_staff, stars=3, level="tinh",
                      decision_date=dt.date(2024, 3, 29))
    assert outcome.evaluation.pk
    assert len(outcome.warnings) == 1
    assert outcome.evaluation.criteria_version == "148/2023"
    historical = _record(product, province_staff, stars=3, level="tinh",
                         decision_number="7/QĐ-UBND", decision_date=dt.date(2021, 12, 29))
    assert historical.evaluation.criteria_version == "1048/2019"
    assert historical.warnings == []


def test_a_new_recognition_supersedes_the_previous_certificate(product):
    first = recognise(product, 3, dt.date(2021, 12, 29)).certificate
    second = recognise(product, 4, dt.date(2024, 6, 15)).certificate
    first.refresh_from_db()
    product.refresh_from_db()
    assert first.status == CertificateStatus.SUPERSEDED
    assert first.superseded_by == second
    assert first.ended_on == dt.date(2024, 6, 15)
    assert second.status == CertificateStatus.ACTIVE
    assert product.current_certificate == second
    kinds = list(product.evaluations.order_by("decision_date").values_list("kind", flat=True))
    assert kinds == [EvaluationKind.NEW, EvaluationKind.UPGRADE]


def test_history_entered_out_of_order_gives_the_same_outcome(product):
    newer = recognise(product, 3, dt.date(2024, 12, 20)).certificate
    older = recognise(product, 3, dt.date(2021, 12, 29)).certificate
    older.refresh_from_db()
    newer.refresh_from_db()
    product.refresh_from_db()
    assert older.status == CertificateStatus.SUPERSEDED
    assert older.superseded_by == newer
    assert newer.status == CertificateStatus.ACTIVE
    assert product.current_certificate == newer
    kinds = dict(product.evaluations.values_list("decision_date", "kind"))
    assert kinds[dt.date(2021, 12, 29)] == EvaluationKind.NEW
    assert kinds[dt.date(2024, 12, 20)] == EvaluationKind.REEVALUATION


def test_status_follows_from_the_dates_even_before_the_daily_check(product):
    certificate = recognise(product, 3, dt.date(2020, 12, 1)).certificate
    assert certificate.valid_to == dt.date(2023, 12, 1)
    assert certificate.status == CertificateStatus.EXPIRED
    assert certificate.status_on(dt.date(2023, 12, 1)) == CertificateStatus.ACTIVE
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.ACTIVE)
    certificate.refresh_from_db()
    assert certificate.current_status == CertificateStatus.EXPIRED
    assert Certificate.objects.with_status(CertificateStatus.EXPIRED).filter(
        pk=certificate.pk).exists()
    assert not Certificate.objects.with_status(CertificateStatus.ACTIVE).exists()


def test_marking_expired_certificates_is_idempotent(product):
    certificate = recognise(product, 3, dt.date(2021, 1, 10)).certificate
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.ACTIVE)
    assert certificates_mark_expired(dt.date(2024, 1, 11)) == 1
    assert certificates_mark_expired(dt.date(2024, 1, 11)) == 0
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED


def test_expiry_day_itself_is_still_valid(product):
    certificate = recognise(product, 3, dt.date(2021, 1, 10)).certificate
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.ACTIVE)
    assert certificates_mark_expired(dt.date(2024, 1, 10)) == 0


def test_revocation_ends_the_certificate_and_survives_a_refresh(product, province_staff):
    certificate = recognise(product, 4, dt.date(2024, 3, 1)).certificate
    certificate_revoke(certificate, user=province_staff, revoked_on=dt.date(2024, 9, 1),
                       decision="99/QĐ-UBND", reason="Vi phạm an toàn thực phẩm")
    product_refresh_history(product)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.ended_on == dt.date(2024, 9, 1)
    assert certificate.effective_end == dt.date(2024, 9, 1)


def test_valid_during_covers_certificates_overlapping_the_year(product):
    recognise(product, 3, dt.date(2021, 12, 29))  # runs to 29/12/2024
    in_2024 = Certificate.objects.valid_during(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    in_2025 = Certificate.objects.valid_during(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert in_2024.count() == 1
    assert in_2025.count() == 0


def test_leader_and_other_district_officer_cannot_record(product, leader,
                                                         other_district_officer):
    for user in (leader, other_district_officer):
        with pytest.raises(PermissionDenied):
            _record(product, user, stars=3)
    assert not Evaluation.objects.exists()


def test_future_decision_date_is_refused(product, province_staff):
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, stars=3, decision_date=dt.date(2099, 1, 1))
    assert "decision_date" in error.value.message_dict
