"""The dashboards' counting queries at scale: a district's dashboard counts that district alone
(in SQL) and shows exactly its row of the province's figures; the star breakdown, the expiry
radar and the first recognitions equal a count done in Python over the records themselves."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ocop_portal.domain import RECOGNISED_STARS, covers
from ocop_portal.figures_cache import retire_version
from products.models import Certificate, CycleStage, Evaluation, Product, ProductGroup
from products.services import (
    certificate_revoke,
    participation_advance,
    participation_register,
    product_archive,
)
from targets.dashboard import dashboard_context
from targets.indicators import EXPIRING_WINDOWS, indicator_records
from targets.selectors import districts_of_year, indicator_breakdowns, indicator_progress
from targets.selectors.cycle import progress_outlook
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise
from tests.targets.builders import linkage, media_item, quality, support, traceability

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = 2024
TODAY = D(2024, 11, 15)  # inside the year, so that the radar's windows hold certificates
RADAR_DAYS: dict[str, int | None] = {"expired": None, **EXPIRING_WINDOWS}
# The district page's queries on this data set before it counted its district alone (one
# cycle year before 2024, so one query of the stage shares per year made no difference here).
# Two more since: the district's products' and producers' dossier completeness.
DISTRICT_PAGE_QUERIES = 35  # with each indicator counted again for `pending`


def product_in(code, group_code="1.3"):
    group = ProductGroup.objects.get(criteria_version="148/2023", code=group_code)
    return ProductFactory(subject=SubjectFactory(district=district(code),
                                                 first_year_in_programme=YEAR), group=group)


def take_part(product, year, stages):
    (_, registered_on), *later = stages
    participation = participation_register(product=product, user=office_user(),
                                           cycle_year=year, registered_on=registered_on)
    for stage, day in later:
        participation_advance(participation, user=office_user(), stage=stage, on=day)


def history_of(code, group_code="1.3", *, earlier_cycle=True):
    """One district's varied records: each edge of the counting rules once."""
    first_2024 = product_in(code)
    recognise(first_2024, stars=3, decision_date=D(2024, 3, 10))
    upgraded_within = product_in(code, "2.1")  # new in 2024 at 3 stars, upgraded to 4 in 2024
    recognise(upgraded_within, stars=3, decision_date=D(2024, 2, 1))
    recognise(upgraded_within, stars=4, decision_date=D(2024, 8, 1))
    same_day = product_in(code)  # two decisions on one day: the later record ranks
    recognise(same_day, stars=4, decision_date=D(2024, 4, 4))
    recognise(same_day, stars=5, decision_date=D(2024, 4, 4))
    re_recognised = product_in(code, group_code)  # lapsed in 2023, recognised again in 2024
    recognise(re_recognised, stars=3, decision_date=D(2020, 5, 5))
    recognise(re_recognised, stars=4, decision_date=D(2024, 6, 6))
    expiring = product_in(code)  # lapses on 01/12/2024: within 30 days of TODAY
    recognise(expiring, stars=5, decision_date=D(2021, 12, 1))
    lapsed = product_in(code, group_code)  # lapsed on 05/07/2024: expired on TODAY
    recognise(lapsed, stars=3, decision_date=D(2021, 7, 5))
    revoked_in_year = product_in(code)  # in force part of 2024, then off the radar
    outcome = recognise(revoked_in_year, stars=4, decision_date=D(2023, 3, 3))
    certificate_revoke(outcome.certificate, user=office_user(), revoked_on=D(2024, 5, 1),
                       decision="12/QĐ-UBND", reason="Vi phạm tiêu chuẩn")
    revoked_before = product_in(code)  # revoked in 2023: not recognised in 2024
    outcome = recognise(revoked_before, stars=3, decision_date=D(2022, 2, 2))
    certificate_revoke(outcome.certificate, user=office_user(), revoked_on=D(2023, 9, 1),
                       decision="13/QĐ-UBND", reason="Vi phạm tiêu chuẩn")
    archived = product_in(code)  # recognised in 2024 but archived: counted nowhere
    recognise(archived, stars=5, decision_date=D(2024, 9, 9))
    product_archive(archived, user=office_user(), reason="Nhập trùng")
    not_recognised = product_in(code)
    recognise(not_recognised, stars=2, decision_date=D(2024, 10, 10))
    traceability(first_2024, D(2024, 4, 1))
    quality(re_recognised, D(2023, 1, 1), D(2025, 1, 1), standard="iso22000")
    linkage(first_2024.subject, D(2024, 2, 2))
    support(lapsed.subject, D(2024, 3, 3))
    media_item(dt.datetime(2024, 5, 20, 9), district=first_2024.district)
    take_part(product_in(code), YEAR, [(CycleStage.REGISTERED, D(2024, 2, 1)),
                                       (CycleStage.BUSINESS_PLAN, D(2024, 4, 1))])
    if earlier_cycle:
        take_part(product_in(code), YEAR - 1, [(CycleStage.REGISTERED, D(2023, 2, 1))])


