"""Evaluations and the certificates they grant: recording, correcting, deleting, revoking,
and the daily check of expiring certificates."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ocop_portal import review
from ocop_portal.archive import require_in_use
from ocop_portal.domain import (
    EXPIRY_NOTICE_DAYS,
    PART_MAXIMA,
    refuse_future,
)
from ocop_portal.history import record_author
from ocop_portal.models import ReviewState, User
from ocop_portal.numbers import number_text
from ocop_portal.permissions import require_edit_district
from ocop_portal.text import clean_text
from products import rules
from products.models import (
    Certificate,
    CertificateStatus,
    Evaluation,
    ExpiryNotice,
    Product,
)
from products.services.history import product_refresh_history


@dataclass
class EvaluationOutcome:
    evaluation: Evaluation
    certificate: Certificate | None
    warnings: list[str] = field(default_factory=list)


def _validated_scores(*, stars, total_score, score_a, score_b, score_c,
                      criteria_version: str) -> tuple[int, Decimal]:
    """Check each part against its maximum under the criteria version, then the parts, the total
    and the stars against each other; return (stars, total)."""
    errors = {}
    # An unknown version is left to the model's choices, which name the field.
    if criteria_version in PART_MAXIMA:
        parts_given = {"a": score_a, "b": score_b, "c": score_c}
        for part, message in rules.part_errors(criteria_version, parts_given).items():
            errors[f"score_{part}"] = message
    parts = [p for p in (score_a, score_b, score_c) if p is not None]
    if parts and len(parts) < 3:
        errors.setdefault("score_a", "Nhập đủ điểm cả ba phần A, B, C, hoặc để trống cả ba.")
    elif parts:
        parts_total = sum(Decimal(str(p)) for p in parts)
        if total_score is None:
            total_score = parts_total
        elif abs(Decimal(str(total_score)) - parts_total) > Decimal("0.01"):
            errors["total_score"] = (
                f"Tổng điểm {number_text(total_score, 2)} không bằng tổng ba phần A + B + C = "
                f"{number_text(parts_total, 2)}."
            )
    if total_score is not None:
        total_score = Decimal(str(total_score))
        if total_score < 0 or total_score > 100:
            errors["total_score"] = "Tổng điểm phải từ 0 đến 100."
        else:
            band_stars = rules.stars_for_score(total_score)
            if stars is None:
                stars = band_stars
            elif stars != band_stars:
                errors["stars"] = (
                    f"{total_score} điểm tương ứng {band_stars} sao, không phải {stars} sao "
                    f"({stars} sao cần {rules.BAND_LABELS.get(stars, 'điểm hợp lệ')})."
                )
    if stars is None and "total_score" not in errors:
        errors["stars"] = "Nhập hạng sao hoặc tổng điểm."
    elif stars is not None and not 1 <= stars <= 5:
        errors["stars"] = "Hạng sao phải từ 1 đến 5."
    if errors:
        raise ValidationError(errors)
    return stars, total_score


def evaluation_build(*, product: Product, user, cycle_year: int, level: str,
                     stars: int | None = None, total_score=None, score_a=None, score_b=None,
                     score_c=None, decision_number: str = "",
                     decision_date: dt.date | None = None, decision_authority: str = "",
                     criteria_version: str = "", certificate_number: str = "",
                     note: str = "") -> tuple[Evaluation, Certificate | None]:
    """A new evaluation and the certificate it grants, unsaved, with every rule of
    evaluation_record that needs no database checked (the import records thousands at once)."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    # The parts' maxima depend on the criteria version: it is settled before the scores.
    criteria_version = rules.evaluation_criteria_version(
        criteria_version, decision_date=decision_date, cycle_year=cycle_year)
    stars, total_score = _validated_scores(stars=stars, total_score=total_score,
                                           score_a=score_a, score_b=score_b, score_c=score_c,
                                           criteria_version=criteria_version)
    decision_number = clean_text(decision_number)
    _check_decision(stars=stars, decision_number=decision_number, decision_date=decision_date)
    evaluation = Evaluation(
        product=product, cycle_year=cycle_year, level=level, stars=stars,
        total_score=total_score, score_a=score_a, score_b=score_b, score_c=score_c,
        decision_number=decision_number, decision_date=decision_date,
        decision_authority=clean_text(decision_authority),
        criteria_version=criteria_version,
        note=note, created_by=user if getattr(user, "pk", None) else None,
    )
    # A district officer's evaluation (and its certificate) awaits the province's review.
    evaluation.review_state = review.entry_state(user)
    certificate = None
    if rules.grants_certificate(stars) and decision_date is not None:  # checked above
        certificate = Certificate(
            evaluation=evaluation, product=product, number=clean_text(certificate_number),
            valid_from=decision_date, valid_to=rules.certificate_valid_to(decision_date),
            review_state=evaluation.review_state)
    return evaluation, certificate


