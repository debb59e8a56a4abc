"""Reads of media coverage."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from communications.models import MediaItem


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