@pytest.fixture
def varied(reference_data):
    """Varied records in four districts, more in some than in others; one media item for the
    whole province (no district)."""
    for code, copies in (("058", 1), ("064", 2), ("066", 1), ("065", 3)):
        for _ in range(copies):
            history_of(code, group_code="3.1" if code == "065" else "1.3")
    media_item(dt.datetime(2024, 6, 1, 9))


def _district_view(context):
    """What a district's dashboard shows, by what it is."""
    cycle = context["cycle"]
    return {
        "cards": [(c["indicator"].code, c["figure"], c.get("items"),
                   [m.items for m in c.get("months", [])]) for c in context["cards"]],
        "recognised": context["recognised"].count,
        "stars": [(n.code, n.count) for n in context["stars"]],
        "groups": {n.code: n.count for n in context["groups"]},
        "radar": [(n.code, n.count) for n in context["radar"]],
        "chart": context["chart"],
        "cycle": [(c.position, c.count) for c in cycle["cells"]],
        "forecast": cycle["forecast"]["forecast"].as_json() if cycle["forecast"] else None,
        "mismatches": [(m.indicator.code, m.total, m.districts_sum)
                       for m in context["mismatches"]],
    }


def _province_row(code, province, breakdowns, outlook):
    """The same things read from the province's figures, in the district's row."""
    progress = province["progress"]
    unit = next(d for d in progress.districts if d.code == code)
    cards = []
    for item in progress.indicators:
        months = item.district_months.get(code, []) if item.is_media else []
        cards.append((item.code, item.districts[code], sum(months) if item.is_media else None,
                      months))
    counted = [item for item in progress.indicators if not item.is_media]
    row = next(r for r in province["cycle"]["rows"] if r["district"].code == code)
    return {
        "cards": cards,
        "recognised": breakdowns.recognised.count(code),
        "stars": [(b.code, b.count(code)) for b in breakdowns.stars],
        "groups": {b.code: b.count(code) for b in breakdowns.groups if b.count(code)},
        "radar": [(b.code, b.count(code)) for b in breakdowns.radar],
        "chart": {"labels": [item.indicator.short_name for item in counted],
                  "series": [{"code": "district", "label": "Thực hiện so với chỉ tiêu",
                              "unit": "",
                              "quota": [item.districts[code].quota for item in counted],
                              "actual": [item.districts[code].actual for item in counted]}]},
        "cycle": [(c.position, c.count) for c in row["cells"]],
        "forecast": outlook.districts[unit.pk].as_json(),
        "mismatches": [(m.indicator.code, m.total, m.districts_sum)
                       for m in province["mismatches"]],
    }


def test_each_district_dashboard_shows_its_row_of_the_province_figures(varied):
    province = dashboard_context(year=YEAR, today=TODAY)
    breakdowns = indicator_breakdowns(year=YEAR, today=TODAY)
    outlook = progress_outlook(indicator_progress(year=YEAR, today=TODAY))
    assert breakdowns.recognised.count() > 0
    assert any(b.count() for b in breakdowns.radar)
    districts = districts_of_year(YEAR)
    assert len(districts) == 8  # the four with records and the four without
    for unit in districts:
        shown = _district_view(dashboard_context(year=YEAR, district=unit, today=TODAY))
        assert shown == _province_row(unit.code, province, breakdowns, outlook), unit.code


def _district_page_queries(client, code):
    retire_version()  # each measured request computes its figures (none cached)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/dashboard/district/{code}/?year={YEAR}")
    assert response.status_code == 200
    return len(queries)


def test_a_district_dashboard_reads_no_other_district(varied, province_staff):
    chosen = district("064")
    client = Client()
    client.force_login(province_staff)
    client.get(f"/dashboard/district/{chosen.code}/?year={YEAR}")  # session, first-use reads
    before = _district_view(dashboard_context(year=YEAR, district=chosen, today=TODAY))
    queries = _district_page_queries(client, chosen.code)
    retire_version()
    with CaptureQueriesContext(connection) as province:
        client.get(f"/dashboard/?year={YEAR}")
    # Everything again in two other districts: new and upgraded products, the radar, the
    # cycle of the year (not earlier cycles: they move the province's stage shares, which a
    # district with a small sample borrows by design), producers, media.
    history_of("066", earlier_cycle=False)
    history_of("058", earlier_cycle=False)
    retire_version()
    assert _district_view(dashboard_context(year=YEAR, district=chosen, today=TODAY)) == before
    assert _district_page_queries(client, chosen.code) == queries
    # No more than before, nor than the province's page beside its own district lookup.
    assert queries <= DISTRICT_PAGE_QUERIES
    assert queries <= len(province) + 1
    # And it counted its own district only: no other district's figure was made.
    progress = indicator_progress(year=YEAR, today=TODAY, scope=chosen)
    assert all(set(item.districts) == {chosen.code} for item in progress.indicators)
    breakdowns = indicator_breakdowns(year=YEAR, today=TODAY, district=chosen)
    for b in [breakdowns.recognised, *breakdowns.stars, *breakdowns.groups, *breakdowns.radar]:
        assert set(b.counts) <= {None, chosen.code}, b.code


