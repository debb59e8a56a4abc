"""Recognised products of a year by stars and by product group, and the certificate-expiry
radar; each number carries the code whose records make it up."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from ocop_portal.domain import RECOGNISED_STARS
from ocop_portal.models import District
from products.models import CriteriaVersion, Product, ProductGroup
from targets.indicators import (
    EXPIRING_WINDOWS,
    RADAR_CODES,
    Period,
    counts_by_district,
    grouped_counts,
    indicator_records,
)
from targets.indicators import rules as counting


@dataclass(frozen=True)
class Breakdown:
    """A number with the code of its records, for one district or the province (code None)."""

    code: str
    label: str
    counts: dict[str | None, int]

    def count(self, district_code: str | None = None) -> int:
        return self.counts.get(district_code, 0)


@dataclass
class Breakdowns:
    recognised: Breakdown
    stars: list[Breakdown]
    groups: list[Breakdown]
    radar: list[Breakdown]


def _with_total(by_district: dict[str, int]) -> dict[str | None, int]:
    totals: dict[str | None, int] = {None: sum(by_district.values())}
    for code, count in by_district.items():
        totals[code] = count
    return totals


RADAR_LABELS = {"expired": "Đã hết hạn",
                **{code: f"Hết hạn trong {days} ngày tới"
                   for code, days in EXPIRING_WINDOWS.items()}}


def _in_district(products: QuerySet[Product], district: District | None) -> QuerySet[Product]:
    return products if district is None else products.filter(district_id=district.pk)


def indicator_breakdowns(*, year: int, today: dt.date | None = None,
                         district: District | None = None) -> Breakdowns:
    """Recognised products of the year by stars and by product group, and the expiry radar on
    `today`, per district and in total; a fixed number of queries. Each count groups the very
    records that `indicator_records` lists for its code. With `district`, only that district
    is counted (in SQL: a district's dashboard does not count every district to show one), and
    its counts are its row of the province's."""
    today = today or timezone.localdate()
    period = Period(year=year, as_of=today)
    district_id = district.pk if district else None
    codes = dict(District.objects.values_list("pk", "code"))
    by_stars: defaultdict[int, Counter[str]] = defaultdict(Counter)
    by_group: defaultdict[int, Counter[str]] = defaultdict(Counter)
    # A recognised product has exactly one ranking certificate (the latest in force in the
    # year), so counting those certificates by stars counts the products of `stars:<n>`.
    ranking = counting.ranking_values(period, district_id)
    for pk, stars, n in grouped_counts(ranking, ["district_id", "stars"]):
        by_stars[stars][codes[pk]] += n
    recognised = _in_district(indicator_records("recognised", year=year, today=today), district)
    for row in (recognised.annotate(top_group=counting.top_group())
                .values("district_id", "top_group").annotate(n=Count("pk")).order_by()):
        by_group[row["top_group"]][codes[row["district_id"]]] += row["n"]
    all_recognised: Counter[str] = Counter()
    for counter in by_stars.values():
        all_recognised.update(counter)
    # All top-level groups, not only those counted, so that the number of queries stays fixed.
    groups = [g for g in ProductGroup.objects.filter(parent__isnull=True).order_by(
        "-criteria_version", "position", "code") if g.pk in by_group]
    radar = []
    for code in RADAR_CODES:
        counts = counts_by_district(_in_district(
            indicator_records(code, year=year, today=today), district))
        radar.append(Breakdown(code, RADAR_LABELS[code],
                               _with_total({codes[pk]: n for pk, n in counts.items()})))
    return Breakdowns(
        recognised=Breakdown("recognised", "Sản phẩm OCOP được công nhận",
                             _with_total(dict(all_recognised))),
        stars=[Breakdown(f"stars:{n}", f"{n} sao", _with_total(dict(by_stars.get(n, {}))))
               for n in RECOGNISED_STARS],
        groups=[Breakdown(f"group:{g.pk}", _group_label(g), _with_total(dict(by_group[g.pk])))
                for g in groups],
        radar=radar,
    )


def _group_label(group: ProductGroup) -> str:
    if group.criteria_version == CriteriaVersion.QD_1048_2019:
        return f"{group.name} (theo QĐ 1048/2019)"
    return group.name
