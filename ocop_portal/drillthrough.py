"""Drill-through: a list page (products, producers, media) narrowed to the records behind a
number, `?indicator=<code>&year=<Y>[&district=<code>][&as_of=dd/mm/yyyy]`.

The lists belong to the apps whose records the indicator registry (targets) counts; so that
they need not import it back, the registry registers itself here as the source of records when
the portal starts (targets.apps), and each list's filterset asks through this module. The list
then applies the user's scope as always, so a district officer following a province figure sees
only their own district's share of it.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ocop_portal.domain import RECORD_YEAR_RANGE


class RecordSource(Protocol):
    """What the lists need of the registry; `kind` raises ValueError for an unknown code."""

    def kind(self, code: str) -> str: ...

    def records(self, code: str, *, year: int, as_of: dt.date) -> QuerySet[Any]: ...

    def label(self, code: str, *, year: int, district: str | None, as_of: dt.date) -> str: ...


_source: RecordSource | None = None


def register_source(source: RecordSource) -> None:
    """Called once at start-up by the app that counts (targets)."""
    global _source
    _source = source


def _get_source() -> RecordSource:
    if _source is None:
        raise ImproperlyConfigured("No drill-through source: is 'targets' in INSTALLED_APPS?")
    return _source


@dataclass(frozen=True)
class DrillThrough:
    code: str
    year: int
    as_of: dt.date
    district: str | None
    label: str
    # `?review=pending`: the records awaiting the province's review that would count once
    # confirmed (the figure's `pending`) instead of those counted (ocop_portal.review).
    pending: bool = False

    @property
    def as_of_param(self) -> str:
        return f"{self.as_of:%d/%m/%Y}"

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        from ocop_portal.review import including_pending

        records = _get_source().records(self.code, year=self.year, as_of=self.as_of)
        if not self.pending:
            return queryset.filter(pk__in=records.values("pk"))
        with including_pending():
            awaiting = _get_source().records(self.code, year=self.year, as_of=self.as_of)
        return queryset.filter(pk__in=awaiting.values("pk")).exclude(pk__in=records.values("pk"))

    def scope_note(self, user) -> str:
        """What a district officer following a figure beyond their district should know: the
        list holds only their district's share of it ("6 trong 15 hồ sơ toàn tỉnh"), whatever
        other filter narrows the page. Empty for everyone else, and for a figure of the
        officer's own district. One query."""
        district = getattr(user, "district", None)
        if not getattr(user, "is_district_officer", False) or district is None:
            return ""
        if self.district == district.code:
            return ""
        if self.district is not None:
            return (f"Số liệu này là của một huyện khác; danh sách chỉ gồm hồ sơ của "
                    f"{district} (phạm vi của bạn).")
        records = _get_source().records(self.code, year=self.year, as_of=self.as_of)
        counts = records.aggregate(
            total=Count("pk"), own=Count("pk", filter=Q(district_id=district.pk)),
            province_wide=Count("pk", filter=Q(district__isnull=True)))
        others = counts["total"] - counts["own"] - counts["province_wide"]
        note = (f"Danh sách chỉ gồm hồ sơ của {district} (phạm vi của bạn): {counts['own']} trong "
                f"{counts['total']} hồ sơ toàn tỉnh; {others} hồ sơ thuộc các huyện khác")
        if counts["province_wide"]:
            note += f", {counts['province_wide']} hồ sơ chung toàn tỉnh (không gắn với huyện nào)"
        return note + "."


def parse_as_of(text: str) -> dt.date:
    """An as-of day written dd/mm/yyyy (as links carry it) or yyyy-mm-dd."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(text)


def drill_through(params: Mapping[str, Any], *, kind: str) -> DrillThrough | None:
    """The drill-through the query string asks for, None when there is none; a code that does
    not exist or lists other records than `kind`, or a bad year or day, is a 404."""
    code = params.get("indicator")
    if not code:
        return None
    source = _get_source()
    try:
        if source.kind(code) != kind:
            raise Http404("Chỉ tiêu này không liệt kê loại hồ sơ của trang.")
        year = int(params.get("year", ""))
        # The years a record may carry; a year outside them has no records, and one outside the
        # calendar would fail to count at all.
        if not RECORD_YEAR_RANGE[0] <= year <= RECORD_YEAR_RANGE[1]:
            raise ValueError(year)
        as_of_text = params.get("as_of")
        as_of = parse_as_of(as_of_text) if as_of_text else timezone.localdate()
    except ValueError as error:
        raise Http404("Chỉ tiêu, năm hoặc ngày số liệu không hợp lệ.") from error
    district = params.get("district") or None
    label = source.label(code, year=year, district=district, as_of=as_of)
    pending = params.get("review") == "pending"
    if pending:
        label += " – hồ sơ chờ tỉnh xác nhận (chưa tính)"
    return DrillThrough(code=code, year=year, as_of=as_of, district=district, label=label,
                        pending=pending)
