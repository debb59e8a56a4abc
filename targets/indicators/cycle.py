"""The year's OCOP cycle in numbers: the pipeline (participations by where they stand on a day)
and the year-end forecast of `new_products_3star` against the quota.

Both read `products.selectors.participations_on`, the rule the product list's `?stage=` filters
by, so each pipeline number equals its drill-through list. The outcome a forecast learns from is
the indicator's own rule (`rules.first_recognised_in`, the condition `rules.first_recognised`
counts by), so a forecast and the figure it forecasts count the same thing.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q

from products.models import (
    CYCLE_POSITIONS,
    OPEN_STAGES,
    STAGE_DATE_FIELDS,
    CycleParticipation,
    EvaluationKind,
)
from products.selectors import participations_on
from targets.indicators.rules import first_recognised_in

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


def cycle_pipeline(year: int, as_of: dt.date, district_id: int | None = None) -> Pipeline:
    """The pipeline of cycle `year` on `as_of`, in one query; the participations of one
    district's products alone with `district_id`."""
    participations = participations_on(as_of).filter(cycle_year=year)
    if district_id is not None:
        participations = participations.filter(product__district_id=district_id)
    rows = (participations.values("product__district_id", "position", "kind")
            .annotate(n=Count("pk")))
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


def stage_shares(year: int) -> Shares:
    """Learn, from the new products' participations in the cycles before `year`, the share
    reaching a first 3-star recognition from each stage: two grouped queries (by district and
    cycle year), each stage's participations and those of them that succeeded, whatever the
    number of participations or cycles."""
    earlier = CycleParticipation.objects.filter(cycle_year__lt=year, kind=EvaluationKind.NEW,
                                                product__archived_at__isnull=True)
    # A participation succeeded when its product's first recognition is dated in the year of
    # its cycle: the indicator's own rule (`rules.first_recognised` of that whole year). As a
    # filter the database joins the recognitions once; inside each stage's count it would
    # look them up again for every participation and stage.
    succeeded = earlier.filter(first_recognised_in(OuterRef("product_id"),
                                                   OuterRef("cycle_year")))
    reached = {code: Count("pk", filter=Q(**{f"{STAGE_DATE_FIELDS[code]}__isnull": False}))
               for code in STAGES}
    rows = {kind: queryset.values("product__district_id", "cycle_year").annotate(**reached)
            .order_by() for kind, queryset in (("reached", earlier), ("won", succeeded))}
    province: dict[str, list[int]] = {stage: [0, 0] for stage in STAGES}
    districts: dict[int, dict[str, list[int]]] = defaultdict(
        lambda: {stage: [0, 0] for stage in STAGES})
    cycles = set()
    for index, kind in enumerate(("reached", "won")):
        for row in rows[kind]:
            cycles.add(row["cycle_year"])
            for stage in STAGES:
                for tally in (province[stage], districts[row["product__district_id"]][stage]):
                    tally[index] += row[stage]

    def shares(tallies: dict[str, list[int]]) -> dict[str, StageShare]:
        return {stage: StageShare(stage, reached, won)
                for stage, (reached, won) in tallies.items()}

    return Shares(year=year, province=shares(province),
                  districts={d: shares(t) for d, t in districts.items()},
                  cycles=sorted(cycles))


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
                  quotas: dict[int | None, int | None], district_ids: list[int],
                  scope: int | None = None) -> CycleOutlook:
    """Pipeline and forecast for `year` on `as_of`; `actuals` and `quotas` are the engine's
    figures of `new_products_3star` by district pk (None: the province). With `scope` (a
    district pk) the pipeline counts that district alone, so `province` is no province figure
    then: read `districts[scope]`. The stage shares are learnt province-wide either way, since a
    district with a small sample borrows the province's."""
    pipeline = cycle_pipeline(year, as_of, scope)
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

