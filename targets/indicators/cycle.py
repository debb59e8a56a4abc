"""The year's OCOP cycle in numbers: the pipeline (participations by where they stand on a day)
and the year-end forecast of `new_products_3star` against the quota.

Both read `products.selectors.participations_on`, the rule the product list's `?stage=` filters
by, so each pipeline number equals its drill-through list. The outcome a forecast learns from is
the indicator's own rule (`rules.first_recognised`), so a forecast and the figure it forecasts
count the same thing.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from products.models import (
    CYCLE_POSITIONS,
    OPEN_STAGES,
    STAGE_DATE_FIELDS,
    CycleParticipation,
    EvaluationKind,
)
from products.selectors import participations_on
from targets.indicators.rules import Period, first_recognised

FORECAST_CODE = "new_products_3star"
POSITIONS = [code for code, _ in CYCLE_POSITIONS]
POSITION_LABELS = dict(CYCLE_POSITIONS)
STAGES = [stage.value for stage in OPEN_STAGES]
# Below this many new products that reached a stage in a district's earlier cycles, the
# district's share at that stage is too noisy: the province-wide share is used instead.
FORECAST_MIN_SAMPLE = 5
FORECAST_METHOD = (
    "Dự báo cuối năm = số sản phẩm mới đạt 3 sao trở lên đến ngày xem + tổng, theo từng giai "
    "đoạn, của (số sản phẩm mới đang ở giai đoạn đó × tỷ lệ sản phẩm mới đã đến giai đoạn đó "
    "trong các chu trình trước và được công nhận lần đầu từ 3 sao trong năm của chu trình). "
    f"Huyện có dưới {FORECAST_MIN_SAMPLE} sản phẩm đã đến một giai đoạn trong các chu trình "
    "trước dùng tỷ lệ toàn tỉnh của giai đoạn đó; dự báo toàn tỉnh dùng tỷ lệ toàn tỉnh."
)


@dataclass(frozen=True)
class Pipeline:
    """Participations in the cycle of `year` by position on `as_of`, per district (by pk) and
    kind (new, upgrade, re-evaluation)."""

    year: int
    as_of: dt.date
    counts: Counter[tuple[int, str, str]]

    def by_position(self, district_id: int | None = None,
                    kind: str | None = None) -> dict[str, int]:
        """Every position with its count (zero included), for one district or the province,
        of one kind or all."""
        totals: Counter[str] = Counter()
        for (district, position, of_kind), n in self.counts.items():
            if district_id in (None, district) and kind in (None, of_kind):
                totals[position] += n
        return {position: totals[position] for position in POSITIONS}

    def in_cycle(self, district_id: int | None = None, kind: str | None = None) -> int:
        """Participations still open: at one of the stages before the decision."""
        positions = self.by_position(district_id, kind)
        return sum(positions[stage] for stage in STAGES)


def cycle_pipeline(year: int, as_of: dt.date) -> Pipeline:
    """The pipeline of cycle `year` on `as_of`, in one query."""
    rows = (participations_on(as_of).filter(cycle_year=year)
            .values("product__district_id", "position", "kind").annotate(n=Count("pk")))
    return Pipeline(year=year, as_of=as_of, counts=Counter({
        (row["product__district_id"], row["position"], row["kind"]): row["n"] for row in rows}))


@dataclass(frozen=True)
class StageShare:
    """Of the new products that reached `stage` in earlier cycles, how many were recognised for
    the first time with 3 stars or more in their cycle's year."""

    stage: str
    reached: int
    recognised: int

    @property
    def share(self) -> float:
        return self.recognised / self.reached if self.reached else 0.0


@dataclass(frozen=True)
class Shares:
    """The stage shares learnt from the cycles before `year`: province-wide and per district."""

    year: int
    province: dict[str, StageShare]
    districts: dict[int, dict[str, StageShare]]
    cycles: list[int]

    def for_district(self, district_id: int | None) -> dict[str, tuple[StageShare, bool]]:
        """Each stage's share for a district, and whether it is the district's own (else the
        province's, when the district's sample is too small)."""
        own = self.districts.get(district_id, {}) if district_id is not None else {}
        result = {}
        for stage in STAGES:
            mine = own.get(stage)
            if mine is not None and mine.reached >= FORECAST_MIN_SAMPLE:
                result[stage] = (mine, True)
            else:
                result[stage] = (self.province[stage], False)
        return result


