"""Writes of the product registry, with their rules."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ocop_portal.archive import archive, archived_message, require_in_use, restore
from ocop_portal.domain import (
    EXPIRY_NOTICE_DAYS,
    PART_MAXIMA,
    RECOGNITION_MIN_STARS,
    refuse_future,
)
from ocop_portal.figures_cache import registry_changed
from ocop_portal.history import record_author
from ocop_portal.models import Commune, District, User
from ocop_portal.numbers import number_text
from ocop_portal.permissions import require_edit_district
from ocop_portal.text import clean_text, name_key, search_key
from products import rules
from products.models import (
    OPEN_STAGES,
    STAGE_DATE_FIELDS,
    STAGE_ORDER,
    Certificate,
    CertificateStatus,
    CycleOutcome,
    CycleParticipation,
    CycleStage,
    Evaluation,
    EvaluationKind,
    ExpiryNotice,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)
from subjects.models import Subject


def _set_product_keys(product: Product):
    product.name = clean_text(product.name)
    product.name_key = name_key(product.name)
    product.search_text = search_key(product.name, product.subject.name)


def refuse_archived_twin(archived: Product | None) -> None:
    """full_clean checks uniqueness among the products in use; an archived one holds its name
    too, and is restored rather than entered again."""
    if archived is not None:
        raise ValidationError({"name": archived_message("sản phẩm", archived.name)})


def _product_keys(product: Product):
    _set_product_keys(product)
    refuse_archived_twin(Product.all_objects.filter(
        subject_id=product.subject_id, name_key=product.name_key, archived_at__isnull=False,
    ).exclude(pk=product.pk).first())


def product_archive(product: Product, *, user, reason: str | None) -> Product:
    """Archive a product: it leaves the lists and every count, and keeps its history."""
    return archive(product, user=user, reason=reason)


def product_restore(product: Product, *, user) -> Product:
    """Bring a product back; its producer must be in use (restored first)."""
    if product.subject.is_archived:
        raise ValidationError(f"Chủ thể “{product.subject.name}” của sản phẩm đang được lưu "
                              "trữ; hãy khôi phục chủ thể trước.")
    return restore(product, user=user)


def _check_subject_scope(user, subject):
    # The producer must be one the user may work with, so that an officer cannot attach a
    # product to another district's producer by forging the form.
    require_edit_district(user, subject.district_id)
    require_in_use(subject)  # no new product for an archived producer


def product_build(*, user: User, name: str, subject: Subject, group: ProductGroup,
                  district: District, commune: Commune | None = None,
                  first_cycle_year: int | None = None, description: str = "",
                  is_demo: bool = False) -> Product:
    """A new product, unsaved, with the rules of product_create that need no database
    checked: the batch import checks the archived twin and uniqueness against what it loaded."""
    product = Product(name=name, subject=subject, group=group, district=district,
                      commune=commune, first_cycle_year=first_cycle_year,
                      description=description, is_demo=is_demo)
    require_edit_district(user, product.district_id)
    _check_subject_scope(user, product.subject)
    _set_product_keys(product)
    return product


@transaction.atomic
def product_create(*, user: User, name: str, subject: Subject, group: ProductGroup,
                   district: District, commune: Commune | None = None,
                   first_cycle_year: int | None = None, description: str = "",
                   photo: File | None = None, is_demo: bool = False) -> Product:
    """Register a product in a district the user may edit."""
    product = product_build(user=user, name=name, subject=subject, group=group,
                            district=district, commune=commune,
                            first_cycle_year=first_cycle_year, description=description,
                            is_demo=is_demo)
    if photo:
        product.photo = photo
    _product_keys(product)
    product.full_clean()
    record_author(product, user).save()
    return product


@transaction.atomic
def product_update(product: Product, *, user: User, name: str, subject: Subject,
                   group: ProductGroup, district: District, commune: Commune | None,
                   first_cycle_year: int | None, description: str,
                   photo: File | None | Literal[False] = None) -> Product:
    """Change a product; both its old and its new district must be the user's to edit. A photo
    of None keeps the current one, False removes it."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    product.name, product.subject, product.group = name, subject, group
    product.district, product.commune = district, commune
    product.first_cycle_year, product.description = first_cycle_year, description
    if photo is False:
        product.photo = ""
    elif photo is not None:
        product.photo = photo
    require_edit_district(user, product.district_id)
    _check_subject_scope(user, product.subject)
    _product_keys(product)
    product.full_clean()
    record_author(product, user).save()
    return product


