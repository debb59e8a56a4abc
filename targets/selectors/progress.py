"""Progress against the plan's quotas: the province and each district, with the status rule."""

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from ocop_portal import review, units
from ocop_portal.collation import vietnamese
from ocop_portal.domain import DEFAULT_MEDIA_ITEMS_PER_MONTH, year_span
from ocop_portal.models import Commune, District
from ocop_portal.numbers import whole_percent
from products.models import EvaluationKind
from targets.indicators import (
    MEDIA,
    MEDIA_CODE,
    counts_by_district,
    entry_for,
    indicator_records,
    media_month_counts,
)
from targets.indicators.cycle import FORECAST_CODE, CycleOutlook
from targets.models import Indicator, Plan, Quota
from targets.selectors.plans import (
    districts_of_year,
    plan_for_year,
    plan_indicators,
    plan_quotas,
)


class Status(enum.StrEnum):
    MET = "dat"
    ON_TRACK = "dung_tien_do"
    BEHIND = "cham"
    NOT_MET = "khong_dat"
    NO_QUOTA = "chua_giao"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


STATUS_LABELS = {
    Status.MET: "Đạt", Status.ON_TRACK: "Đúng tiến độ", Status.BEHIND: "Chậm tiến độ",
    Status.NOT_MET: "Không đạt", Status.NO_QUOTA: "Chưa giao chỉ tiêu",
}
STATUS_COLOURS = {
    Status.MET: "success", Status.ON_TRACK: "primary", Status.BEHIND: "warning",
    Status.NOT_MET: "danger", Status.NO_QUOTA: "secondary",
}
STATUS_RULE = (
    "Tỷ lệ = thực hiện / chỉ tiêu, làm tròn đến phần trăm nguyên (từ 0,5 làm tròn lên; chưa "
    "đủ chỉ tiêu thì không ghi 100%). Đạt: từ 100%. Đúng tiến độ: dưới 100% nhưng không thấp hơn "
    "tỷ lệ thời gian đã qua của năm (truyền thông: số tháng đạt không ít hơn số tháng đã kết "
    "thúc). Chậm tiến độ: thấp hơn. Khi năm đã kết thúc, dưới 100% là Không đạt."
)


def year_elapsed(year: int, today: dt.date) -> float:
    """The share of the year gone by on `today` (the day itself counted)."""
    start, end = year_span(year)
    if today < start:
        return 0.0
    if today > end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


def months_begun(year: int, today: dt.date) -> int:
    """Months of the year that have begun on `today`: 12 for a past year, 0 for a future one."""
    if today.year != year:
        return 12 if today.year > year else 0
    return today.month


@dataclass(frozen=True)
class Figure:
    """A quota and its actual, with the share of the target reached and the status."""

    quota: int | None
    actual: int
    target: int | None
    expected: float
    closed: bool
    # Records awaiting the province's review that would count once confirmed: not in `actual`.
    pending: int = 0

    @property
    def ratio(self) -> float | None:
        if not self.target:
            return None
        return self.actual / self.target

    @property
    def percent(self) -> int | None:
        return whole_percent(self.ratio)

    @property
    def bar_percent(self) -> int:
        return min(100, self.percent or 0)

    @property
    def expected_percent(self) -> int:
        return whole_percent(self.expected) or 0

    @property
    def status(self) -> Status:
        ratio = self.ratio
        if ratio is None:
            return Status.NO_QUOTA
        if ratio >= 1:
            return Status.MET
        if self.closed:
            return Status.NOT_MET
        return Status.ON_TRACK if ratio >= self.expected else Status.BEHIND


@dataclass(frozen=True)
class MonthCount:
    month: int
    items: int
    met: bool
    begun: bool
    ended: bool


@dataclass
class IndicatorProgress:
    indicator: Indicator
    kind: str
    total: Figure
    districts: dict[str, Figure]  # by district code
    months: list[MonthCount] = field(default_factory=list)
    items: int = 0  # media: items published in the year
    district_months: dict[str, list[int]] = field(default_factory=dict)  # media, by code
    items_per_month: int = 0  # media: the items that make a month met
    # From 01/07/2025, by Thái Nguyên's commune (id) each record's commune is or became, and
    # the records with no commune; empty for media and for earlier years.
    communes: dict[int, int] = field(default_factory=dict)
    without_commune: int = 0

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_media(self) -> bool:
        return self.kind == MEDIA


