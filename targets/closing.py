"""Month close (chốt số liệu): province staff close a month's figures for the whole province;
while it is closed no record dated in it is added, changed or deleted by anyone (pages, import,
admin, API: targets.closing_guard and ocop_portal.period_lock) until it is reopened with a
reason. Closes, reopens and re-closes are kept in the model's history, which the page and the
next monthly report read.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ocop_portal.history import record_author
from ocop_portal.permissions import require_plan_manager
from ocop_portal.text import clean_text
from targets.models import REOPEN_REASON_MAX_LENGTH, MonthClose, MonthCloseState, MonthlyReport

MONTHS_SHOWN = 24


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def refusal_message(close: MonthClose, what: str) -> str:
    """The refusal of a write dated in `close`'s month, naming the month and the close."""
    return (f"Tháng {close.month:%m/%Y} đã chốt số liệu ngày {local_day(close.closed_at):%d/%m/%Y}"
            f"; không thể thêm, sửa hoặc xoá {what} có ngày trong tháng này. Liên hệ Văn phòng "
            "Điều phối để mở lại.")


# Reads -----------------------------------------------------------------------------------------

def closed_month_of(day: dt.date) -> MonthClose | None:
    """The close of `day`'s month while it is closed; None when the month is open."""
    return MonthClose.objects.filter(month=month_start(day), state=MonthCloseState.CLOSED).first()


class ClosedMonths:
    """The months closed when it is made (one query), as the refusal of a day's write
    (ocop_portal.period_lock.DayRefusal); false when no month is closed."""

    def __init__(self):
        self.closes = {close.month: close
                       for close in MonthClose.objects.filter(state=MonthCloseState.CLOSED)}

    def __bool__(self) -> bool:
        return bool(self.closes)

    def __call__(self, day: dt.date, what: str) -> str | None:
        close = self.closes.get(month_start(day))
        return refusal_message(close, what) if close else None


def require_open(day: dt.date | None, what: str) -> None:
    """Refuse (ValidationError) a write of a record of kind `what` dated `day` in a closed month."""
    close = closed_month_of(day) if day else None
    if close is not None:
        raise ValidationError(refusal_message(close, what))


class EventKind:
    CLOSE = "close"
    REOPEN = "reopen"
    RECLOSE = "reclose"
    LABELS = {CLOSE: "Chốt số liệu", REOPEN: "Mở lại", RECLOSE: "Chốt lại"}


@dataclass(frozen=True)
class CloseEvent:
    """One close, reopen or re-close of a month, as the history keeps it."""

    month: dt.date
    kind: str
    at: dt.datetime
    user: object
    reason: str

    @property
    def label(self) -> str:
        return EventKind.LABELS[self.kind]

    def sentence(self) -> str:
        who = (getattr(self.user, "get_full_name", lambda: "")() or str(self.user)
               if self.user else "hệ thống")
        text = (f"{timezone.localtime(self.at):%H:%M ngày %d/%m/%Y}, {who} "
                f"{self.label.lower()} số liệu tháng {self.month:%m/%Y}")
        return f"{text} (lý do: {self.reason})" if self.kind == EventKind.REOPEN else text


def close_events() -> list[CloseEvent]:
    """Every close, reopen and re-close, oldest first."""
    rows = (MonthClose.history.select_related("history_user")
            .order_by("month", "history_date", "history_id"))
    events, seen = [], set()
    for row in rows:
        if row.history_type == "-":
            continue
        if row.state == MonthCloseState.REOPENED:
            kind = EventKind.REOPEN
        else:
            kind = EventKind.RECLOSE if row.month in seen else EventKind.CLOSE
        seen.add(row.month)
        events.append(CloseEvent(month=row.month, kind=kind, at=row.history_date,
                                 user=row.history_user,
                                 reason=row.reopen_reason if kind == EventKind.REOPEN else ""))
    events.sort(key=lambda event: event.at)
    return events


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    close: MonthClose | None
    ended: bool

    @property
    def can_close(self) -> bool:
        return self.ended and (self.close is None or not self.close.is_closed)

    @property
    def can_reopen(self) -> bool:
        return self.close is not None and self.close.is_closed


def month_rows(today: dt.date | None = None, count: int = MONTHS_SHOWN) -> list[MonthRow]:
    """The last `count` months up to this one, newest first, with their close."""
    current = month_start(today or timezone.localdate())
    months = [current]
    while len(months) < count:
        months.append(month_start(months[-1] - dt.timedelta(days=1)))
    closes = {close.month: close for close in MonthClose.objects.filter(
        month__in=months).select_related("closed_by", "reopened_by")}
    return [MonthRow(month=month, close=closes.get(month), ended=month < current)
            for month in months]


def report_close_note(month: dt.date, *,
                      until: dt.datetime | None = None) -> tuple[MonthClose | None, list]:
    """What the report of `month` says about closes: the month's close (if it is closed) and
    the reopens and re-closes since the previous month's report was built (or, without one,
    since that month's close; else since the month began), up to `until`."""
    until = until or timezone.now()
    previous = month_start(month - dt.timedelta(days=1))
    report = MonthlyReport.objects.filter(month=previous, generated_at__isnull=False).first()
    since: dt.datetime
    if report is not None and report.generated_at is not None:
        since = report.generated_at
    else:
        first_close = (MonthClose.history.filter(month=previous).order_by("history_date")
                       .values_list("history_date", flat=True).first())
        since = first_close or timezone.make_aware(dt.datetime.combine(month, dt.time()))
    events = [event for event in close_events()
              if event.kind != EventKind.CLOSE and since < event.at <= until]
    return closed_month_of(month), events


# Writes ----------------------------------------------------------------------------------------

@transaction.atomic
def month_close(*, month: dt.date, user) -> MonthClose:
    """Close a month that has ended (for the first time, or again after a reopen)."""
    require_plan_manager(user)
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        raise ValidationError({"month": f"Tháng {month:%m/%Y} chưa kết thúc; chỉ chốt được số "
                                        "liệu của tháng đã qua."})
    close = MonthClose.objects.select_for_update().filter(month=month).first()
    if close is not None and close.is_closed:
        raise ValidationError(f"Tháng {month:%m/%Y} đã chốt số liệu ngày "
                              f"{local_day(close.closed_at):%d/%m/%Y}.")
    close = close or MonthClose(month=month)
    close.state = MonthCloseState.CLOSED
    close.closed_at = timezone.now()
    close.closed_by = user
    close.full_clean()
    record_author(close, user).save()
    return close


def clean_reopen_reason(month: dt.date, reason: str | None) -> str:
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": f"Hãy ghi lý do mở lại số liệu tháng {month:%m/%Y}."})
    if len(reason) > REOPEN_REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Lý do mở lại dài tối đa {REOPEN_REASON_MAX_LENGTH} "
                                         f"ký tự (đã nhập {len(reason)})."})
    return reason


@transaction.atomic
def month_reopen(*, month: dt.date, user, reason: str | None) -> MonthClose:
    """Reopen a closed month, with the required reason, so that its records can be corrected."""
    require_plan_manager(user)
    month = month_start(month)
    reason = clean_reopen_reason(month, reason)
    close = MonthClose.objects.select_for_update().filter(month=month).first()
    if close is None or not close.is_closed:
        raise ValidationError(f"Tháng {month:%m/%Y} chưa chốt số liệu nên không cần mở lại.")
    close.state = MonthCloseState.REOPENED
    close.reopened_at = timezone.now()
    close.reopened_by = user
    close.reopen_reason = reason
    close._change_reason = reason  # type: ignore[attr-defined]
    close.full_clean()
    record_author(close, user).save()
    return close