def refresh_search_text_for_subject(subject):
    """Products are searched by their producer's name too: keep the folded text in step."""
    for product in subject.products(manager="all_objects").all():  # archived ones too
        text = search_key(product.name, subject.name)
        if product.search_text != text:
            Product.all_objects.filter(pk=product.pk).update(search_text=text)


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
    certificate = None
    if rules.grants_certificate(stars) and decision_date is not None:  # checked above
        certificate = Certificate(
            evaluation=evaluation, product=product, number=clean_text(certificate_number),
            valid_from=decision_date, valid_to=rules.certificate_valid_to(decision_date))
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
                      certificate_number: str = "", note: str = "") -> EvaluationOutcome:
    """Record an evaluation; a 3 to 5-star recognition grants a certificate valid 36 months
    and supersedes the product's previous one."""
    evaluation, certificate = evaluation_build(
        product=product, user=user, cycle_year=cycle_year, level=level, stars=stars,
        total_score=total_score, score_a=score_a, score_b=score_b, score_c=score_c,
        decision_number=decision_number, decision_date=decision_date,
        decision_authority=decision_authority, criteria_version=criteria_version,
        certificate_number=certificate_number, note=note)
    evaluation.full_clean()
    record_author(evaluation, user).save()
    if certificate is not None:
        record_author(certificate, user).save()
    product_refresh_history(product, user=user)
    if certificate:
        certificate.refresh_from_db()
    return EvaluationOutcome(evaluation=evaluation, certificate=certificate,
                             warnings=evaluation_warnings(evaluation))


def _points_to(instance, field_name: str, target) -> bool:
    """Whether `instance`'s foreign key `field_name` is `target` (a record, unsaved or not, or
    None), without reading the related record from the database."""
    field = instance._meta.get_field(field_name)
    if target is None:
        return getattr(instance, field.attname) is None
    if target.pk is not None:
        return getattr(instance, field.attname) == target.pk
    return field.is_cached(instance) and getattr(instance, field_name) is target


def _in_order(records: list, day) -> list:
    """`records` (in the order they were recorded, as their primary keys run) sorted by `day`,
    ties in recorded order: the order of (day, pk) without needing a key."""
    return sorted(records, key=day)


def _evaluation_day(evaluation: Evaluation) -> dt.date:
    return evaluation.decision_date or dt.date(evaluation.cycle_year, 12, 31)


@dataclass
class HistoryChanges:
    """What deriving a product's history changed, set on the records given; the caller writes
    them (one product through the services, thousands at once from the import)."""

    kinds: list[Evaluation] = field(default_factory=list)
    certificates: list[tuple[Certificate, list[str]]] = field(default_factory=list)
    current_certificate: bool = False
    # Participations that lost their evaluation to another cycle's (written without history).
    detached: list[CycleParticipation] = field(default_factory=list)
    participations: list[CycleParticipation] = field(default_factory=list)


def history_derive(product: Product, *, evaluations: list[Evaluation],
                   certificates: list[Certificate], participations: list[CycleParticipation],
                   today: dt.date | None = None) -> HistoryChanges:
    """Derive, from the product's whole history, each evaluation's kind (new, upgrade,
    re-evaluation), which certificate supersedes which, the current certificate, and how each
    cycle participation ended; the records are given in the order they were recorded (the
    participations in their model's order) and changed in memory only.

    Recomputing from scratch makes the outcome independent of the order in which decisions were
    entered (an import can bring an older decision after a newer one)."""
    today = today or timezone.localdate()
    changes = HistoryChanges()
    best_stars = 0
    for evaluation in _in_order(evaluations, _evaluation_day):
        if best_stars < 3:
            kind = EvaluationKind.NEW
        elif evaluation.stars > best_stars:
            kind = EvaluationKind.UPGRADE
        else:
            kind = EvaluationKind.REEVALUATION
        if evaluation.is_recognised:
            best_stars = max(best_stars, evaluation.stars)
        if evaluation.kind != kind:
            evaluation.kind = kind
            changes.kinds.append(evaluation)

    ordered = _in_order(certificates, lambda certificate: certificate.valid_from)
    for index, certificate in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if certificate.status == CertificateStatus.REVOKED:
            continue
        if following is not None:
            values = {"status": CertificateStatus.SUPERSEDED, "superseded_by": following,
                      "ended_on": following.valid_from}
        else:
            status = (CertificateStatus.ACTIVE if certificate.valid_to >= today
                      else CertificateStatus.EXPIRED)
            values = {"status": status, "superseded_by": None, "ended_on": None}
        changed = [k for k, v in values.items() if (
            not _points_to(certificate, k, v) if k == "superseded_by"
            else getattr(certificate, k) != v)]
        if changed:
            for name in changed:
                setattr(certificate, name, values[name])
            changes.certificates.append((certificate, changed))

    current = ordered[-1] if ordered else None
    if not _points_to(product, "current_certificate", current):
        product.current_certificate = current
        changes.current_certificate = True
    for participation in participations:
        of_cycle = [e for e in evaluations if e.cycle_year == participation.cycle_year]
        if _participation_derive(participation, of_cycle, participations, changes):
            changes.participations.append(participation)
    return changes


