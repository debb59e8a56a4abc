"""The OCOP programme's constants (DOMAIN.md §1-2, plan 180/KH-UBND), the one rule for "in
force at some time in a period" and the one for "a day not ahead". Every other module reads
them from here; nothing imports an app, so models, rules, forms and the indicator registry can
all depend on this module."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

# A recognition (công nhận sản phẩm OCOP) is an evaluation of 3 stars or more; it grants a
# certificate valid 36 months from its decision date (QĐ 148/QĐ-TTg, art. 6).
RECOGNITION_MIN_STARS = 3
RECOGNISED_STARS = (3, 4, 5)
CERTIFICATE_VALIDITY_MONTHS = 36

# The expiry radar's windows, in days; the daily e-mail lists the shortest, the monthly report
# the longest.
EXPIRY_WINDOWS_DAYS = (30, 90)
EXPIRY_NOTICE_DAYS = EXPIRY_WINDOWS_DAYS[0]
REPORT_EXPIRY_DAYS = EXPIRY_WINDOWS_DAYS[-1]

# Plan 180/KH-UBND, section II.3: at least 2 news items, articles or reportages a month; used to
# judge a month when a year's plan sets no media quota.
DEFAULT_MEDIA_ITEMS_PER_MONTH = 2

# Bắc Kạn's OCOP programme began with its 2018-2020 scheme: no decision, first year or figure of
# the portal is older. Years a record may carry at all (a typo guard, not a programme rule).
FIRST_PROGRAMME_YEAR = 2018
RECORD_YEAR_RANGE = (2000, 2100)

# Star bands by total score, half-open: "from 50 to under 70 points" is 3 stars (DOMAIN.md §1.4).
# (lowest score, stars), highest band first.
STAR_BANDS = ((Decimal(90), 5), (Decimal(70), 4), (Decimal(50), 3), (Decimal(30), 2),
              (Decimal(0), 1))
STAR_BAND_LABELS = {
    5: "từ 90 đến 100 điểm",
    4: "từ 70 đến dưới 90 điểm",
    3: "từ 50 đến dưới 70 điểm",
    2: "từ 30 đến dưới 50 điểm",
    1: "dưới 30 điểm",
}
MAX_SCORE = 100

# The maximum points of parts A, B and C of the scoring sheet, by criteria version (keys are the
# values of products.models.CriteriaVersion): QĐ 148/2023 gives A 40, B 25, C 35; QĐ 1048/2019
# gave A 35, B 25, C 40.
PART_MAXIMA = {
    "148/2023": {"a": 40, "b": 25, "c": 35},
    "1048/2019": {"a": 35, "b": 25, "c": 40},
}
# The largest any version allows, for the database's own check.
PART_UPPER_BOUND = {part: max(m[part] for m in PART_MAXIMA.values()) for part in "abc"}


def year_span(year: int, until: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days of `year` counted: all of them, or those up to `until` (a monthly report counts
    the year to its month's end, not what was recorded for later months)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start, min(end, until) if until else end


def overlaps(begins: str | None, ends: str, start: dt.date, end: dt.date) -> Q:
    """Rows whose span — from the date field `begins` (None: always begun) to the date field
    `ends` (empty: open-ended), both days included — meets the days from `start` to `end`.
    This is "in force at some time in the period" for certificates, standards, traceability and
    linkages alike."""
    condition = Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gte": start})
    if begins is not None:
        condition &= Q(**{f"{begins}__lte": end})
    return condition


def covers(begins: dt.date | None, ends: dt.date | None, day: dt.date) -> bool:
    """The same rule for one row in Python: is `day` within the span (open-ended without `ends`)?"""
    return (begins is None or begins <= day) and (ends is None or ends >= day)


def refuse_future(field: str, day: dt.date | None, what: str) -> None:
    """The day something happened (a registration, a signature, a certification, a revocation,
    a stage of the cycle, a progress note) is not ahead: one rule, one wording for all of them."""
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} không được sau ngày hôm nay."})
