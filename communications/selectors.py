"""Reads of media coverage, with the permission filter."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communications.models import MediaItem, Outlet, OutletLevel
from ocop_portal.permissions import scope_to_user
from products.models import Product
from subjects.models import Subject

# Plan 180/KH-UBND, section II.3: at least 2 news items, articles or reportages a month.
MEDIA_MONTHLY_QUOTA = 2
# The first year the portal offers in its year filters and calendar (Bắc Kạn's OCOP programme
# began in 2018-2019).
FIRST_YEAR = 2018


def media_month_counts(*, year: int) -> dict[tuple[int | None, int], int]:
    """Items published in each month of `year`, keyed by (district id or None, month).

    Months are those of Asia/Ho_Chi_Minh (the current time zone), not UTC: an item published at
    23:30 on 31/05 local time (16:30 UTC) counts in May, one published at 06:00 on 01/06 local
    time (23:00 UTC on 31/05) counts in June. One query, whatever the number of items.
    """
    rows = (
        MediaItem.objects.filter(published_at__year=year)
        .annotate(month=ExtractMonth("published_at"))
        .values("district_id", "month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(row["district_id"], row["month"]): row["count"] for row in rows}


def media_item_list_for_user(user):
    """The media items the user may see, newest first (a district officer: their district's)."""
    items = MediaItem.objects.select_related("outlet", "district").order_by("-published_at", "-pk")
    return scope_to_user(items, user)


def with_featured_for_user(items, user):
    """The items with the products and producers they feature, as far as the user may see
    them: an officer's item may feature another district's, which stay hidden from the officer."""
    return items.prefetch_related(
        Prefetch("products", queryset=scope_to_user(Product.objects.order_by("name", "pk"), user)),
        Prefetch("subjects", queryset=scope_to_user(Subject.objects.order_by("name", "pk"), user)),
    )


def media_item_get_for_user(user, pk) -> MediaItem:
    """One media item the user may see, with what it features; 404 outside their scope."""
    items = with_featured_for_user(media_item_list_for_user(user).select_related("created_by"),
                                   user)
    return get_object_or_404(items, pk=pk)


def media_items_for_product(user, product):
    """The coverage featuring a product, as far as the user may see it, newest first."""
    return media_item_list_for_user(user).filter(products=product)


def outlet_list():
    """Every outlet with how many items it published, central outlets first."""
    level_order = Case(*(When(level=level, then=Value(rank))
                         for rank, level in enumerate(OutletLevel.values)),
                       output_field=IntegerField())
    return Outlet.objects.annotate(item_count=Count("items"), level_rank=level_order).order_by(
        "level_rank", "name")


def year_choices(today: dt.date | None = None) -> list[int]:
    """The years offered by filters and the calendar, newest first."""
    today = today or timezone.localdate()
    return list(range(today.year + 1, FIRST_YEAR - 1, -1))


@dataclass(frozen=True)
class MonthCell:
    year: int
    month: int
    count: int
    quota: int
    # "met", "missed", "current" (under way, not yet met) or "future" (not yet begun).
    status: str

    @property
    def still_needed(self) -> int:
        return max(self.quota - self.count, 0)

    @property
    def label(self) -> str:
        return f"Tháng {self.month}"


def _month_status(year, month, count, today: dt.date, quota: int) -> str:
    if count >= quota:
        return "met"
    if (year, month) < (today.year, today.month):
        return "missed"
    if (year, month) == (today.year, today.month):
        return "current"
    return "future"


def media_calendar_for_user(user, *, year: int, today: dt.date | None = None,
                            quota: int = MEDIA_MONTHLY_QUOTA) -> list[MonthCell]:
    """The 12 months of `year` with their counts against the monthly quota, from
    `media_month_counts`: province-wide for those who see every district (items without a
    district included), the officer's own district for a district officer."""
    today = today or timezone.localdate()
    counts = media_month_counts(year=year)
    totals = dict.fromkeys(range(1, 13), 0)
    for (district_id, month), count in counts.items():
        if user.sees_all_districts or district_id == user.district_id:
            totals[month] += count
    return [MonthCell(year=year, month=month, count=count, quota=quota,
                      status=_month_status(year, month, count, today, quota))
            for month, count in totals.items()]