def _write_history(product: Product, changes: HistoryChanges, user) -> None:
    for evaluation in changes.kinds:
        Evaluation.objects.filter(pk=evaluation.pk).update(kind=evaluation.kind)
        registry_changed()  # an update() sends no post_save
    for certificate, changed in changes.certificates:
        record_author(certificate, user).save(update_fields=[*changed, "updated_at"])
    if changes.current_certificate:
        record_author(product, user).save(update_fields=["current_certificate", "updated_at"])
    for participation in changes.detached:
        CycleParticipation.objects.filter(pk=participation.pk).update(evaluation=None)
    for participation in changes.participations:
        record_author(participation, user).save()


def product_refresh_history(product: Product, today: dt.date | None = None, user=None) -> None:
    """Derive the product's kinds, certificates and cycle outcomes again (history_derive) and
    save what changed."""
    changes = history_derive(
        product, evaluations=list(product.evaluations.order_by("pk")),
        certificates=list(product.certificates.order_by("pk")),
        participations=list(product.participations.all()), today=today)
    _write_history(product, changes, user)


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
    return evaluation


@transaction.atomic
def evaluation_delete(evaluation: Evaluation, *, user: User) -> None:
    """Delete an evaluation entered by mistake (its certificate with it); the product's
    previous certificate becomes current again."""
    product = evaluation.product
    require_edit_district(user, product.district_id)
    evaluation.delete()
    product_refresh_history(product, user=user)


@transaction.atomic
def certificate_delete(certificate: Certificate, *, user: User) -> None:
    """Delete a certificate recorded by mistake; the previous one becomes current again."""
    product = certificate.product
    require_edit_district(user, product.district_id)
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


def quality_certification_build(*, product: Product, user: User, standard: str,
                                issued_on: dt.date, expires_on: dt.date | None = None,
                                standard_detail: str = "", number: str = "",
                                issuer: str = "") -> QualityCertification:
    """A new quality certification, unsaved, with the rules that need no database checked."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    refuse_future("issued_on", issued_on, "Ngày cấp chứng nhận")
    return QualityCertification(
        product=product, standard=standard, standard_detail=standard_detail, number=number,
        issuer=issuer, issued_on=issued_on, expires_on=expires_on)


@transaction.atomic
def quality_certification_add(*, product: Product, user: User, standard: str, issued_on: dt.date,
                              expires_on: dt.date | None = None, standard_detail: str = "",
                              number: str = "", issuer: str = "") -> QualityCertification:
    """Record a quality-management standard certified for a product."""
    certification = quality_certification_build(
        product=product, user=user, standard=standard, issued_on=issued_on,
        expires_on=expires_on, standard_detail=standard_detail, number=number, issuer=issuer)
    certification.full_clean()
    record_author(certification, user).save()
    return certification


def traceability_build(*, product: Product, user: User, system: str, started_on: dt.date,
                       code: str = "", ended_on: dt.date | None = None) -> Traceability:
    """A new traceability record, unsaved, with the rules that need no database checked."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    # The end may be planned ahead (a stamp contract to a date); the start has happened.
    refuse_future("started_on", started_on, "Ngày áp dụng truy xuất nguồn gốc")
    return Traceability(product=product, system=system, code=code, started_on=started_on,
                        ended_on=ended_on)


@transaction.atomic
def traceability_add(*, product: Product, user: User, system: str, started_on: dt.date,
                     code: str = "", ended_on: dt.date | None = None) -> Traceability:
    """Record traceability put in place for a product."""
    record = traceability_build(product=product, user=user, system=system,
                                started_on=started_on, code=code, ended_on=ended_on)
    record.full_clean()
    record_author(record, user).save()
    return record


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


# The annual OCOP cycle ---------------------------------------------------------------------

def _stage_label(stage: str) -> str:
    return CycleStage(stage).label.lower()


