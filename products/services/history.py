"""A product's history derived again from all its records: each evaluation's kind, which
certificate supersedes which, the current certificate, how each cycle participation ended."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from ocop_portal.figures_cache import registry_changed
from ocop_portal.history import record_author
from ocop_portal.models import ReviewState
from products.models import (
    OPEN_STAGES,
    STAGE_DATE_FIELDS,
    Certificate,
    CertificateStatus,
    CycleOutcome,
    CycleParticipation,
    CycleStage,
    Evaluation,
    EvaluationKind,
    Product,
)


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

    # Only what the province has confirmed supersedes and is current (ocop_portal.review): a
    # certificate awaiting review stands beside them, in force by its dates alone.
    confirmed = [c for c in certificates if c.review_state == ReviewState.CONFIRMED]
    awaiting = [c for c in certificates if c.review_state != ReviewState.CONFIRMED]
    ordered = _in_order(confirmed, lambda certificate: certificate.valid_from)
    for certificate in awaiting:
        _derive_certificate(certificate, None, today, changes)
    for index, certificate in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        _derive_certificate(certificate, following, today, changes)

    current = ordered[-1] if ordered else None
    if not _points_to(product, "current_certificate", current):
        product.current_certificate = current
        changes.current_certificate = True
    for participation in participations:
        of_cycle = [e for e in evaluations if e.cycle_year == participation.cycle_year]
        if participation_derive(participation, of_cycle, participations, changes):
            changes.participations.append(participation)
    return changes


def _derive_certificate(certificate: Certificate, following: Certificate | None,
                        today: dt.date, changes: HistoryChanges) -> None:
    """A certificate superseded by the `following` one, else active or expired by its dates;
    a revoked one stays revoked. What changed is recorded in `changes`."""
    if certificate.status == CertificateStatus.REVOKED:
        return
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


def history_write(product: Product, changes: HistoryChanges, user) -> None:
    """Save what history_derive changed, as the services do for one product."""
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
    save what changed. The product's row is locked first, so that two writers of one product's
    history (two officers, or an officer and an Excel import) take turns: each derives from
    what the other committed, never from what it read before."""
    Product.all_objects.select_for_update().filter(pk=product.pk).exists()
    changes = history_derive(
        product, evaluations=list(product.evaluations.order_by("pk")),
        certificates=list(product.certificates.order_by("pk")),
        participations=list(product.participations.all()), today=today)
    history_write(product, changes, user)


def _furthest_open_stage(participation: CycleParticipation) -> str:
    return next(stage for stage in reversed(OPEN_STAGES)
                if getattr(participation, STAGE_DATE_FIELDS[stage]))


def participation_derive(participation: CycleParticipation, evaluations: list[Evaluation],
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
