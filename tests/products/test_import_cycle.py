"""The import's columns added after template v1: "Năm chu trình" and "Giai đoạn" register a product
in its OCOP cycle or move it on (dated the import day), a decision row ends the cycle; "Điểm phần
A/B/C" are checked against the maxima of the criteria in force on the decision date. A v1
workbook, without any of these columns, imports as before."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from products.imports import run_import
from products.imports.report import Action
from products.models import (
    Certificate,
    CriteriaVersion,
    CycleOutcome,
    CycleParticipation,
    CycleStage,
    Evaluation,
    EvaluationKind,
    ImportBatch,
    Product,
    QualityCertification,
    Traceability,
)
from products.services import participation_advance, participation_register
from subjects.models import Subject
from tests.products.import_workbooks import HEADERS, workbook_bytes
from tests.products.import_workbooks import row as template_row

pytestmark = pytest.mark.django_db

# The fifteen columns of template v1 (DESIGN.md §6), as the province's older workbooks have them.
V1_HEADERS = [
    "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Mã số thuế/ĐKKD", "Huyện/Thành phố",
    "Xã/Phường/Thị trấn", "Nhóm sản phẩm", "Số sao", "Điểm", "Cấp công nhận", "Số quyết định",
    "Ngày quyết định", "Năm tham gia", "Truy xuất nguồn gốc", "Tiêu chuẩn chất lượng",
]

REGISTRY = (Subject, Product, Evaluation, Certificate, CycleParticipation, QualityCertification,
            Traceability, ImportBatch)

PLAN = "Phương án sản xuất kinh doanh"
PROVINCE_ROUND = "Đánh giá cấp tỉnh"


def registry_state():
    """How many rows every registry table and every history table holds."""
    counts = {model.__name__: model.objects.count() for model in REGISTRY}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            counts[model.__name__] = model.objects.count()
    return counts


def run(rows, user, headers=None):
    return run_import(name="chu-trinh.xlsx", content=workbook_bytes(rows, headers), user=user,
                      dry_run=False)


def messages(report):
    return [str(issue) for issue in report.errors]


def row(**changes) -> dict:
    """The template's row in this year's cycle, so in xã Nam Cường of Thái Nguyên: Chợ Đồn's
    communes of 2020-2025 ceased on 01/07/2025."""
    return template_row(**{"commune": "Nam Cường", **changes})


def candidate(**changes) -> dict:
    """The template's product as a row not recognised yet: no Số sao, no decision."""
    return row(stars=None, score=None, level=None, decision_number=None, decision_date=None,
               traceability=None, standards=None, **changes)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def year(today):
    return today.year


# Registering and moving on ----------------------------------------------------------------------

def test_a_row_without_stars_registers_the_product_at_its_stage_on_the_import_day(
        province_staff, today, year):
    report = run([candidate(cycle_year=year, stage=PLAN)], province_staff)

    assert report.ok, messages(report)
    assert report.applied
    participation = CycleParticipation.objects.get()
    assert participation.product == Product.objects.get(name="Trà Shan tuyết Bằng Phúc")
    assert (participation.cycle_year, participation.stage, participation.kind) == (
        year, CycleStage.BUSINESS_PLAN, EvaluationKind.NEW)
    assert (participation.registered_on, participation.plan_on) == (today, today)
    assert participation.district_round_on is None
    assert participation.outcome == CycleOutcome.OPEN
    assert participation.ended_on is None
    assert not Evaluation.objects.exists()
    assert report.created["participations"] == 1
    assert report.rows[0].action == Action.CREATE
    assert (f"Đăng ký chu trình {year}, giai đoạn phương án sản xuất kinh doanh (ghi ngày nhập "
            f"{today:%d/%m/%Y})") in report.rows[0].changes


def test_reimporting_the_registration_changes_nothing(province_staff, year):
    rows = [candidate(cycle_year=year, stage=PLAN)]
    assert run(rows, province_staff).ok
    before = registry_state()

    again = run(rows, province_staff)

    assert again.ok, messages(again)
    assert again.applied
    assert [r.action for r in again.rows] == [Action.UNCHANGED]
    assert again.rows[0].changes == []
    assert again.warnings == []
    assert all(count == 0 for count in again.created.values())
    assert registry_state() == before
    participation = CycleParticipation.objects.get()
    assert participation.stage == CycleStage.BUSINESS_PLAN
    assert participation.history.count() == 2  # registered, then at the plan