def evaluation_warnings(evaluation: Evaluation) -> list[str]:
    """What is worth telling about a recorded evaluation without refusing it."""
    warning = rules.level_warning(evaluation.stars, evaluation.level,
                                  evaluation.criteria_version)
    return [warning] if warning else []


@transaction.atomic
def evaluation_record(*, product: Product, user, cycle_year: int, level: str,
                      stars: int | None = None, total_score=None, score_a=None, score_b=None,
                      score_c=None, decision_number: str = "", decision_date: dt.date | None = None,
                      decision_authority: str = "", criteria_version: str = "",
                      certificate_number: str = "", note: str = "",
                      decision_scan=None) -> EvaluationOutcome:
    """Record an evaluation, with the scan of its decision when given; a 3 to 5-star
    recognition grants a certificate valid 36 months and supersedes the product's previous
    one."""
    evaluation, certificate = evaluation_build(
        product=product, user=user, cycle_year=cycle_year, level=level, stars=stars,
        total_score=total_score, score_a=score_a, score_b=score_b, score_c=score_c,
        decision_number=decision_number, decision_date=decision_date,
        decision_authority=decision_authority, criteria_version=criteria_version,
        certificate_number=certificate_number, note=note)
    if decision_scan:
        _check_scan_has_decision(evaluation)
        evaluation.decision_scan = decision_scan
    evaluation.full_clean()
    record_author(evaluation, user).save()
    if certificate is not None:
        record_author(certificate, user).save()
    review.submit_new(evaluation, user=user, kind="evaluation", shown=evaluation_shown(evaluation))
    product_refresh_history(product, user=user)
    if certificate:
        certificate.refresh_from_db()
    return EvaluationOutcome(evaluation=evaluation, certificate=certificate,
                             warnings=evaluation_warnings(evaluation))


def evaluation_shown(evaluation: Evaluation) -> dict[str, str]:
    """An evaluation as the review page shows it."""
    return review.shown(evaluation, ["cycle_year", "level", "stars", "total_score",
                                     "decision_number", "decision_date", "criteria_version"])


def _refuse_confirmed(record, user, what: str) -> None:
    """A district officer does not delete what the province has confirmed: it counts."""
    if review.needs_review(user) and record.is_confirmed:
        raise ValidationError(f"Không xoá được {what} đã được tỉnh xác nhận; nếu nhập nhầm, "
                              "hãy đề nghị Văn phòng Điều phối tỉnh xoá.")


def evaluation_confirmed(evaluation: Evaluation) -> None:
    """Once the province confirms an evaluation: its certificate counts too, and the product's
    certificates are derived again (it may supersede the previous one now)."""
    Certificate.objects.filter(evaluation=evaluation).update(review_state=ReviewState.CONFIRMED)
    product_refresh_history(Product.all_objects.get(pk=evaluation.product_id))


def evaluation_review_state(evaluation: Evaluation, state: str) -> None:
    """Its certificate follows the evaluation's review (returned, sent again)."""
    Certificate.objects.filter(evaluation=evaluation).update(review_state=state)


def evaluation_correction_apply(evaluation: Evaluation, changes: dict, user) -> None:
    """Apply a confirmed correction of an evaluation (ReviewItem.changes)."""
    values = dict(changes)
    day = values.pop("decision_date")
    evaluation_correct(evaluation, user=user,
                       decision_date=dt.date.fromisoformat(day) if day else None, **values)


def certificate_revocation_apply(certificate: Certificate, changes: dict, user) -> None:
    """Apply a confirmed revocation (ReviewItem.changes)."""
    certificate_revoke(certificate, user=user,
                       revoked_on=dt.date.fromisoformat(changes["revoked_on"]),
                       decision=changes["decision"], reason=changes["reason"])


def _check_scan_has_decision(evaluation: Evaluation) -> None:
    if not evaluation.decision_number:
        raise ValidationError({"decision_scan": "Chỉ đính kèm bản chụp quyết định khi đánh giá "
                                                "có số quyết định."})


