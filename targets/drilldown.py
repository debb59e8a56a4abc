"""Drill-through: the list pages (products, subjects) narrowed to the records behind a number
of the dashboard, `?indicator=<code>&year=<Y>[&district=<code>]`.

The list then applies the user's scope as always, so a district officer following a province
figure sees only their own district's share of it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from targets.selectors import (
    UnknownIndicator,
    indicator_record_kind,
    indicator_records,
    indicator_records_label,
)

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class IndicatorFilter:
    code: str
    year: int
    district: str | None
    label: str

    def apply(self, queryset: QuerySet) -> QuerySet:
        records = indicator_records(self.code, year=self.year, district=self.district)
        return queryset.filter(pk__in=records.values("pk"))


def indicator_filter(params, *, kind: str) -> IndicatorFilter | None:
    """The drill-through asked for by the query string, None when there is none; a code that
    does not exist or lists other records than `kind` is a 404."""
    code = params.get("indicator")
    if not code:
        return None
    try:
        if indicator_record_kind(code) != kind:
            raise Http404("Chỉ tiêu này không liệt kê loại bản ghi của trang.")
        year = int(params.get("year", ""))
        # The years a record may carry (subjects.models.YEAR_VALIDATORS); a year outside them
        # has no records, and one outside the calendar would fail to count at all.
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(year)
    except (UnknownIndicator, ValueError) as error:
        raise Http404("Chỉ tiêu hoặc năm không hợp lệ.") from error
    district = params.get("district") or None
    label = indicator_records_label(code, year=year, district=district)
    return IndicatorFilter(code=code, year=year, district=district, label=label)
