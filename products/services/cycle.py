"""The annual OCOP cycle: registering a product, moving it on from stage to stage,
withdrawing it, and closing its participation with the cycle's evaluation."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ocop_portal.archive import require_in_use
from ocop_portal.domain import (
    RECOGNITION_MIN_STARS,
    refuse_future,
)
from ocop_portal.history import record_author
from ocop_portal.models import User
from ocop_portal.permissions import require_edit_district
from products.models import (
    OPEN_STAGES,
    STAGE_DATE_FIELDS,
    STAGE_ORDER,
    CycleOutcome,
    CycleParticipation,
    CycleStage,
    EvaluationKind,
    Product,
)
from products.services.history import HistoryChanges, history_write, participation_derive


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


def participation_sync(product: Product, cycle_year: int, *, user=None) -> None:
    """Close the product's participation in `cycle_year` with that cycle's latest evaluation
    (recognised from 3 stars, else not recognised), or reopen it at its last stage when the
    evaluation that closed it is gone. A withdrawal stands unless an evaluation came after."""
    participations = list(product.participations.all())
    participation = next((p for p in participations if p.cycle_year == cycle_year), None)
    if participation is None:
        return
    changes = HistoryChanges()
    if participation_derive(participation,
                             list(product.evaluations.filter(cycle_year=cycle_year)
                                  .order_by("pk")), participations, changes):
        changes.participations.append(participation)
    history_write(product, changes, user)