@transaction.atomic
def evaluation_decision_scan_attach(evaluation: Evaluation, *, user: User,
                                    decision_scan) -> Evaluation:
    """Attach (or replace) the scan of an evaluation's decision."""
    product = evaluation.product
    require_edit_district(user, product.district_id)
    require_in_use(product)
    _check_scan_has_decision(evaluation)
    evaluation.decision_scan = decision_scan
    evaluation.full_clean()
    record_author(evaluation, user).save()
    return evaluation


def _check_decision(*, stars: int, decision_number: str, decision_date: dt.date | None) -> None:
    errors = {}
    if decision_date and decision_date > timezone.localdate():
        errors["decision_date"] = "Ngày quyết định không được sau ngày hôm nay."
    if rules.grants_certificate(stars):
        if not decision_number:
            errors["decision_number"] = "Sản phẩm đạt từ 3 sao phải có số quyết định công nhận."
        if not decision_date:
            errors["decision_date"] = "Sản phẩm đạt từ 3 sao phải có ngày quyết định công nhận."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evaluation_correct(evaluation: Evaluation, *, user: User, cycle_year: int, level: str,
                       decision_number: str, decision_date: dt.date | None,
                       decision_authority: str, criteria_version: str,
                       note: str) -> Evaluation:
    """Correct an evaluation's decision, level or note (scores and stars are not corrected: a
    new evaluation is recorded instead), with the rules of recording one; the certificate
    moves to the corrected decision date and the product's history is derived again."""
    require_edit_district(user, evaluation.product.district_id)
    decision_number = clean_text(decision_number)
    _check_decision(stars=evaluation.stars, decision_number=decision_number,
                    decision_date=decision_date)
    if review.needs_review(user) and evaluation.is_confirmed:
        # A confirmed decision keeps counting as it is until the province confirms the change.
        proposed = Evaluation(pk=evaluation.pk, product=evaluation.product,
                              stars=evaluation.stars, cycle_year=cycle_year, level=level,
                              decision_number=decision_number, decision_date=decision_date,
                              decision_authority=clean_text(decision_authority),
                              criteria_version=criteria_version, note=note)
        review.propose_change(
            evaluation, user=user, kind="evaluation_correction",
            changes={"cycle_year": cycle_year, "level": level,
                     "decision_number": decision_number,
                     "decision_date": review.stored(decision_date),
                     "decision_authority": proposed.decision_authority,
                     "criteria_version": criteria_version, "note": note},
            before=evaluation_shown(evaluation), after=evaluation_shown(proposed))
        return evaluation
    # The scores stay; a change of criteria version must still fit them.
    part_errors = rules.part_errors(criteria_version, {
        "a": evaluation.score_a, "b": evaluation.score_b, "c": evaluation.score_c,
    }) if criteria_version in PART_MAXIMA else {}
    if part_errors:
        raise ValidationError({"criteria_version": list(part_errors.values())})
    evaluation.cycle_year, evaluation.level, evaluation.note = cycle_year, level, note
    evaluation.decision_number, evaluation.decision_date = decision_number, decision_date
    evaluation.decision_authority = clean_text(decision_authority)
    evaluation.criteria_version = criteria_version
    evaluation.full_clean()
    record_author(evaluation, user).save()
    certificate = Certificate.objects.filter(evaluation=evaluation).first()
    if certificate is not None and evaluation.decision_date and (
            certificate.valid_from != evaluation.decision_date):
        certificate.valid_from = evaluation.decision_date
        certificate.valid_to = rules.certificate_valid_to(evaluation.decision_date)
        certificate.full_clean()
        record_author(certificate, user).save()
    product_refresh_history(Product.all_objects.get(pk=evaluation.product_id), user=user)
    review.resubmit_if_returned(evaluation, user=user, kind="evaluation",
                                shown=evaluation_shown(evaluation))
    return evaluation


@transaction.atomic
def evaluation_delete(evaluation: Evaluation, *, user: User) -> None:
    """Delete an evaluation entered by mistake (its certificate with it); the product's
    previous certificate becomes current again."""
    product = evaluation.product
    require_edit_district(user, product.district_id)
    _refuse_confirmed(evaluation, user, "kết quả đánh giá")
    review.withdraw_for(evaluation)
    evaluation.delete()
    product_refresh_history(product, user=user)