def test_a_later_file_moves_the_product_on_and_an_earlier_stage_only_warns(
        province_staff, today, year):
    run([candidate(cycle_year=year, stage=PLAN)], province_staff)

    moved = run([candidate(cycle_year=year, stage=PROVINCE_ROUND)], province_staff)

    assert moved.ok, messages(moved)
    assert moved.rows[0].action == Action.UPDATE
    assert moved.created["participations"] == 0
    assert (f"Chuyển sang giai đoạn đánh giá cấp tỉnh của chu trình {year} (ghi ngày nhập "
            f"{today:%d/%m/%Y})") in moved.rows[0].changes
    participation = CycleParticipation.objects.get()
    assert participation.stage == CycleStage.PROVINCE_ROUND
    assert (participation.plan_on, participation.district_round_on,
            participation.province_round_on) == (today, None, today)
    before = registry_state()

    back = run([candidate(cycle_year=year, stage=PLAN)], province_staff)

    assert back.ok, messages(back)
    assert back.rows[0].action == Action.UNCHANGED
    assert [str(w) for w in back.warnings] == [
        f"Dòng 2, cột “Giai đoạn”: sản phẩm đã ở giai đoạn đánh giá cấp tỉnh của chu trình "
        f"{year}; giữ nguyên."]
    assert registry_state() == before
    participation.refresh_from_db()
    assert participation.stage == CycleStage.PROVINCE_ROUND


# A decision ends the cycle -----------------------------------------------------------------------

@pytest.mark.parametrize("stage", [None, "Quyết định công nhận"], ids=["blank", "decision"])
def test_a_decision_row_closes_the_open_participation_of_its_cycle(province_staff, today, year,
                                                                   stage):
    run([candidate(cycle_year=year, stage=PROVINCE_ROUND)], province_staff)

    report = run([row(stars=4, score=75, level="Tỉnh", decision_number="300/QĐ-UBND",
                      decision_date=f"{today:%d/%m/%Y}", cycle_year=year, stage=stage)],
                 province_staff)

    assert report.ok, messages(report)
    evaluation = Evaluation.objects.get()
    assert (evaluation.cycle_year, evaluation.stars) == (year, 4)
    participation = CycleParticipation.objects.get()
    assert participation.outcome == CycleOutcome.RECOGNISED
    assert participation.evaluation == evaluation
    assert participation.stage == CycleStage.DECISION
    assert (participation.decided_on, participation.ended_on) == (today, today)
    assert participation.province_round_on == today
    assert report.created["participations"] == 0
    assert f"Kết thúc chu trình {year}: được công nhận" in report.rows[0].changes


def test_the_evaluation_belongs_to_the_rows_cycle_year_not_the_decisions(province_staff, today,
                                                                        year):
    # Last year's cycle, decided early this year: the cycle is the row's, not the decision's.
    run([candidate()], province_staff)
    product = Product.objects.get()
    participation = participation_register(
        product=product, user=province_staff, cycle_year=year - 1,
        registered_on=dt.date(year - 1, 3, 1))
    participation_advance(participation, user=province_staff, stage=CycleStage.PROVINCE_ROUND,
                          on=dt.date(year - 1, 10, 20))

    report = run([row(stars=3, score=60, decision_number="12/QĐ-UBND",
                      decision_date=f"{today:%d/%m/%Y}", cycle_year=year - 1)], province_staff)

    assert report.ok, messages(report)
    evaluation = Evaluation.objects.get()
    assert evaluation.cycle_year == year - 1
    assert evaluation.decision_date == today
    participation.refresh_from_db()
    assert (participation.outcome, participation.stage) == (CycleOutcome.RECOGNISED,
                                                            CycleStage.DECISION)
    assert participation.evaluation == evaluation
    assert participation.decided_on == today


def test_a_stage_row_for_a_closed_cycle_warns_and_keeps_it(province_staff, today, year):
    run([candidate(cycle_year=year, stage=PROVINCE_ROUND)], province_staff)
    run([row(stars=4, score=75, level="Tỉnh", decision_number="300/QĐ-UBND",
             decision_date=f"{today:%d/%m/%Y}", cycle_year=year)], province_staff)
    before = registry_state()

    report = run([candidate(cycle_year=year, stage=PROVINCE_ROUND)], province_staff)

    assert report.ok, messages(report)
    assert report.rows[0].action == Action.UNCHANGED
    assert [str(w) for w in report.warnings] == [
        f"Dòng 2, cột “Giai đoạn”: chu trình {year} của sản phẩm đã kết thúc (được công nhận); "
        "giữ nguyên."]
    assert registry_state() == before
    assert CycleParticipation.objects.get().outcome == CycleOutcome.RECOGNISED


