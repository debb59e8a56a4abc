"""The cycle beside the plan: the pipeline's numbers equal their drill-through lists, and the
forecast of new 3-star products equals a hand computation on a small history."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from products.models import CycleStage, EvaluationKind
from products.services import participation_advance, participation_register, participation_withdraw
from targets.indicators.cycle import FORECAST_MIN_SAMPLE
from targets.selectors import indicator_progress
from targets.selectors.cycle import progress_outlook
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise

pytestmark = pytest.mark.django_db
D = dt.date


def take_part(product, year, stages, *, withdrawn_on=None, kind=None):
    """Register `product` in cycle `year` at the first (stage, day) and move it through the rest."""
    (_, registered_on), *later = stages
    participation = participation_register(product=product, user=office_user(), cycle_year=year,
                                           registered_on=registered_on, kind=kind)
    for stage, day in later:
        participation_advance(participation, user=office_user(), stage=stage, on=day)
    if withdrawn_on:
        participation_withdraw(participation, user=office_user(), on=withdrawn_on,
                               reason="Chủ thể xin rút.")
    return participation


REG, PLAN, ROUND = CycleStage.REGISTERED, CycleStage.BUSINESS_PLAN, CycleStage.DISTRICT_ROUND


def product_in(code):
    return ProductFactory(subject=SubjectFactory(district=district(code)))


@pytest.fixture
def history(reference_data):
    """Chợ Đồn (064) and Na Rì (066): the 2023 cycle with known outcomes, the 2024 cycle on 30/06.

    2023, new products: Chợ Đồn P1 (to the district round, recognised 3★), P2 (to the district
    round, 2★), P3 (plan, withdrawn), P4 (registered, withdrawn); Na Rì N1-N5 (registered, all
    recognised). An upgrade in 2023 (U1) is not a new product and must not count.
    2024: Chợ Đồn Q1 registered, Q2 plan, Q3 district round, Q4 recognised on 01/05; Na Rì R1
    registered, R2 plan.
    """
    p1, p2, p3, p4 = (product_in("064") for _ in range(4))
    take_part(p1, 2023, [(REG, D(2023, 2, 1)), (PLAN, D(2023, 4, 1)), (ROUND, D(2023, 9, 1))])
    recognise(p1, stars=3, decision_date=D(2023, 11, 1))
    take_part(p2, 2023, [(REG, D(2023, 2, 1)), (PLAN, D(2023, 4, 1)), (ROUND, D(2023, 9, 1))])
    recognise(p2, stars=2, decision_date=D(2023, 11, 1))
    take_part(p3, 2023, [(REG, D(2023, 2, 1)), (PLAN, D(2023, 4, 1))],
              withdrawn_on=D(2023, 8, 1))
    take_part(p4, 2023, [(REG, D(2023, 2, 1))], withdrawn_on=D(2023, 5, 1))
    for _ in range(FORECAST_MIN_SAMPLE):
        n = product_in("066")
        take_part(n, 2023, [(REG, D(2023, 3, 1))])
        recognise(n, stars=3, decision_date=D(2023, 10, 1))
    u1 = product_in("064")
    recognise(u1, stars=3, decision_date=D(2022, 12, 1))
    take_part(u1, 2023, [(REG, D(2023, 2, 1))], kind=EvaluationKind.UPGRADE)
    recognise(u1, stars=4, decision_date=D(2023, 11, 1))

    q1, q2, q3, q4 = (product_in("064") for _ in range(4))
    take_part(q1, 2024, [(REG, D(2024, 2, 1))])
    take_part(q2, 2024, [(REG, D(2024, 2, 1)), (PLAN, D(2024, 4, 1))])
    take_part(q3, 2024, [(REG, D(2024, 2, 1)), (PLAN, D(2024, 3, 1)), (ROUND, D(2024, 6, 1))])
    take_part(q4, 2024, [(REG, D(2024, 2, 1))])
    recognise(q4, stars=3, decision_date=D(2024, 5, 1))
    r1, r2 = product_in("066"), product_in("066")
    take_part(r1, 2024, [(REG, D(2024, 2, 1))])
    take_part(r2, 2024, [(REG, D(2024, 2, 1)), (PLAN, D(2024, 5, 1))])
    return {"Q": (q1, q2, q3, q4), "R": (r1, r2)}


def outlook_on(day):
    progress = indicator_progress(year=2024, today=day)
    return progress, progress_outlook(progress)


def test_the_forecast_equals_the_hand_computation(history):
    progress, outlook = outlook_on(D(2024, 6, 30))
    cho_don, na_ri = district("064"), district("066")
    province = outlook.shares.province
    # Of the 9 new products of 2023, 6 were recognised; 3 reached a plan (1 recognised), 2 the
    # district round (1 recognised). The upgrade U1 is not among them.
    assert (province["dang_ky"].reached, province["dang_ky"].recognised) == (9, 6)
    assert (province["phuong_an"].reached, province["phuong_an"].recognised) == (3, 1)
    assert (province["cap_huyen"].reached, province["cap_huyen"].recognised) == (2, 1)

    # Chợ Đồn has 4 (< 5) new products at each stage: the province's shares.
    # 1 actual + 1 × 6/9 + 1 × 1/3 + 1 × 1/2 = 2.5
    forecast = outlook.districts[cho_don.pk]
    assert forecast.actual == 1
    assert forecast.in_cycle == {"dang_ky": 1, "phuong_an": 1, "cap_huyen": 1, "cap_tinh": 0,
                                 "cap_trung_uong": 0}
    assert forecast.value == 2.5
    assert not any(own for _, own in forecast.shares.values())
    # Na Rì has 5 new products that registered (all recognised): its own share, 1.0, there;
    # none reached a plan, so the province's 1/3 for R2. 0 + 1 × 1 + 1 × 1/3 = 1.3
    forecast = outlook.districts[na_ri.pk]
    assert forecast.shares["dang_ky"][1] is True
    assert forecast.shares["dang_ky"][0].share == 1
    assert forecast.shares["phuong_an"][1] is False
    assert forecast.value == 1.3
    # The province: 1 + 2 × 6/9 + 2 × 1/3 + 1 × 1/2 = 3.5
    assert outlook.province.value == 3.5
    assert outlook.province.still_needed == progress.indicator(
        "new_products_3star").total.quota - 1


def test_the_forecast_learns_from_earlier_cycles_only(history):
    _, outlook = outlook_on(D(2024, 6, 30))
    assert outlook.shares.cycles == [2023]
    # In 2023 itself nothing earlier was recorded: the forecast is the actual alone.
    progress = indicator_progress(year=2023, today=D(2023, 6, 30))
    assert progress_outlook(progress).province.value == progress.indicator(
        "new_products_3star").total.actual


def test_the_report_json_carries_the_pipeline_and_the_forecast(history):
    out = io.StringIO()
    call_command("indicator_report", "--year", "2024", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    entry = next(i for i in data["indicators"] if i["code"] == "new_products_3star")
    assert entry["pipeline"] == {"dang_ky": 2, "phuong_an": 2, "cap_huyen": 1, "cap_tinh": 0,
                                 "cap_trung_uong": 0, "cong_nhan": 1, "khong_cong_nhan": 0,
                                 "rut": 0}
    assert entry["forecast"]["value"] == 3.5
    assert entry["forecast"]["shares"]["phuong_an"] == round(1 / 3, 4)
    assert "tỷ lệ" in entry["forecast"]["method"]
    cho_don = next(d for d in entry["districts"] if d["code"] == "064")
    assert cho_don["pipeline"]["cap_huyen"] == 1
    assert cho_don["forecast"]["value"] == 2.5
    others = [i for i in data["indicators"] if i["code"] != "new_products_3star"]
    assert all("forecast" not in i for i in others)


def test_forecast_backtest_prints_forecast_against_outcome(history):
    out = io.StringIO()
    call_command("forecast_backtest", "--year", "2024", "--as-of", "30/06", stdout=out)
    text = out.getvalue()
    assert "tính ngày 30/06/2024" in text
    row = next(line for line in text.splitlines() if line.startswith("Huyện Chợ Đồn"))
    # As of 30/06: 1 so far, 3 in the cycle, forecast 2.5; the year ended with 1.
    assert row.split()[-5:] == ["1", "3", "2,5", "1", "1,5"]
    total = next(line for line in text.splitlines() if line.startswith("Toàn tỉnh"))
    assert total.split()[-5:] == ["1", "5", "3,5", "1", "2,5"]


@pytest.mark.parametrize("as_of", ["31/02", "30-06", "30/06/2023"])
def test_forecast_backtest_refuses_a_bad_day(history, as_of):
    from django.core.management.base import CommandError
    with pytest.raises(CommandError):
        call_command("forecast_backtest", "--year", "2024", "--as-of", as_of)


def _count_shown(client, url) -> int:
    html = client.get(url).content.decode()
    return int(re.search(r'data-testid="result-count">(\d+)', html)[1])


def test_each_funnel_number_equals_its_list(history, province_staff):
    client = Client()
    client.force_login(province_staff)
    html = client.get("/dashboard/?year=2024").content.decode()
    cells = re.findall(r'href="([^"]+)" data-stage="(\w+)" data-district="(\d*)" '
                       r'data-count="(\d+)"', html)
    assert len(cells) == 8 * 9  # 8 districts and the province, 8 positions
    shown = {(stage, code): int(count) for _, stage, code, count in cells}
    assert shown[("dang_ky", "064")] == 1
    assert shown[("dang_ky", "")] == 2
    assert shown[("cong_nhan", "064")] == 1
    for url, _stage, _code, count in cells:
        if int(count) or _code in ("", "064"):
            assert _count_shown(client, url.replace("&amp;", "&")) == int(count), url
    district_html = client.get("/dashboard/district/066/?year=2024").content.decode()
    for url, _stage, _code, count in re.findall(
            r'href="([^"]+)" data-stage="(\w+)" data-district="(066)" data-count="(\d+)"',
            district_html):
        assert _count_shown(client, url.replace("&amp;", "&")) == int(count), url


def test_the_forecast_shows_beside_the_quota_while_the_year_runs(history, province_staff):
    this_year = timezone.localdate().year
    take_part(product_in("064"), this_year, [(REG, timezone.localdate())])
    client = Client()
    client.force_login(province_staff)
    html = client.get(f"/dashboard/district/064/?year={this_year}").content.decode()
    assert "Dự báo cuối năm" in html
    assert 'data-in-cycle="1"' in html
    # 1 registered × Chợ Đồn's own share at registration, learnt from 2023 and 2024: 8 new
    # products registered there (P1-P4, Q1-Q4), 2 recognised in their year (P1, Q4).
    assert re.search(r'data-forecast="([\d.]+)"', html)[1] == str(round(2 / 8, 1))
    # A year that has ended has its result, not a forecast.
    html = client.get("/dashboard/district/064/?year=2024").content.decode()
    assert "Dự báo cuối năm" not in html


def test_an_unknown_stage_is_refused_and_a_known_one_narrows_the_list(history, province_staff):
    client = Client()
    client.force_login(province_staff)
    response = client.get("/products/?cycle=2024&stage=khong_co")
    html = response.content.decode()
    assert "Giai đoạn “khong_co” không có trong chu trình OCOP" in html
    assert 'data-testid="filter-invalid"' in html
    assert 'data-testid="result-count">0 sản phẩm' in html
    assert _count_shown(client, "/products/?cycle=2024&stage=phuong_an") == 2
    assert _count_shown(client, "/products/?cycle=2024&stage=phuong_an&district=066") == 1
    assert _count_shown(client, "/products/?cycle=2023&stage=rut") == 2
    assert _count_shown(client, "/products/?cycle=2023&cycle_kind=nang_hang") == 1
    assert _count_shown(client, "/products/") > 10


def test_the_dashboard_cost_does_not_grow_with_participations(history, province_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    client = Client()
    client.force_login(province_staff)
    from ocop_portal.figures_cache import retire_version

    client.get("/dashboard/?year=2024")
    retire_version()  # each measured request computes its figures (none cached)
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/?year=2024")
    for _ in range(10):
        take_part(product_in("064"), 2024, [(REG, D(2024, 3, 1))])
        take_part(product_in("064"), 2023, [(REG, D(2023, 3, 1))], withdrawn_on=D(2023, 6, 1))
    retire_version()
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/?year=2024")
    assert len(few) == len(many)


def test_the_report_table_states_the_forecast(history):
    out = io.StringIO()
    call_command("indicator_report", "--year", "2024", stdout=out)
    assert "Dự báo cuối năm (toàn tỉnh): 3,5; còn cần" in out.getvalue()
    assert "đang trong chu trình 5 sản phẩm mới" in out.getvalue()