@dataclass
class YearProgress:
    """The year's progress. `districts` are the districts of the year (all of them, for the
    district selector and the quota check); `scope`, when set, is the one district counted:
    then each indicator's `districts` holds that district alone and its `total` is that
    district's figure, not the province's."""

    year: int
    today: dt.date
    plan: Plan | None
    districts: list[District]
    indicators: list[IndicatorProgress]
    time_elapsed: float
    months_elapsed: int
    quotas: dict[tuple[int, int | None], int] = field(default_factory=dict)
    scope: District | None = None
    # Thái Nguyên's communes when the year reaches past 30/06/2025 (figures by new commune).
    communes: list[Commune] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.today > year_span(self.year)[1]

    def indicator(self, code: str) -> IndicatorProgress:
        return next(p for p in self.indicators if p.code == code)


def _counted_progress(indicator, quotas, districts, year, today, expected, closed,
                      scope=None, new_communes=None) -> IndicatorProgress:
    kind = entry_for(indicator.code).kind
    records = indicator_records(indicator.code, year=year, district=scope, today=today)
    counts = counts_by_district(records)
    with review.including_pending():
        awaiting = counts_by_district(indicator_records(indicator.code, year=year,
                                                        district=scope, today=today))

    def figure(quota, actual, pending):
        return Figure(quota=quota, actual=actual, target=quota, expected=expected, closed=closed,
                      pending=max(pending, 0))

    by_district = {d.code: figure(quotas.get((indicator.pk, d.pk)), counts.get(d.pk, 0),
                                  awaiting.get(d.pk, 0) - counts.get(d.pk, 0))
                   for d in districts}
    total = (by_district[scope.code] if scope is not None
             else figure(quotas.get((indicator.pk, None)), sum(counts.values()),
                         sum(awaiting.values()) - sum(counts.values())))
    progress = IndicatorProgress(indicator=indicator, kind=kind, total=total,
                                 districts=by_district)
    if new_communes is not None:
        by_commune: Counter[int] = Counter()
        for commune_id, n in counts_by_commune(records).items():
            unit = new_communes.get(commune_id) if commune_id else None
            if unit is None:
                progress.without_commune += n
            else:
                by_commune[unit] += n
        progress.communes = dict(by_commune)
    return progress


def counts_by_commune(queryset) -> Counter[int | None]:
    """How many rows of `queryset` each commune has (by commune id; None: no commune)."""
    rows = queryset.values("commune_id").annotate(n=Count("pk")).order_by()
    return Counter({row["commune_id"]: row["n"] for row in rows})


def communes_of_year(year: int, scope: District | None = None) -> list[Commune]:
    """Thái Nguyên's communes for figures by new commune, when `year` reaches past 30/06/2025
    (ordered by the former district they are counted in, then by name); those counted in
    `scope` alone when given."""
    start, end = year_span(year)
    if end < units.THAI_NGUYEN_FROM:
        return []
    communes = (Commune.objects.valid_during(start, end).filter(province__isnull=False)
                .select_related("district", "province"))
    if scope is not None:
        communes = communes.filter(district=scope)
    return list(communes.order_by("district__code", vietnamese("name")))


def media_items_per_month(year: int) -> int:
    """How many items make a month "met" in `year`: the plan's province quota, 2 without one."""
    quota = Quota.objects.filter(plan__year=year, indicator__code=MEDIA_CODE,
                                 district__isnull=True).values_list("value", flat=True).first()
    return quota or DEFAULT_MEDIA_ITEMS_PER_MONTH