def test_a_row_for_a_new_cycle_while_another_is_open_is_refused(province_staff, year):
    run([candidate()], province_staff)
    participation_register(product=Product.objects.get(), user=province_staff,
                           cycle_year=year - 1, registered_on=dt.date(year - 1, 3, 1))
    before = registry_state()

    report = run([candidate(cycle_year=year, stage=PLAN)], province_staff)

    assert messages(report) == [
        f"Dòng 2, cột “Năm chu trình”: Sản phẩm đang tham gia chu trình {year - 1} (giai đoạn "
        "đăng ký); hãy kết thúc chu trình đó trước."]
    assert registry_state() == before


def test_a_decision_never_closes_a_participation_before_its_recorded_stages(province_staff,
                                                                            today, year):
    # The registration is dated the import day, the decision the first of January.
    before = registry_state()

    report = run([candidate(cycle_year=year, stage=PROVINCE_ROUND),
                  row(cycle_year=year, decision_date=f"01/01/{year}")], province_staff)

    # Refusing the row, or recording the decision in order, are both right; dates out of order
    # are not: the pipeline of any day before the import would not count the product at all.
    if not report.ok:
        assert registry_state() == before
    for participation in CycleParticipation.objects.all():
        days = [day for _, day in participation.stage_dates() if day]
        assert days == sorted(days), (messages(report), participation.stage_dates())
        assert participation.ended_on >= participation.registered_on


def test_a_decision_row_without_a_cycle_year_belongs_to_the_decisions_year(province_staff):
    report = run([row()], province_staff)

    assert report.ok, messages(report)
    assert Evaluation.objects.get().cycle_year == 2024
    assert not CycleParticipation.objects.exists()


# Rows refused, with nothing saved ---------------------------------------------------------------

STAGE_LIST = ("Đăng ký; Phương án sản xuất kinh doanh; Đánh giá cấp huyện; Đánh giá cấp tỉnh; "
              "Đánh giá cấp trung ương; Quyết định công nhận.")

BAD_ROWS = [
    ("stage-without-cycle-year", candidate(stage=PLAN),
     "Dòng 2, cột “Năm chu trình”: bắt buộc khi có Giai đoạn: ghi năm của chu trình OCOP, ví dụ "
     "2024."),
    ("unknown-stage", candidate(cycle_year=2024, stage="Thẩm định hồ sơ"),
     "Dòng 2, cột “Giai đoạn”: “Thẩm định hồ sơ” không phải giai đoạn của chu trình OCOP; chỉ "
     f"nhận: {STAGE_LIST}"),
    ("decision-stage-without-stars", candidate(cycle_year=2024, stage="Quyết định công nhận"),
     "Dòng 2, cột “Giai đoạn”: “Quyết định công nhận” chỉ ghi cùng Số sao, Số quyết định và Ngày "
     "quyết định của quyết định đó."),
    ("stars-at-a-council-stage", row(cycle_year=2024, stage=PROVINCE_ROUND),
     "Dòng 2, cột “Giai đoạn”: dòng có Số sao (một quyết định công nhận) nhưng Giai đoạn ghi "
     "“Đánh giá cấp tỉnh”; để trống hoặc ghi “Quyết định công nhận”."),
    ("decision-two-years-after-the-cycle", row(cycle_year=2022),
     "Dòng 2, cột “Năm chu trình”: quyết định ngày 15/06/2024 không thuộc chu trình năm 2022 "
     "(quyết định của chu trình phải trong năm 2022 hoặc đầu năm 2023)."),
    ("decision-before-the-cycle", row(cycle_year=2025),
     "Dòng 2, cột “Năm chu trình”: quyết định ngày 15/06/2024 không thuộc chu trình năm 2025"),
]


@pytest.mark.parametrize(("values", "expected"), [case[1:] for case in BAD_ROWS],
                         ids=[case[0] for case in BAD_ROWS])