def _python_count(year, today):
    """The star breakdown, the radar and the first recognitions counted in Python over every
    certificate and evaluation, by the definitions of DESIGN.md §4, per district code."""
    start, end = D(year, 1, 1), min(D(year, 12, 31), today)
    in_use = {p.pk: p.district.code for p in Product.objects.select_related("district")}
    certificates: dict[int, list[Certificate]] = {}
    for certificate in Certificate.objects.select_related("evaluation").order_by("pk"):
        certificates.setdefault(certificate.product_id, []).append(certificate)
    stars: Counter[tuple[str, int]] = Counter()
    radar: Counter[tuple[str, str]] = Counter()
    for product_id, own in certificates.items():
        if product_id not in in_use:
            continue  # archived
        code = in_use[product_id]
        in_force = [c for c in own if c.valid_from <= end and c.valid_to >= start
                    and (c.ended_on is None or c.ended_on >= start)]
        if in_force:
            ranking = max(in_force, key=lambda c: (c.valid_from, c.pk))
            stars[(code, ranking.evaluation.stars)] += 1
        granted = [c for c in own if c.valid_from <= today]
        if not granted:
            continue
        latest = max(granted, key=lambda c: (c.valid_from, c.pk))
        if latest.ended_on is not None and latest.ended_on <= today:
            continue  # revoked or superseded by that day: off the radar
        for name, days in RADAR_DAYS.items():
            if (latest.valid_to < today if days is None
                    else covers(today, today + dt.timedelta(days=days), latest.valid_to)):
                radar[(code, name)] += 1
    firsts: dict[int, dt.date] = {}
    for evaluation in Evaluation.objects.filter(stars__gte=3):
        day = evaluation.decision_date
        firsts[evaluation.product_id] = min(day, firsts.get(evaluation.product_id, day))
    new: Counter[str] = Counter(in_use[pk] for pk, day in firsts.items()
                                if pk in in_use and start <= day <= end)
    return stars, radar, new


@pytest.mark.parametrize(("year", "today"), [
    (2024, TODAY), (2024, D(2024, 12, 31)), (2024, D(2024, 6, 1)), (2023, D(2023, 12, 31)),
    (2021, D(2021, 12, 31)), (2024, D(2025, 3, 1)),
])
def test_the_rewritten_counts_equal_a_count_in_python(varied, year, today):
    stars, radar, new = _python_count(year, today)
    breakdowns = indicator_breakdowns(year=year, today=today)
    progress = indicator_progress(year=year, today=today)
    new_products = progress.indicator("new_products_3star")
    for unit in districts_of_year(year):
        code = unit.code
        assert [b.count(code) for b in breakdowns.stars] == [
            stars[(code, n)] for n in RECOGNISED_STARS], code
        assert {b.code: b.count(code) for b in breakdowns.radar} == {
            name: radar[(code, name)] for name in RADAR_DAYS}, code
        assert new_products.districts[code].actual == new[code], code
        scoped = indicator_breakdowns(year=year, today=today, district=unit)
        assert [b.count(code) for b in scoped.stars] == [b.count(code) for b in breakdowns.stars]
        assert [b.count(code) for b in scoped.radar] == [b.count(code) for b in breakdowns.radar]
    assert [b.count() for b in breakdowns.stars] == [
        sum(n for (_, s), n in stars.items() if s == star) for star in RECOGNISED_STARS]
    assert new_products.total.actual == sum(new.values())
    # Each number equals the length of the list behind it.
    for b in [*breakdowns.stars, *breakdowns.radar]:
        assert indicator_records(b.code, year=year, today=today).count() == b.count(), b.code


def test_the_edge_cases_count_as_the_rules_say(varied):
    """Chợ Đồn holds each edge twice: read the numbers of one copy off its dashboard."""
    breakdowns = indicator_breakdowns(year=YEAR, today=TODAY, district=district("064"))
    counts = {b.code: b.count("064") for b in [*breakdowns.stars, *breakdowns.radar]}
    # Ranked by the latest certificate in force in 2024: first_2024 and lapsed at 3 stars;
    # upgraded_within, re_recognised and revoked_in_year at 4; same_day (later record) and
    # expiring at 5. Revoked in 2023, archived and 2-star products are not recognised.
    assert counts == {"stars:3": 2 * 2, "stars:4": 2 * 3, "stars:5": 2 * 2,
                      "expired": 2 * 1, "expiring_30": 2 * 1, "expiring_90": 2 * 1}
    # New in 2024: first_2024, upgraded_within and same_day; not the re-recognised product.
    progress = indicator_progress(year=YEAR, today=TODAY, scope=district("064"))
    assert progress.indicator("new_products_3star").total.actual == 2 * 3
