"""Each person's "Việc cần làm" (to-do list): what the page /todo/ shows and the reminder
e-mail sends (ocop_portal.reminders).

What each role is asked to do:
- a district officer: the items the province returned to their district (to fix and send
  again), the products of their district whose certificate lapses within 90 days (the radar's
  `expiring_90`, the same list the link opens), and their district having no update this month;
- province staff and administrators: the items awaiting review for more than 7 days (as the
  review page's filter "Chờ quá 7 ngày" counts them) and the districts with no update this month;
- a leader: the same two as province staff, to follow, not to do (no e-mail).

"An update from a district" this month (Asia/Ho_Chi_Minh calendar month) is any record of the
district created, changed or deleted by a person in the month: its products and producers and
their evaluations, cycle participations, certificates, quality certifications, traceability,
linkages and support records, and its media items, as their history (django-simple-history)
records them; or an item submitted for the province's review for the district (a change of a
counted field is kept in the item, not saved to the record). Changes by the portal's own jobs
(certificates marked expired every night) have no author and are not updates. Whoever makes
the change counts, the province's staff included: what the office wants to know is whether the
district's records were kept up to date.

Everything is computed for many users at once in a fixed number of queries (at most five,
whatever the number of users, districts or records), so that the page and a reminder run cost
the same for one district as for all.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from ocop_portal.models import District, ReviewItem, Role
from targets.indicators import counts_by_district, indicator_records, indicator_records_url
from targets.selectors.plans import districts_of_year

EXPIRING_CODE = "expiring_90"
EXPIRING_DAYS = 90
AWAITING_DAYS = 7

# The records whose history tells that a district updated something: (model, path to the
# district from the historical row).
UPDATE_SOURCES = [
    ("products.HistoricalProduct", "district"),
    ("products.HistoricalEvaluation", "product__district"),
    ("products.HistoricalCycleParticipation", "product__district"),
    ("products.HistoricalCertificate", "product__district"),
    ("products.HistoricalQualityCertification", "product__district"),
    ("products.HistoricalTraceability", "product__district"),
    ("subjects.HistoricalSubject", "district"),
    ("subjects.HistoricalLinkage", "subject__district"),
    ("subjects.HistoricalSupportRecord", "subject__district"),
    ("communications.HistoricalMediaItem", "district"),
]

OFFICER_ROLES = (Role.DISTRICT_OFFICER,)
OFFICE_ROLES = (Role.PROVINCE_STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class TodoLine:
    """One thing to do: what, how many, and where it is done."""

    code: str
    text: str
    url: str
    count: int
    # False for what a leader follows but does not do.
    actionable: bool = True
    details: tuple[Link, ...] = ()


@dataclass
class TodoList:
    user: object
    today: dt.date
    lines: list[TodoLine] = field(default_factory=list)

    @property
    def actionable(self) -> list[TodoLine]:
        return [line for line in self.lines if line.actionable]

    @property
    def count(self) -> int:
        return len(self.actionable)


@dataclass
class _Facts:
    """What the lists are made of, read once for every user of a run."""

    today: dt.date
    districts: dict[int, District] = field(default_factory=dict)
    province_districts: list[District] = field(default_factory=list)
    returned: Counter[int] = field(default_factory=Counter)
    expiring: Counter[int] = field(default_factory=Counter)
    awaiting: Counter[int] = field(default_factory=Counter)
    updated: set[int] = field(default_factory=set)


def month_span(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start of `today`'s month and of the next, in the portal's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime(today.year, today.month, 1, tzinfo=zone)
    following = dt.datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=zone)
    return start, following


def districts_updated_in_month(today: dt.date) -> set[int]:
    """The ids of the districts with an update (see the module's text) in `today`'s month, in
    one query."""
    start, end = month_span(today)
    parts = []
    for label, path in UPDATE_SOURCES:
        model = apps.get_model(label)
        parts.append(model.objects.filter(
            history_date__gte=start, history_date__lt=end, history_user__isnull=False,
            **{f"{path}__isnull": False}).order_by().values_list(path, flat=True))
    parts.append(ReviewItem.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
                 .order_by().values_list("district", flat=True))
    first, *others = parts
    return set(first.union(*others))


def _review_counts(**filters) -> Counter[int]:
    rows = (ReviewItem.objects.filter(**filters).values("district_id")
            .annotate(n=Count("pk")).order_by())
    return Counter({row["district_id"]: row["n"] for row in rows})


def _facts(users: list, now: dt.datetime) -> _Facts:
    today = timezone.localdate(now)
    facts = _Facts(today=today)
    roles = {user.effective_role for user in users}
    officer_districts = {user.district_id for user in users
                         if user.effective_role in OFFICER_ROLES and user.district_id}
    office = bool(roles - set(OFFICER_ROLES))
    if not officer_districts and not office:
        return facts
    facts.province_districts = districts_of_year(today.year)
    facts.districts = {district.pk: district for district in facts.province_districts}
    missing = officer_districts - set(facts.districts)
    if missing:
        facts.districts.update(District.objects.in_bulk(missing))
    facts.updated = districts_updated_in_month(today)
    if officer_districts:
        facts.returned = _review_counts(state=ReviewItem.State.RETURNED,
                                        district_id__in=officer_districts)
        facts.expiring = counts_by_district(indicator_records(
            EXPIRING_CODE, year=today.year, today=today).filter(
                district_id__in=officer_districts))
    if office:
        # As the review page's "Chờ quá 7 ngày" reads it, so that the link lists the same items.
        facts.awaiting = _review_counts(state=ReviewItem.State.PENDING,
                                        submitted_at__lt=now - dt.timedelta(days=AWAITING_DAYS))
    return facts


def _month(today: dt.date) -> str:
    return f"{today:%m/%Y}"


def _officer_lines(user, facts: _Facts) -> list[TodoLine]:
    district = facts.districts.get(user.district_id)
    if district is None:
        return []
    lines = []
    returned = facts.returned[district.pk]
    if returned:
        lines.append(TodoLine(
            "returned", f"{returned} hồ sơ bị tỉnh trả lại: sửa theo lý do ghi kèm rồi gửi lại",
            f"{reverse('review:list')}?{urlencode({'state': ReviewItem.State.RETURNED})}",
            returned))
    expiring = facts.expiring[district.pk]
    if expiring:
        lines.append(TodoLine(
            "expiring", f"{expiring} sản phẩm có giấy chứng nhận OCOP hết hạn trong "
                        f"{EXPIRING_DAYS} ngày tới: nhắc chủ thể chuẩn bị đánh giá lại",
            indicator_records_url(EXPIRING_CODE, year=facts.today.year,
                                  district_code=district.code), expiring))
    if district.pk not in facts.updated:
        lines.append(TodoLine(
            "not_updated", f"{district.short_name} chưa cập nhật số liệu nào trong tháng "
                           f"{_month(facts.today)}: cập nhật sản phẩm, chủ thể, kết quả "
                           f"đánh giá, tin bài của huyện",
            f"{reverse('products:list')}?{urlencode({'district': district.code})}", 1))
    return lines


def _office_lines(facts: _Facts, *, actionable: bool) -> list[TodoLine]:
    lines = []
    awaiting = sum(facts.awaiting.values())
    if awaiting:
        by_district = sorted(facts.awaiting.items(),
                             key=lambda pair: getattr(facts.districts.get(pair[0]), "code", ""))
        details = tuple(
            Link(f"{_district_name(facts, pk)}: {n}",
                 f"{reverse('review:list')}?{_awaiting_query(facts, pk)}")
            for pk, n in by_district)
        lines.append(TodoLine(
            "awaiting", f"{awaiting} hồ sơ của huyện chờ xác nhận quá {AWAITING_DAYS} ngày",
            f"{reverse('review:list')}?{_awaiting_query(facts, None)}", awaiting,
            actionable=actionable, details=details))
    silent = [district for district in facts.province_districts
              if district.pk not in facts.updated]
    if silent:
        lines.append(TodoLine(
            "districts_not_updated",
            f"{len(silent)} huyện chưa cập nhật số liệu trong tháng {_month(facts.today)}",
            reverse("dashboard:province"), len(silent), actionable=actionable,
            details=tuple(Link(district.short_name,
                               reverse("dashboard:district", args=[district.code]))
                          for district in silent)))
    return lines


def _district_name(facts: _Facts, pk: int) -> str:
    district = facts.districts.get(pk)
    return district.short_name if district else str(pk)


def _awaiting_query(facts: _Facts, pk: int | None) -> str:
    params = {"state": ReviewItem.State.PENDING, "age": str(AWAITING_DAYS)}
    district = facts.districts.get(pk) if pk is not None else None
    if district is not None:
        params["district"] = district.code
    return urlencode(params)


def _lines(user, facts: _Facts) -> list[TodoLine]:
    role = user.effective_role
    if role in OFFICER_ROLES:
        return _officer_lines(user, facts)
    if role in OFFICE_ROLES:
        return _office_lines(facts, actionable=True)
    if role == Role.LEADER:
        return _office_lines(facts, actionable=False)
    return []


def todo_lists_for_users(users: Iterable, *, now: dt.datetime | None = None
                         ) -> dict[int, TodoList]:
    """Each user's to-do list, by user id, in a fixed number of queries."""
    users = list(users)
    now = now or timezone.now()
    facts = _facts(users, now)
    return {user.pk: TodoList(user=user, today=facts.today, lines=_lines(user, facts))
            for user in users}


def todo_list_for_user(user, *, now: dt.datetime | None = None) -> TodoList:
    """The user's own to-do list: an officer's reads their district only."""
    return todo_lists_for_users([user], now=now)[user.pk]