def test_a_bad_cycle_row_is_refused_with_its_message_and_nothing_is_saved(province_staff, values,
                                                                          expected):
    before = registry_state()

    report = run([values], province_staff)

    assert not report.ok
    assert not report.applied
    assert len(report.errors) == 1, messages(report)
    assert messages(report)[0].startswith(expected), messages(report)
    assert registry_state() == before


def test_an_unknown_stage_is_refused_naming_every_stage(province_staff):
    report = run([candidate(cycle_year=2024, stage="Chờ")], province_staff)

    message = messages(report)[0]
    assert all(f"{label}" in message for label in CycleStage.labels)


def test_a_bad_cycle_row_among_good_ones_saves_nothing(province_staff, year):
    before = registry_state()

    report = run([candidate(cycle_year=year, stage=PLAN),
                  candidate(product_name="Chè xanh Bằng Phúc", cycle_year=year,
                            stage="Quyết định công nhận")], province_staff)

    assert [(e.row, e.column) for e in report.errors] == [(3, "Giai đoạn")]
    assert not report.applied
    assert registry_state() == before


# Template v1 -------------------------------------------------------------------------------------

def test_the_template_starts_with_the_v1_columns():
    assert HEADERS[:15] == V1_HEADERS
    assert HEADERS[15:] == ["Năm chu trình", "Giai đoạn", "Điểm phần A", "Điểm phần B",
                            "Điểm phần C"]


def test_a_v1_workbook_imports_as_before(province_staff):
    report = run([row()], province_staff, headers=V1_HEADERS)

    assert report.ok, messages(report)
    assert report.warnings == []
    assert [r.action for r in report.rows] == [Action.CREATE]
    product = Product.objects.get()
    evaluation = product.evaluations.get()
    assert (evaluation.stars, evaluation.total_score, evaluation.cycle_year,
            evaluation.decision_number) == (3, Decimal("62.50"), 2024, "101/QĐ-UBND")
    assert (evaluation.score_a, evaluation.score_b, evaluation.score_c) == (None, None, None)
    assert evaluation.criteria_version == CriteriaVersion.QD_148_2023
    assert product.current_certificate.valid_to == dt.date(2027, 6, 15)
    assert not CycleParticipation.objects.exists()
    assert report.created["participations"] == 0


def test_a_v1_workbook_and_the_new_template_with_blank_new_columns_do_the_same(province_staff):
    v1 = run_import(name="v1.xlsx", content=workbook_bytes([row()], V1_HEADERS),
                    user=province_staff, dry_run=True)
    current = run_import(name="moi.xlsx", content=workbook_bytes([row()]), user=province_staff,
                         dry_run=True)

    assert v1.ok
    assert current.ok
    assert [(r.action, r.changes) for r in v1.rows] == [(r.action, r.changes)
                                                        for r in current.rows]
    assert v1.created == current.created


# Part maxima by criteria version, at their edges -------------------------------------------------

ACCEPTED_PARTS = [
    # (decision date, stars, A, B, C, criteria version)
    ("24/02/2023", 4, 30, 20, 35, CriteriaVersion.QD_148_2023),  # C at its 148 maximum, day one
    ("15/06/2024", 4, 30, 20, 35, CriteriaVersion.QD_148_2023),
    ("15/06/2024", 4, 40, 20, 20, CriteriaVersion.QD_148_2023),  # A at its 148 maximum
    ("23/02/2023", 3, 35, 20, 10, CriteriaVersion.QD_1048_2019),  # A at its 1048 maximum
    ("10/01/2022", 4, 20, 20, 40, CriteriaVersion.QD_1048_2019),  # C at its 1048 maximum
    ("10/01/2022", 4, 30, 25, 25, CriteriaVersion.QD_1048_2019),  # B at its maximum
]


@pytest.mark.parametrize(("decision_date", "stars", "a", "b", "c", "version"), ACCEPTED_PARTS)
def test_parts_at_their_maximum_are_accepted_and_give_the_total(province_staff, decision_date,
                                                                stars, a, b, c, version):
    report = run([row(stars=stars, score=None, level=None, decision_date=decision_date,
                      score_a=a, score_b=b, score_c=c)], province_staff)

    assert report.ok, messages(report)
    evaluation = Evaluation.objects.get()
    assert evaluation.criteria_version == version
    assert (evaluation.score_a, evaluation.score_b, evaluation.score_c) == (
        Decimal(a), Decimal(b), Decimal(c))
    assert evaluation.total_score == Decimal(a + b + c)