@transaction.atomic
def certificate_delete(certificate: Certificate, *, user: User) -> None:
    """Delete a certificate recorded by mistake; the previous one becomes current again."""
    product = certificate.product
    require_edit_district(user, product.district_id)
    _refuse_confirmed(certificate, user, "giấy chứng nhận")
    certificate.delete()
    product_refresh_history(product, user=user)


@transaction.atomic
def certificate_revoke(certificate: Certificate, *, user, revoked_on: dt.date, decision: str,
                       reason: str) -> Certificate:
    """Revoke a certificate from a date, with the decision and the reason."""
    require_edit_district(user, certificate.product.district_id)
    require_in_use(certificate.product)
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError("Giấy chứng nhận này đã bị thu hồi.")
    refuse_future("revoked_on", revoked_on, "Ngày thu hồi")
    if revoked_on < certificate.valid_from:
        raise ValidationError({"revoked_on": "Ngày thu hồi không được trước ngày cấp."})
    if review.needs_review(user) and certificate.is_confirmed:
        # The certificate stays in force, and counts, until the province confirms it revoked.
        review.propose_change(
            certificate, user=user, kind="certificate_revocation",
            changes={"revoked_on": revoked_on.isoformat(), "decision": clean_text(decision),
                     "reason": reason.strip()},
            before={"Trạng thái": certificate.get_status_display()},
            after={"Trạng thái": "Bị thu hồi", "Ngày thu hồi": f"{revoked_on:%d/%m/%Y}",
                   "Quyết định thu hồi": clean_text(decision) or "—",
                   "Lý do": reason.strip() or "—"})
        return certificate
    certificate.status = CertificateStatus.REVOKED
    certificate.ended_on = revoked_on
    certificate.revocation_decision = clean_text(decision)
    certificate.revocation_reason = reason.strip()
    certificate.full_clean()
    record_author(certificate, user).save()
    return certificate


@transaction.atomic
def certificates_mark_expired(today: dt.date | None = None) -> int:
    """Mark as expired the active certificates whose validity has run out. Idempotent."""
    today = today or timezone.localdate()
    expired = Certificate.objects.filter(status=CertificateStatus.ACTIVE, valid_to__lt=today)
    count = 0
    for certificate in expired:
        certificate.status = CertificateStatus.EXPIRED
        certificate.save(update_fields=["status", "updated_at"])
        count += 1
    return count


@dataclass
class DailyCheckOutcome:
    marked_expired: int
    expiring: list[Certificate]
    emailed: bool


def certificates_expiring_within(days: int, today: dt.date | None = None) -> list[Certificate]:
    """Certificates in force today that run out within `days` days, soonest first."""
    today = today or timezone.localdate()
    return list(
        Certificate.objects.with_status(CertificateStatus.ACTIVE, today)
        .filter(valid_to__lte=today + dt.timedelta(days=days), product__archived_at__isnull=True)
        .select_related("product", "product__district", "product__subject", "evaluation")
        .order_by("valid_to", "pk")
    )


def certificates_daily_check(today: dt.date | None = None) -> DailyCheckOutcome:
    """Mark expired certificates and e-mail the province office, once a day, the list of those
    expiring within 30 days. Running it twice on a day marks nothing more and sends no second
    e-mail; a failed e-mail raises, so that the task retries it."""
    today = today or timezone.localdate()
    marked = certificates_mark_expired(today)
    expiring = certificates_expiring_within(EXPIRY_NOTICE_DAYS, today)
    recipients = list(settings.PROVINCE_OFFICE_EMAILS)
    notice, _ = ExpiryNotice.objects.get_or_create(day=today)
    if notice.sent_at or not expiring or not recipients:
        return DailyCheckOutcome(marked, expiring, emailed=False)
    body = render_to_string("products/email/certificates_expiring.txt",
                            {"certificates": expiring, "today": today})
    send_mail(
        subject=(f"[OCOP Bắc Kạn] {len(expiring)} giấy chứng nhận OCOP hết hạn trong "
                 f"{EXPIRY_NOTICE_DAYS} ngày tới"),
        message=body, from_email=None, recipient_list=recipients,
    )
    ExpiryNotice.objects.filter(pk=notice.pk).update(
        sent_at=timezone.now(), certificate_count=len(expiring), recipients=", ".join(recipients))
    return DailyCheckOutcome(marked, expiring, emailed=True)