def _check_stage_day(participation: CycleParticipation | None, day: dt.date, field: str,
                     what: str) -> None:
    refuse_future(field, day, what)
    if participation is not None and day < participation.last_day:
        raise ValidationError({field: (
            f"{what} không được trước ngày {participation.last_day:%d/%m/%Y} đã ghi cho giai "
            f"đoạn trước.")})


def _kind_for(recognised_before: bool, kind: str | None) -> str:
    """A product recognised before may come for an upgrade or a re-evaluation; one never
    recognised takes part as a new product."""
    if not recognised_before:
        if kind not in (None, "", EvaluationKind.NEW):
            raise ValidationError({"kind": "Sản phẩm chưa từng được công nhận OCOP nên tham gia "
                                           "chu trình như sản phẩm mới."})
        return EvaluationKind.NEW
    if kind == EvaluationKind.NEW:
        raise ValidationError({"kind": "Sản phẩm đã được công nhận OCOP trước đó; chọn nâng hạng "
                                       "hoặc đánh giá lại."})
    return kind or EvaluationKind.REEVALUATION


def recognised_before(evaluations, day: dt.date) -> bool:
    """Whether one of `evaluations` recognised the product by a decision dated before `day`."""
    return any(e.stars >= RECOGNITION_MIN_STARS and e.decision_date and e.decision_date < day
               for e in evaluations)