REFUSED_PARTS = [
    ("15/06/2024", 4, 30, 20, 35.01, "Điểm phần C",
     "Điểm phần C tối đa 35 điểm theo QĐ 148/QĐ-TTg (2023); đã nhập 35,01."),
    ("24/02/2023", 4, 30, 20, 35.01, "Điểm phần C",
     "Điểm phần C tối đa 35 điểm theo QĐ 148/QĐ-TTg (2023); đã nhập 35,01."),
    ("15/06/2024", 4, 40.01, 20, 20, "Điểm phần A",
     "Điểm phần A tối đa 40 điểm theo QĐ 148/QĐ-TTg (2023); đã nhập 40,01."),
    ("23/02/2023", 3, 35.01, 20, 10, "Điểm phần A",
     "Điểm phần A tối đa 35 điểm theo QĐ 1048/QĐ-TTg (2019) và 781/QĐ-TTg (2020); đã nhập "
     "35,01."),
    ("10/01/2022", 4, 20, 20, 40.01, "Điểm phần C",
     "Điểm phần C tối đa 40 điểm theo QĐ 1048/QĐ-TTg (2019) và 781/QĐ-TTg (2020); đã nhập "
     "40,01."),
]


@pytest.mark.parametrize(("decision_date", "stars", "a", "b", "c", "column", "message"),
                         REFUSED_PARTS)
def test_a_part_above_its_maximum_is_refused_naming_the_criteria(
        province_staff, decision_date, stars, a, b, c, column, message):
    before = registry_state()

    report = run([row(stars=stars, score=None, level=None, decision_date=decision_date,
                      score_a=a, score_b=b, score_c=c)], province_staff)

    assert messages(report) == [f"Dòng 2, cột “{column}”: {message}"]
    assert not report.applied
    assert registry_state() == before


def test_two_parts_of_three_are_refused(province_staff):
    before = registry_state()

    report = run([row(stars=4, score=None, score_a=30, score_b=20)], province_staff)

    assert messages(report) == [
        "Dòng 2, cột “Điểm phần A”: thiếu “Điểm phần C”: ghi cả ba phần A, B, C hoặc để trống "
        "cả ba."]
    assert registry_state() == before


def test_parts_that_do_not_add_up_to_the_score_are_refused(province_staff):
    before = registry_state()

    report = run([row(stars=4, score=80, score_a=30, score_b=20, score_c=35)], province_staff)

    assert messages(report) == [
        "Dòng 2, cột “Điểm”: 80 không bằng tổng ba phần A + B + C = 85."]
    assert registry_state() == before


def test_parts_adding_up_to_the_score_are_stored_with_it(province_staff):
    report = run([row(stars=4, score=85, level=None, score_a=30, score_b=20, score_c=35)],
                 province_staff)

    assert report.ok, messages(report)
    evaluation = Evaluation.objects.get()
    assert (evaluation.total_score, evaluation.score_a, evaluation.score_b,
            evaluation.score_c) == (Decimal(85), Decimal(30), Decimal(20), Decimal(35))


def test_parts_without_a_score_give_the_total(province_staff):
    report = run([row(stars=4, score=None, level=None, score_a=30.5, score_b=20.25,
                      score_c=30)], province_staff)

    assert report.ok, messages(report)
    evaluation = Evaluation.objects.get()
    assert evaluation.total_score == Decimal("80.75")
    assert (evaluation.score_a, evaluation.score_b, evaluation.score_c) == (
        Decimal("30.5"), Decimal("20.25"), Decimal(30))


def test_parts_whose_total_is_outside_the_stars_band_are_refused(province_staff):
    before = registry_state()

    report = run([row(stars=3, score=None, score_a=30, score_b=20, score_c=35)], province_staff)

    assert messages(report) == [
        "Dòng 2, cột “Điểm phần A”: tổng ba phần 85 điểm thuộc hạng 4 sao (từ 70 đến dưới 90 "
        "điểm), không khớp 3 sao ở cột “Số sao”."]
    assert registry_state() == before


def test_parts_without_stars_are_refused(province_staff):
    report = run([candidate(score_a=30, score_b=20, score_c=30)], province_staff)

    assert [(e.row, e.column) for e in report.errors] == [(2, "Số sao")]
    assert "“Điểm phần A”, “Điểm phần B”, “Điểm phần C”" in messages(report)[0]
    assert Product.objects.count() == 0

