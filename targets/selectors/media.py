"""The media calendar: the months of a year against the plan's monthly media quota, from the
registry's `media_items_monthly` records (the dashboard's figure and the calendar are one count)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from targets.indicators import indicator_records_url, media_month_counts
from targets.selectors.progress import media_items_per_month


@dataclass(frozen=True)
class MonthCell:
    year: int
    month: int
    count: int
    quota: int
    # "met", "missed", "current" (under way, not yet met) or "future" (not yet begun).
    status: str
    url: str  # the list of the month's items

    @property
    def still_needed(self) -> int:
        return max(self.quota - self.count, 0)

    @property
    def label(self) -> str:
        return f"Tháng {self.month}"


def _month_status(year: int, month: int, count: int, today: dt.date, quota: int) -> str:
    if count >= quota:
        return "met"
    if (year, month) < (today.year, today.month):
        return "missed"
    if (year, month) == (today.year, today.month):
        return "current"
    return "future"


def media_calendar_for_user(user, *, year: int, today: dt.date | None = None,
                            quota: int | None = None) -> list[MonthCell]:
    """The 12 months of `year` with their counts against the monthly quota (the plan's, by
    default): province-wide for those who see every district (items without a district
    included), the officer's own district for a district officer."""
    today = today or timezone.localdate()
    quota = quota or media_items_per_month(year)
    totals = dict.fromkeys(range(1, 13), 0)
    for (district_id, month), count in media_month_counts(year=year, today=today).items():
        if user.sees_all_districts or district_id == user.district_id:
            totals[month] += count
    return [MonthCell(year=year, month=month, count=count, quota=quota,
                      status=_month_status(year, month, count, today, quota),
                      url=indicator_records_url(f"month:{month}", year=year))
            for month, count in totals.items()]