def _media_progress(indicator, quotas, districts, year, today, closed,
                    scope=None) -> IndicatorProgress:
    quota = quotas.get((indicator.pk, None))
    per_month = quota or DEFAULT_MEDIA_ITEMS_PER_MONTH
    counts = media_month_counts(year=year, today=today, district=scope)
    with review.including_pending():
        awaiting: Counter[int | None] = Counter()
        for (district_id, _month), n in media_month_counts(year=year, today=today,
                                                           district=scope).items():
            awaiting[district_id] += n
    by_month: Counter[int] = Counter()
    by_district: Counter[int | None] = Counter()
    district_months = {d.code: [0] * 12 for d in districts}
    codes = {d.pk: d.code for d in districts}
    for (district_id, month), n in counts.items():
        by_month[month] += n
        by_district[district_id] += n
        if district_id in codes:
            district_months[codes[district_id]][month - 1] += n
    begun = months_begun(year, today)
    # A month counts as due once it has ended; the current month is still open.
    ended = 12 if closed else max(begun - 1, 0)
    months = [MonthCount(month=m, items=by_month[m], met=by_month[m] >= per_month,
                         begun=m <= begun, ended=m <= ended) for m in range(1, 13)]
    months_met = sum(1 for m in months if m.met)
    # Without a quota there is nothing to judge against, though months are still counted.
    # Pending: the items awaiting review (they may make a month met once confirmed).
    total = Figure(quota=quota, actual=months_met, target=12 if quota else None,
                   expected=ended / 12, closed=closed,
                   pending=max(sum(awaiting.values()) - sum(by_district.values()), 0))
    district_figures = {
        d.code: Figure(quota=None, actual=by_district[d.pk], target=None, expected=0.0,
                       closed=closed, pending=max(awaiting[d.pk] - by_district[d.pk], 0))
        for d in districts
    }
    if scope is not None:
        total = district_figures[scope.code]
    return IndicatorProgress(indicator=indicator, kind=MEDIA, total=total,
                             districts=district_figures, months=months,
                             items=sum(by_month.values()), district_months=district_months,
                             items_per_month=per_month)


def indicator_progress(*, year: int, today: dt.date | None = None,
                       also_district: District | None = None,
                       scope: District | None = None) -> YearProgress:
    """Every indicator for `year`: quota and actual for the province and for each district of
    the year (zero where none; `also_district` added when it did not exist that year), in a fixed
    number of queries. With `scope`, that district alone is counted, filtered in SQL: its
    figures are its row of the province's, without counting the others."""
    today = today or timezone.localdate()
    plan = plan_for_year(year)
    quotas = plan_quotas(plan)
    districts = districts_of_year(year)
    for extra in (also_district, scope):
        if extra is not None and extra not in districts:
            districts.append(extra)
    counted = [scope] if scope is not None else districts
    closed = today > year_span(year)[1]
    expected = year_elapsed(year, today)
    communes = communes_of_year(year, scope)
    new_communes = units.thai_nguyen_commune_ids() if communes else None
    progress = []
    for indicator in plan_indicators():
        if indicator.code == MEDIA_CODE:
            progress.append(_media_progress(indicator, quotas, counted, year, today, closed,
                                            scope))
        else:
            progress.append(_counted_progress(indicator, quotas, counted, year, today,
                                              expected, closed, scope, new_communes))
    if scope is not None and communes:
        # A record of the district in a commune counted elsewhere (the row named this former
        # district, one of the commune's): its commune is listed too.
        listed = {c.pk for c in communes}
        more = {pk for item in progress for pk in item.communes} - listed
        if more:
            communes += list(Commune.objects.filter(pk__in=more).select_related(
                "district", "province").order_by("district__code", vietnamese("name")))
    return YearProgress(year=year, today=today, plan=plan, districts=districts,
                        indicators=progress, time_elapsed=expected,
                        months_elapsed=months_begun(year, today), quotas=quotas, scope=scope,
                        communes=communes)


@dataclass(frozen=True)
class QuotaMismatch:
    indicator: Indicator
    total: int | None
    districts_sum: int


