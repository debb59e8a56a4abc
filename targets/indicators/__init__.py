"""The indicator registry and the reads every number of the portal is made from.

`indicator_records(code, year=..., today=...)` is the one source of the records behind a number:
the engine counts it grouped by district, the appendix lists it with its evidence, the monthly
report takes its lists from it, and the drill-through lists (products, producers, media) are
narrowed to it through ocop_portal.drillthrough. Counting runs to `today` (the as-of day; by
default the real today): what is dated later is not counted yet.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from ocop_portal.models import District
from products.models import ProductGroup
from targets.indicators.registry import (
    ENTRIES,
    EXPIRING_WINDOWS,
    INDICATOR_CODES,
    LIST_URLS,
    MEDIA,
    MEDIA_CODE,
    PRODUCT,
    RADAR_CODES,
    REGISTRY,
    SUBJECT,
    BreakdownRule,
    IndicatorEntry,
    UnknownIndicator,
    entry_for,
    records_for,
    resolve,
)
from targets.indicators.rules import Period

__all__ = [
    "ENTRIES", "EXPIRING_WINDOWS", "INDICATOR_CODES", "MEDIA", "MEDIA_CODE", "PRODUCT",
    "RADAR_CODES", "REGISTRY", "SUBJECT", "BreakdownRule", "IndicatorEntry", "Period",
    "UnknownIndicator", "counts_by_district", "entry_for", "grouped_counts",
    "indicator_record_kind",
    "indicator_records", "indicator_records_label", "indicator_records_url",
    "RegistrySource", "media_month_counts", "resolve",
]

RECORD_LABELS = {
    "recognised": "Sản phẩm OCOP có giấy chứng nhận còn hiệu lực trong năm",
    "expired": "Sản phẩm có giấy chứng nhận OCOP đã hết hạn",
    **{code: f"Sản phẩm có giấy chứng nhận OCOP hết hạn trong {days} ngày tới"
       for code, days in EXPIRING_WINDOWS.items()},
}


def indicator_record_kind(code: str) -> str:
    """What `indicator_records(code, ...)` lists: "product", "subject" or "media"."""
    return resolve(code).kind


def _district_filter(queryset: QuerySet[Any], district: District | str | None) -> QuerySet[Any]:
    if district is None:
        return queryset
    if isinstance(district, District):
        return queryset.filter(district_id=district.pk)
    return queryset.filter(district__code=str(district))


def indicator_records(code: str, *, year: int, district: District | str | None = None,
                      today: dt.date | None = None) -> QuerySet[Any]:
    """The records behind the number of `code` for `year` as of `today` (a District, a district
    code or None for the whole province): Product, Subject or MediaItem rows, each once."""
    period = Period(year=year, as_of=today or timezone.localdate())
    return _district_filter(records_for(code, period), district)


def counts_by_district(queryset: QuerySet[Any]) -> Counter[int]:
    """How many rows of `queryset` each district has (by district id), in one query."""
    rows = queryset.values("district_id").annotate(n=Count("pk")).order_by()
    return Counter({row["district_id"]: row["n"] for row in rows})


def grouped_counts(rows: QuerySet[Any], keys: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of `rows` (a values() queryset) counted by `keys`: each distinct key's values
    and its number of rows, in one query. The GROUP BY goes around the queryset's own SQL
    because Django would group a window-narrowed queryset (such as `rules.latest_values`)
    inside the window's query, before the window has picked its rows."""
    sql, params = rows.query.sql_with_params()
    quote = connections[rows.db].ops.quote_name
    columns = ", ".join(quote(key) for key in keys)
    # The names are the queryset's own columns, quoted; the values stay parameters.
    query = f"SELECT {columns}, COUNT(*) FROM ({sql}) counted GROUP BY {columns}"  # noqa: S608
    with connections[rows.db].cursor() as cursor:
        cursor.execute(query, params)
        return [tuple(row) for row in cursor.fetchall()]


def media_month_counts(*, year: int, today: dt.date | None = None,
                       district: District | None = None) -> dict[tuple[int | None, int], int]:
    """The items of `media_items_monthly` in each month, keyed by (district id or None, month);
    months of Asia/Ho_Chi_Minh; `district`'s items alone when given. One query, whatever the
    number of items."""
    rows = (indicator_records(MEDIA_CODE, year=year, district=district, today=today)
            .annotate(month=ExtractMonth("published_at")).values("district_id", "month")
            .annotate(n=Count("pk")).order_by())
    return {(row["district_id"], row["month"]): row["n"] for row in rows}


def indicator_records_url(code: str, *, year: int, district_code: str | None = None,
                          as_of: dt.date | None = None) -> str:
    """The list page that shows `indicator_records(code, ...)`; `as_of` for a figure counted on
    another day than today (a monthly report's)."""
    params: dict[str, Any] = {"indicator": code, "year": year}
    if district_code:
        params["district"] = district_code
    if as_of:
        params["as_of"] = f"{as_of:%d/%m/%Y}"
    return f"{LIST_URLS[indicator_record_kind(code)]}?{urlencode(params)}"


def indicator_records_label(code: str, *, year: int, district: District | str | None = None,
                            as_of: dt.date | None = None) -> str:
    """What a list narrowed to `code` shows, in words, for its heading."""
    target = resolve(code)
    if isinstance(target, IndicatorEntry):
        label = f"{target.name}, năm {year}"
    elif target.name == "recognised":
        label = f"{RECORD_LABELS['recognised']}, năm {year}"
    elif target.name == "month":
        label = f"Tin, bài đăng trong tháng {target.argument}/{year}"
    elif target.name == "stars":
        label = f"Sản phẩm OCOP {target.argument} sao, năm {year}"
    elif target.name == "group":
        group = ProductGroup.objects.filter(pk=target.argument or 0).first()
        label = f"Sản phẩm OCOP nhóm {group.name if group else target.argument}, năm {year}"
    else:
        day = "hôm nay" if as_of in (None, timezone.localdate()) else f"ngày {as_of:%d/%m/%Y}"
        label = f"{RECORD_LABELS[target.name]} (tính đến {day})"
    if district is not None:
        unit = district if isinstance(district, District) else District.objects.filter(
            code=str(district)).first()
        label += f" – {unit.full_name if unit else district}"
    return label


class RegistrySource:
    """The registry as the drill-through lists see it (ocop_portal.drillthrough.RecordSource)."""

    def kind(self, code: str) -> str:
        return indicator_record_kind(code)

    def records(self, code: str, *, year: int, as_of: dt.date) -> QuerySet[Any]:
        return indicator_records(code, year=year, today=as_of)

    def label(self, code: str, *, year: int, district: str | None, as_of: dt.date) -> str:
        return indicator_records_label(code, year=year, district=district, as_of=as_of)