def participation_build(*, product: Product, user: User, cycle_year: int,
                        registered_on: dt.date, open_elsewhere: CycleParticipation | None,
                        recognised: bool, kind: str | None = None) -> CycleParticipation:
    """A new participation, unsaved, with the rules of participation_register checked against
    what the caller read: the product's open participation of another cycle, and whether it
    was recognised before the registration day."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    _check_stage_day(None, registered_on, "registered_on", "Ngày đăng ký")
    if registered_on.year not in (cycle_year - 1, cycle_year):
        raise ValidationError({"registered_on": (
            f"Ngày đăng ký chu trình {cycle_year} phải trong năm {cycle_year - 1} hoặc "
            f"{cycle_year}.")})
    if open_elsewhere is not None:
        raise ValidationError({"cycle_year": (
            f"Sản phẩm đang tham gia chu trình {open_elsewhere.cycle_year} (giai đoạn "
            f"{_stage_label(open_elsewhere.stage)}); hãy kết thúc chu trình đó trước.")})
    return CycleParticipation(product=product, cycle_year=cycle_year,
                              registered_on=registered_on, kind=_kind_for(recognised, kind))


@transaction.atomic
def participation_register(*, product: Product, user: User, cycle_year: int,
                           registered_on: dt.date, kind: str | None = None,
                           stage: str = CycleStage.REGISTERED,
                           stage_on: dt.date | None = None) -> CycleParticipation:
    """Register a product for the cycle of `cycle_year`, optionally already at a later stage
    (reached on `stage_on`, the registration day by default)."""
    participation = participation_build(
        product=product, user=user, cycle_year=cycle_year, registered_on=registered_on,
        open_elsewhere=product.participations.filter(outcome=CycleOutcome.OPEN).exclude(
            cycle_year=cycle_year).first(),
        recognised=product.evaluations.filter(stars__gte=RECOGNITION_MIN_STARS,
                                              decision_date__lt=registered_on).exists(),
        kind=kind)
    participation.full_clean()
    record_author(participation, user).save()
    if stage != CycleStage.REGISTERED:
        participation_advance(participation, user=user, stage=stage,
                              on=stage_on or registered_on)
    return participation


def participation_move(participation: CycleParticipation, *, user: User, stage: str,
                       on: dt.date) -> None:
    """Move an open participation on to a later stage in memory, with the rules of
    participation_advance that need no database."""
    require_edit_district(user, participation.product.district_id)
    require_in_use(participation.product)
    if not participation.is_open:
        raise ValidationError(f"Chu trình {participation.cycle_year} của sản phẩm đã kết thúc "
                              f"({participation.get_outcome_display().lower()}).")
    if stage == CycleStage.DECISION:
        raise ValidationError({"stage": "Quyết định công nhận được ghi cùng kết quả đánh giá: "
                                        "hãy dùng “Ghi kết quả đánh giá”."})
    if stage not in OPEN_STAGES:
        raise ValidationError({"stage": "Giai đoạn không hợp lệ."})
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(participation.stage):
        raise ValidationError({"stage": (
            f"Sản phẩm đã ở giai đoạn {_stage_label(participation.stage)}; chỉ chuyển sang một "
            "giai đoạn sau.")})
    _check_stage_day(participation, on, "on", "Ngày chuyển giai đoạn")
    participation.stage = stage
    setattr(participation, STAGE_DATE_FIELDS[stage], on)


@transaction.atomic
def participation_advance(participation: CycleParticipation, *, user: User, stage: str,
                          on: dt.date) -> CycleParticipation:
    """Move an open participation on to a later stage, reached on `on`; the decision comes
    with the evaluation, not from here."""
    participation_move(participation, user=user, stage=stage, on=on)
    participation.full_clean()
    record_author(participation, user).save()
    return participation


@transaction.atomic
def participation_withdraw(participation: CycleParticipation, *, user: User, on: dt.date,
                           reason: str) -> CycleParticipation:
    """End an open participation without a decision: the producer withdrew, or the idea or
    the plan was not accepted."""
    require_edit_district(user, participation.product.district_id)
    require_in_use(participation.product)
    if not participation.is_open:
        raise ValidationError(f"Chu trình {participation.cycle_year} của sản phẩm đã kết thúc "
                              f"({participation.get_outcome_display().lower()}).")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Ghi lý do rút khỏi chu trình."})
    _check_stage_day(participation, on, "on", "Ngày rút")
    participation.outcome, participation.ended_on = CycleOutcome.WITHDRAWN, on
    participation.withdrawal_reason = reason
    participation.full_clean()
    record_author(participation, user).save()
    return participation


def _furthest_open_stage(participation: CycleParticipation) -> str:
    return next(stage for stage in reversed(OPEN_STAGES)
                if getattr(participation, STAGE_DATE_FIELDS[stage]))


def _participation_derive(participation: CycleParticipation, evaluations: list[Evaluation],
                          participations: list[CycleParticipation],
                          changes: HistoryChanges) -> bool:
    """Close `participation` with its cycle's latest evaluation (of `evaluations`, the cycle's,
    in recorded order), or reopen it at its last stage when the evaluation that closed it is
    gone; in memory. True when it changed. A withdrawal stands unless an evaluation came after."""
    evaluation = max(enumerate(evaluations), key=lambda pair: (_evaluation_day(pair[1]), pair[0]),
                     default=(None, None))[1]
    if evaluation is not None:
        stages = [getattr(participation, STAGE_DATE_FIELDS[s]) for s in OPEN_STAGES]
        latest = max(day for day in stages if day)
        if evaluation.decision_date and evaluation.decision_date < latest:
            # Dates out of order would leave the product out of every pipeline before today.
            raise ValidationError({"decision_date": (
                f"Ngày quyết định {evaluation.decision_date:%d/%m/%Y} trước ngày "
                f"{latest:%d/%m/%Y} đã ghi cho một giai đoạn của chu trình "
                f"{participation.cycle_year}; hãy sửa ngày các giai đoạn của sản phẩm trước.")})
        day = evaluation.decision_date or max(latest, timezone.localdate())
        values = {
            "stage": CycleStage.DECISION, "decided_on": day, "ended_on": day,
            "outcome": (CycleOutcome.RECOGNISED if evaluation.is_recognised
                        else CycleOutcome.NOT_RECOGNISED),
            "evaluation": evaluation,
        }
    elif participation.outcome in (CycleOutcome.RECOGNISED, CycleOutcome.NOT_RECOGNISED):
        values = {"stage": _furthest_open_stage(participation), "decided_on": None,
                  "ended_on": None, "outcome": CycleOutcome.OPEN, "evaluation": None}
    else:
        return False
    changed = [name for name, value in values.items() if (
        not _points_to(participation, name, value) if name == "evaluation"
        else getattr(participation, name) != value)]
    if "evaluation" in changed and evaluation is not None:
        # The evaluation moved here from another cycle, whose participation reopens in its turn.
        for other in participations:
            if other is not participation and _points_to(other, "evaluation", evaluation):
                other.evaluation = None
                changes.detached.append(other)
    for name in changed:
        setattr(participation, name, values[name])
    return bool(changed)


def participation_sync(product: Product, cycle_year: int, *, user=None) -> None:
    """Close the product's participation in `cycle_year` with that cycle's latest evaluation
    (recognised from 3 stars, else not recognised), or reopen it at its last stage when the
    evaluation that closed it is gone. A withdrawal stands unless an evaluation came after."""
    participations = list(product.participations.all())
    participation = next((p for p in participations if p.cycle_year == cycle_year), None)
    if participation is None:
        return
    changes = HistoryChanges()
    if _participation_derive(participation,
                             list(product.evaluations.filter(cycle_year=cycle_year)
                                  .order_by("pk")), participations, changes):
        changes.participations.append(participation)
    _write_history(product, changes, user)