def _mismatches(indicators, quotas) -> list[QuotaMismatch]:
    mismatches = []
    for indicator in indicators:
        if not indicator.has_district_quotas:
            continue
        total = quotas.get((indicator.pk, None))
        districts_sum = sum(v for (i, d), v in quotas.items() if i == indicator.pk and d)
        if total != districts_sum:
            mismatches.append(QuotaMismatch(indicator, total, districts_sum))
    return mismatches


def quota_mismatches(plan: Plan | None) -> list[QuotaMismatch]:
    """Indicators split by district whose district quotas do not add up to the provincial
    total (a missing total or missing district quotas count as not adding up); none in a year
    without districts."""
    if plan is None or not districts_of_year(plan.year):
        return []
    return _mismatches(Indicator.objects.filter(appendix__isnull=False), plan_quotas(plan))


def progress_mismatches(progress: YearProgress) -> list[QuotaMismatch]:
    """The same check on the quotas the progress was computed with, without a query: the
    province's quota and those of the year's districts (a district's page checks them all)."""
    if progress.plan is None or not progress.districts:
        return []
    quotas: dict[tuple[int, int | None], int | None] = {}
    for item in progress.indicators:
        quotas[(item.indicator.pk, None)] = progress.quotas.get((item.indicator.pk, None))
        if item.is_media:
            continue  # its figures carry no district quota: the plan sets the province's only
        for district in progress.districts:
            value = progress.quotas.get((item.indicator.pk, district.pk))
            if value is not None:
                quotas[(item.indicator.pk, district.pk)] = value
    return _mismatches([item.indicator for item in progress.indicators],
                       {k: v for k, v in quotas.items() if v is not None})


def indicator_report_data(progress: YearProgress, *, district_code: str | None = None,
                          outlook: CycleOutlook | None = None) -> dict:
    """The JSON of `indicator_report` (DESIGN.md §6), optionally with one district only; with
    the cycle's `outlook`, the indicator it forecasts carries its pipeline and forecast."""
    indicators = []
    for item in progress.indicators:
        entry: dict[str, Any] = {
            "code": item.code, "name": item.indicator.name, "unit": item.indicator.unit,
            "appendix": item.indicator.appendix, "quota": item.total.quota,
            "actual": item.total.actual, "pending": item.total.pending,
            "ratio": _ratio(item.total), "status": str(item.total.status),
        }
        if item.is_media:
            entry.update({
                "target": item.total.target, "months_elapsed": progress.months_elapsed,
                "items": item.items,
                "months": [{"month": m.month, "items": m.items, "met": m.met}
                           for m in item.months],
            })
        entry["districts"] = [
            {"code": d.code, "name": d.name, "short_name": d.short_name,
             "full_name": d.full_name,
             "quota": item.districts[d.code].quota,
             "actual": item.districts[d.code].actual, "pending": item.districts[d.code].pending,
             "ratio": _ratio(item.districts[d.code])}
            for d in progress.districts if district_code in (None, d.code)
        ]
        if progress.communes and not item.is_media:
            entry["communes"] = [
                {"code": c.code, "name": c.name, "full_name": c.place_name,
                 "former_district": c.district.code, "actual": item.communes.get(c.pk, 0)}
                for c in progress.communes
                if district_code in (None, c.district.code) or item.communes.get(c.pk)]
            entry["without_commune"] = item.without_commune
        if outlook is not None and item.code == FORECAST_CODE:
            entry["pipeline"] = outlook.pipeline.by_position(kind=EvaluationKind.NEW)
            entry["forecast"] = outlook.province.as_json()
            ids = {d.code: d.pk for d in progress.districts}
            for row in entry["districts"]:
                row["pipeline"] = outlook.pipeline.by_position(ids[row["code"]],
                                                               EvaluationKind.NEW)
                row["forecast"] = outlook.districts[ids[row["code"]]].as_json()
        indicators.append(entry)
    data = {"plan": progress.plan.number if progress.plan else None, "year": progress.year,
            "indicators": indicators}
    if progress.communes:
        data["communes_rule"] = units.CROSSWALK_RULE
    return data


def _ratio(figure: Figure) -> float | None:
    return None if figure.ratio is None else round(figure.ratio, 4)