def _recognised_in_cycle(participations: list[dict]) -> set[int]:
    """The participations whose product was first recognised (3 stars or more) in the year of
    their cycle, by the indicator's own rule; one query per earlier cycle year."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for row in participations:
        by_year[row["cycle_year"]].add(row["product_id"])
    found = set()
    for year, products in by_year.items():
        recognised = set(first_recognised(Period(year, dt.date(year, 12, 31)))
                         .filter(pk__in=products).values_list("pk", flat=True))
        found |= {row["pk"] for row in participations
                  if row["cycle_year"] == year and row["product_id"] in recognised}
    return found


def stage_shares(year: int) -> Shares:
    """Learn, from the new products' participations in the cycles before `year`, the share
    reaching a first 3-star recognition from each stage."""
    date_fields = [STAGE_DATE_FIELDS[stage] for stage in OPEN_STAGES]
    participations = list(
        CycleParticipation.objects.filter(cycle_year__lt=year, kind=EvaluationKind.NEW,
                                          product__archived_at__isnull=True)
        .values("pk", "cycle_year", "product_id", "product__district_id", *date_fields))
    recognised = _recognised_in_cycle(participations)
    province: dict[str, list[int]] = {stage: [0, 0] for stage in STAGES}
    districts: dict[int, dict[str, list[int]]] = defaultdict(
        lambda: {stage: [0, 0] for stage in STAGES})
    for row in participations:
        success = row["pk"] in recognised
        for stage in OPEN_STAGES:
            if row[STAGE_DATE_FIELDS[stage]] is None:
                continue
            for tally in (province[stage], districts[row["product__district_id"]][stage]):
                tally[0] += 1
                tally[1] += success

    def shares(tallies: dict[str, list[int]]) -> dict[str, StageShare]:
        return {stage: StageShare(stage, reached, won)
                for stage, (reached, won) in tallies.items()}

    return Shares(year=year, province=shares(province),
                  districts={d: shares(t) for d, t in districts.items()},
                  cycles=sorted({row["cycle_year"] for row in participations}))


@dataclass(frozen=True)
class Forecast:
    """The projected year-end figure of `new_products_3star` for a district or the province."""

    actual: int
    quota: int | None
    in_cycle: dict[str, int]  # open new products by stage
    shares: dict[str, tuple[StageShare, bool]]
    method: str = FORECAST_METHOD
    cycles: list[int] = field(default_factory=list)

    @property
    def expected_more(self) -> float:
        return sum(n * self.shares[stage][0].share for stage, n in self.in_cycle.items())

    @property
    def value(self) -> float:
        return round(self.actual + self.expected_more, 1)

    @property
    def open_total(self) -> int:
        return sum(self.in_cycle.values())

    @property
    def still_needed(self) -> int | None:
        """Còn cần: the quota less the actual (never below zero)."""
        return None if self.quota is None else max(self.quota - self.actual, 0)

    @property
    def reaches_quota(self) -> bool | None:
        return None if self.quota is None else self.value >= self.quota

    def as_json(self) -> dict:
        return {
            "value": self.value, "method": self.method,
            "shares": {stage: round(share.share, 4) for stage, (share, _) in self.shares.items()},
            "share_source": {stage: "huyen" if own else "tinh"
                             for stage, (_, own) in self.shares.items()},
            "in_cycle": self.open_total, "still_needed": self.still_needed,
        }


@dataclass(frozen=True)
class CycleOutlook:
    """The cycle of `year` on `as_of`: its pipeline, and the forecast of the province and of each
    district."""

    year: int
    as_of: dt.date
    pipeline: Pipeline
    shares: Shares
    province: Forecast
    districts: dict[int, Forecast]


def cycle_outlook(*, year: int, as_of: dt.date, actuals: dict[int | None, int],
                  quotas: dict[int | None, int | None], district_ids: list[int]) -> CycleOutlook:
    """Pipeline and forecast for `year` on `as_of`; `actuals` and `quotas` are the engine's
    figures of `new_products_3star` by district pk (None: the province)."""
    pipeline = cycle_pipeline(year, as_of)
    shares = stage_shares(year)

    def forecast(district_id: int | None) -> Forecast:
        positions = pipeline.by_position(district_id, EvaluationKind.NEW)
        return Forecast(
            actual=actuals.get(district_id, 0), quota=quotas.get(district_id),
            in_cycle={stage: positions[stage] for stage in STAGES},
            shares=(shares.for_district(district_id) if district_id is not None
                    else {stage: (shares.province[stage], False) for stage in STAGES}),
            cycles=shares.cycles)

    return CycleOutlook(year=year, as_of=as_of, pipeline=pipeline, shares=shares,
                        province=forecast(None), districts={d: forecast(d) for d in district_ids})

