"""Recognised products of a year by stars and by product group, and the certificate-expiry
radar; each number carries the code whose records make it up."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from ocop_portal.models import District
from products.models import CriteriaVersion, Product, ProductGroup
from targets.selectors.records import (
    EXPIRY_WINDOWS,
    RECOGNISED_STARS,
    radar_q,
    rank_in,
    recognised_in,
    top_group,
)


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
    return {**by_district, None: sum(by_district.values())}


def indicator_breakdowns(*, year: int, today: dt.date | None = None) -> Breakdowns:
    """Recognised products of the year by stars and by product group, and the expiry radar on
    `today`, per district and in total; four queries."""
    today = today or timezone.localdate()
    codes = dict(District.objects.values_list("pk", "code"))
    # Filtered by EXISTS directly, not through "pk IN (...)": nested in that way, PostgreSQL
    # planning with stale statistics can loop over every product for every product.
    recognised = recognised_in(year, today)
    by_stars, by_group = defaultdict(Counter), defaultdict(Counter)
    for row in (recognised.annotate(rank=rank_in(year, today)).values("district_id", "rank")
                .annotate(n=Count("pk")).order_by()):
        by_stars[row["rank"]][codes[row["district_id"]]] += row["n"]
    for row in (recognised.annotate(top_group=top_group()).values("district_id", "top_group")
                .annotate(n=Count("pk")).order_by()):
        by_group[row["top_group"]][codes[row["district_id"]]] += row["n"]
    all_recognised = Counter()
    for counter in by_stars.values():
        all_recognised.update(counter)
    # All top-level groups, not only those counted, so that the number of queries stays fixed.
    groups = [g for g in ProductGroup.objects.filter(parent__isnull=True).order_by(
        "-criteria_version", "position", "code") if g.pk in by_group]
    radar_counts = {code: {} for code in ("expired", *EXPIRY_WINDOWS)}
    rows = (Product.objects.filter(current_certificate__isnull=False).values("district_id")
            .annotate(**{code: Count("pk", filter=radar_q(code, today)) for code in radar_counts})
            .order_by())
    for row in rows:
        for code in radar_counts:
            radar_counts[code][codes[row["district_id"]]] = row[code]
    radar_labels = {"expired": "Đã hết hạn", "expiring_30": "Hết hạn trong 30 ngày tới",
                    "expiring_90": "Hết hạn trong 90 ngày tới"}
    return Breakdowns(
        recognised=Breakdown("recognised", "Sản phẩm OCOP được công nhận",
                             _with_total(all_recognised)),
        stars=[Breakdown(f"stars:{n}", f"{n} sao", _with_total(by_stars.get(n, {})))
               for n in RECOGNISED_STARS],
        groups=[Breakdown(f"group:{g.pk}", _group_label(g), _with_total(by_group[g.pk]))
                for g in groups],
        radar=[Breakdown(code, radar_labels[code], _with_total(counts))
               for code, counts in radar_counts.items()],
    )


def _group_label(group: ProductGroup) -> str:
    if group.criteria_version == CriteriaVersion.QD_1048_2019:
        return f"{group.name} (theo QĐ 1048/2019)"
    return group.name

