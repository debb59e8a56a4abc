"""A product's way through the annual OCOP cycle: registration, dated stages in order, the end
by a decision (recorded with its evaluation) or a withdrawal, and several cycles over the years."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from products.models import CycleOutcome, CycleParticipation, CycleStage, EvaluationKind
from products.selectors import filter_cycle, participations_on
from products.services import (
    evaluation_correct,
    evaluation_delete,
    participation_advance,
    participation_register,
    participation_withdraw,
)
from tests.factories import ProductFactory, office_user, recognise

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def product(reference_data):
    return ProductFactory()


def register(product, year=2024, day=None, **kwargs):
    return participation_register(product=product, user=office_user(), cycle_year=year,
                                  registered_on=day or D(2024, 2, 1), **kwargs)


def advance(participation, stage, day):
    return participation_advance(participation, user=office_user(), stage=stage, on=day)


def test_stages_are_dated_in_order_and_kept_in_the_history(product):
    participation = register(product)
    advance(participation, CycleStage.BUSINESS_PLAN, D(2024, 4, 10))
    advance(participation, CycleStage.DISTRICT_ROUND, D(2024, 9, 5))
    participation.refresh_from_db()
    assert participation.stage == CycleStage.DISTRICT_ROUND
    assert participation.kind == EvaluationKind.NEW
    assert (participation.registered_on, participation.plan_on,
            participation.district_round_on) == (D(2024, 2, 1), D(2024, 4, 10), D(2024, 9, 5))
    assert participation.province_round_on is None
    assert participation.is_open
    stages = [record.stage for record in participation.history.order_by("history_date")]
    assert stages == [CycleStage.REGISTERED, CycleStage.BUSINESS_PLAN, CycleStage.DISTRICT_ROUND]


def test_a_stage_may_be_skipped_but_never_gone_back_to(product):
    participation = register(product)
    advance(participation, CycleStage.DISTRICT_ROUND, D(2024, 5, 1))  # a re-dossier needs no plan
    with pytest.raises(ValidationError, match="chỉ chuyển sang một giai đoạn sau"):
        advance(participation, CycleStage.BUSINESS_PLAN, D(2024, 6, 1))
    with pytest.raises(ValidationError, match="chỉ chuyển sang một giai đoạn sau"):
        advance(participation, CycleStage.DISTRICT_ROUND, D(2024, 6, 1))


@pytest.mark.parametrize(("day", "message"), [
    (D(2024, 4, 30), "không được trước ngày 01/05/2024"),
    (timezone.localdate() + dt.timedelta(days=1), "không được sau ngày hôm nay"),
])
def test_a_stage_date_before_the_last_one_or_in_the_future_is_refused(product, day, message):
    participation = register(product)
    advance(participation, CycleStage.BUSINESS_PLAN, D(2024, 5, 1))
    with pytest.raises(ValidationError, match=message):
        advance(participation, CycleStage.DISTRICT_ROUND, day)
    participation.refresh_from_db()
    assert participation.stage == CycleStage.BUSINESS_PLAN


def test_the_decision_stage_comes_only_with_an_evaluation(product):
    participation = register(product)
    with pytest.raises(ValidationError, match="Ghi kết quả đánh giá"):
        advance(participation, CycleStage.DECISION, D(2024, 5, 1))


def test_registration_is_dated_in_the_cycle_year_or_the_year_before(product):
    register(product, year=2025, day=D(2024, 11, 20))  # registering late for next year's cycle
    other = ProductFactory()
    with pytest.raises(ValidationError, match="phải trong năm 2023 hoặc 2024"):
        register(other, year=2024, day=D(2022, 12, 1))


def test_a_product_takes_part_once_a_year_and_in_one_open_cycle_at_a_time(product):
    first = register(product, year=2023, day=D(2023, 3, 1))
    with pytest.raises(ValidationError, match="đã đăng ký chu trình OCOP năm này"):
        register(product, year=2023, day=D(2023, 4, 1))
    with pytest.raises(ValidationError, match="đang tham gia chu trình 2023"):
        register(product, year=2024)
    participation_withdraw(first, user=office_user(), on=D(2023, 10, 1),
                           reason="Chủ thể xin rút để hoàn thiện bao bì.")
    second = register(product, year=2024)
    assert list(product.participations.order_by("cycle_year").values_list(
        "cycle_year", "outcome")) == [(2023, CycleOutcome.WITHDRAWN), (2024, CycleOutcome.OPEN)]
    assert second.is_open


def test_a_withdrawal_needs_its_reason_and_ends_the_cycle(product):
    participation = register(product)
    with pytest.raises(ValidationError, match="Ghi lý do"):
        participation_withdraw(participation, user=office_user(), on=D(2024, 3, 1), reason=" ")
    participation_withdraw(participation, user=office_user(), on=D(2024, 3, 1),
                           reason="Ý tưởng không được chấp nhận.")
    participation.refresh_from_db()
    assert (participation.outcome, participation.ended_on) == (CycleOutcome.WITHDRAWN,
                                                               D(2024, 3, 1))
    with pytest.raises(ValidationError, match="đã kết thúc"):
        advance(participation, CycleStage.BUSINESS_PLAN, D(2024, 4, 1))


def test_recording_the_cycle_evaluation_closes_it_and_deleting_it_reopens_it(product):
    participation = register(product)
    advance(participation, CycleStage.DISTRICT_ROUND, D(2024, 9, 1))
    outcome = recognise(product, stars=3, decision_date=D(2024, 10, 15))
    participation.refresh_from_db()
    assert participation.outcome == CycleOutcome.RECOGNISED
    assert participation.stage == CycleStage.DECISION
    assert participation.decided_on == participation.ended_on == D(2024, 10, 15)
    assert participation.evaluation == outcome.evaluation

    evaluation_delete(outcome.evaluation, user=office_user())
    participation.refresh_from_db()
    assert participation.is_open
    assert participation.evaluation is None
    assert participation.stage == CycleStage.DISTRICT_ROUND
    assert participation.decided_on is None


def test_an_evaluation_below_three_stars_ends_it_not_recognised(product):
    participation = register(product)
    recognise(product, stars=2, decision_date=D(2024, 10, 15))
    participation.refresh_from_db()
    assert participation.outcome == CycleOutcome.NOT_RECOGNISED


def test_an_evaluation_of_another_cycle_leaves_it_open(product):
    participation = register(product)
    recognise(product, stars=3, decision_date=D(2023, 12, 1))
    participation.refresh_from_db()
    assert participation.is_open


def test_moving_an_evaluation_to_another_cycle_moves_the_closure(product):
    register(product, year=2023, day=D(2023, 3, 1))
    outcome = recognise(product, stars=3, decision_date=D(2024, 1, 10), cycle_year=2023)
    participation_2023 = product.participations.get(cycle_year=2023)
    assert participation_2023.outcome == CycleOutcome.RECOGNISED
    # The same product may register for 2024 only once 2023 has ended; it did, by the decision.
    participation_2024 = register(product, year=2024, day=D(2024, 1, 5))
    evaluation = outcome.evaluation
    evaluation_correct(evaluation, user=office_user(), cycle_year=2024, level=evaluation.level,
                       decision_number=evaluation.decision_number,
                       decision_date=evaluation.decision_date,
                       decision_authority="", criteria_version=evaluation.criteria_version,
                       note="")
    participation_2023.refresh_from_db()
    participation_2024.refresh_from_db()
    assert participation_2023.is_open
    assert participation_2023.evaluation is None
    assert participation_2024.evaluation == evaluation
    assert participation_2024.outcome == CycleOutcome.RECOGNISED


def test_a_recognised_product_comes_for_an_upgrade_and_a_new_one_as_new(product):
    recognise(product, stars=3, decision_date=D(2022, 12, 1))
    with pytest.raises(ValidationError, match="chọn nâng hạng hoặc đánh giá lại"):
        register(product, kind=EvaluationKind.NEW)
    assert register(product).kind == EvaluationKind.REEVALUATION
    other = ProductFactory()
    with pytest.raises(ValidationError, match="như sản phẩm mới"):
        register(other, kind=EvaluationKind.UPGRADE)


def test_an_officer_registers_only_their_own_districts_products(product, other_district_officer):
    with pytest.raises(PermissionDenied):
        participation_register(product=product, user=other_district_officer, cycle_year=2024,
                               registered_on=D(2024, 2, 1))
    assert not CycleParticipation.objects.exists()


def test_the_position_on_a_day_follows_the_dates(product):
    participation = register(product, day=D(2024, 2, 1))
    advance(participation, CycleStage.BUSINESS_PLAN, D(2024, 4, 10))
    recognise(product, stars=4, decision_date=D(2024, 10, 15))

    def position(day):
        row = participations_on(day).filter(pk=participation.pk).values_list("position",
                                                                           flat=True)
        return row[0] if row else None

    assert position(D(2024, 1, 31)) is None
    assert position(D(2024, 2, 1)) == CycleStage.REGISTERED
    assert position(D(2024, 4, 10)) == CycleStage.BUSINESS_PLAN
    assert position(D(2024, 10, 14)) == CycleStage.BUSINESS_PLAN
    assert position(D(2024, 10, 15)) == CycleOutcome.RECOGNISED
    products = type(product).objects.all()
    assert list(filter_cycle(products, cycle_year=2024, position="phuong_an",
                             day=D(2024, 6, 1))) == [product]
    assert list(filter_cycle(products, cycle_year=2024, position="dang_tham_gia",
                             day=D(2024, 6, 1))) == [product]
    assert not filter_cycle(products, cycle_year=2024, position="dang_tham_gia",
                            day=D(2024, 11, 1)).exists()
    assert not filter_cycle(products, cycle_year=2023, position=None).exists()


def test_a_decision_before_a_recorded_stage_is_refused(product):
    participation = register(product)
    advance(participation, CycleStage.DISTRICT_ROUND, D(2024, 9, 1))
    with pytest.raises(ValidationError, match="trước ngày 01/09/2024 đã ghi cho một giai đoạn"):
        recognise(product, stars=3, decision_date=D(2024, 8, 15))
    participation.refresh_from_db()
    assert participation.is_open
    assert not product.evaluations.exists()
