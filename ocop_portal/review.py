"""Province review of what districts enter (DHIS2's data approval, Akvo's pending updates).

What an indicator counts and a district officer enters waits for province staff:
- a new record of a counted kind (an evaluation with its decision and certificate, a quality
  certification, traceability, a linkage, a support record, a media item) is saved "Chờ xác
  nhận" (`Reviewable.review_state`) with a ReviewItem, and counts only once confirmed;
- a change to a counted field of a confirmed record (a certificate's revocation, a producer's
  first programme year, a product's or producer's district or commune) is not applied: it is
  kept in a ReviewItem and applied when confirmed, so the record counts in its confirmed form
  until then.
Province staff and administrators' own entries are confirmed at once; edits of fields no
indicator reads need no review. Province staff confirm or return (with a reason) one or many
items; the officer sees what was returned, fixes it and sends it again.

Counting: the rules (targets.indicators.rules) count confirmed records; inside
`including_pending()` they count the awaiting ones as well, which is how `pending` (awaiting,
not in `actual`) is computed.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ocop_portal.models import District, ReviewAction, ReviewItem, ReviewState, Role

REASON_MAX_LENGTH = ReviewItem._meta.get_field("reason").max_length

_including_pending: ContextVar[bool] = ContextVar("including_pending", default=False)
_submissions: ContextVar[list[int] | None] = ContextVar("review_submissions", default=None)


@contextmanager
def counting_submissions() -> Iterator[list[int]]:
    """Counts the items submitted inside (a request's), for the page to tell the officer."""
    counter = [0]
    token = _submissions.set(counter)
    try:
        yield counter
    finally:
        _submissions.reset(token)


@contextmanager
def including_pending() -> Iterator[None]:
    """Count the records awaiting review as well as the confirmed ones (for `pending`)."""
    token = _including_pending.set(True)
    try:
        yield
    finally:
        _including_pending.reset(token)


def counted_states() -> list[str]:
    """The review states the counting rules read now: confirmed, and inside
    `including_pending()` awaiting as well (never returned: those are back with the officer)."""
    if _including_pending.get():
        return [ReviewState.CONFIRMED, ReviewState.PENDING]
    return [ReviewState.CONFIRMED]


def counted(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` (of a Reviewable model) narrowed to what counts now (counted_states)."""
    return queryset.filter(review_state__in=counted_states())


def pending_change_ids(kind: str, **changes: Any) -> QuerySet[Any]:
    """The ids of records with an awaiting change of `kind` proposing these values: read by
    the rules inside `including_pending()` (a producer's first year awaiting review)."""
    lookups = {f"changes__{name}": value for name, value in changes.items()}
    return ReviewItem.objects.filter(kind=kind, state=ReviewItem.State.PENDING,
                                     action=ReviewAction.CHANGE, **lookups).values("object_id")


def including_pending_now() -> bool:
    return _including_pending.get()


# Who reviews ---------------------------------------------------------------------------------

def needs_review(user) -> bool:
    """A district officer's entries wait for the province; everyone else's are confirmed."""
    return getattr(user, "role", None) == Role.DISTRICT_OFFICER and not user.is_superuser


def entry_state(user) -> str:
    return ReviewState.PENDING if needs_review(user) else ReviewState.CONFIRMED


def can_review(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in (Role.PROVINCE_STAFF, Role.ADMIN))


def require_reviewer(user) -> None:
    if not can_review(user):
        raise PermissionDenied("Chỉ cán bộ Văn phòng Điều phối tỉnh xác nhận hoặc trả lại hồ "
                               "sơ do huyện nhập.")


# The kinds -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    label: str
    district: Callable[[Any], District]
    title: Callable[[Any], str]
    # For a change: applies the proposed values (as saved in ReviewItem.changes) by the service.
    apply: Callable[[Any, dict, Any], None] | None = None
    url: Callable[[Any], str] | None = None


KINDS: dict[str, Kind] = {}


def applied_by(path: str) -> Callable[[Any, dict, Any], None]:
    """A kind's `apply`: the service at `path` (dotted), imported when a change is confirmed,
    so that the apps registering their kinds at start-up need not import their services."""

    def apply(record, changes: dict, user) -> None:
        from django.utils.module_loading import import_string

        import_string(path)(record, changes, user)

    return apply


def register(code: str, kind: Kind) -> None:
    """Called by the apps that own the records (their apps.py ready())."""
    KINDS[code] = kind


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in KINDS.items()]


# Submitting ------------------------------------------------------------------------------------

def _item(record, *, kind: str, action: str, user, before: dict, after: dict,
          changes: dict) -> ReviewItem:
    spec = KINDS[kind]
    _count_submitted(1)
    return ReviewItem.objects.create(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
        kind=kind, action=action, district=spec.district(record),
        title=spec.title(record)[:300], before=before, after=after, changes=changes,
        submitted_by=user, submitted_at=timezone.now())


def submit_new(record, *, user, kind: str, shown: dict | None = None) -> ReviewItem | None:
    """After saving a new record in `entry_state(user)`: the officer's awaits review (an item
    with what the page shows, `shown`); province staff's is confirmed and needs none."""
    if record.review_state != ReviewState.PENDING:
        return None
    withdraw_for(record, action=ReviewAction.CREATE)
    return _item(record, kind=kind, action=ReviewAction.CREATE, user=user, before={},
                 after=shown or {}, changes={})


def resubmit_if_returned(record, *, user, kind: str, shown: dict | None = None) -> None:
    """After an officer's edit of their own record not confirmed yet: a returned one goes back
    for review (it was fixed); an awaiting one stays awaiting, its item showing the new values.
    A confirmed record is not edited this way (propose_change)."""
    if record.review_state == ReviewState.CONFIRMED:
        return
    _set_state(record, ReviewState.PENDING)
    submit_new(record, user=user, kind=kind, shown=shown)


def propose_change(record, *, user, kind: str, changes: dict, before: dict,
                   after: dict) -> ReviewItem:
    """An officer's change to a counted field of a confirmed record: kept, not applied. A
    second change of the same kind replaces the first still awaiting."""
    withdraw_for(record, kind=kind)
    return _item(record, kind=kind, action=ReviewAction.CHANGE, user=user, before=before,
                 after=after, changes=changes)


def withdraw_for(record, **narrower) -> None:
    """The record's items still awaiting or returned (of one `action` or `kind` when given)
    are withdrawn: replaced by a new submission, or gone with the record."""
    ReviewItem.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
        state__in=[ReviewItem.State.PENDING, ReviewItem.State.RETURNED], **narrower,
    ).update(state=ReviewItem.State.WITHDRAWN, decided_at=timezone.now())


def _count_submitted(n: int) -> None:
    """Tell the request (counting_submissions) that `n` items were submitted."""
    counter = _submissions.get()
    if counter is not None:
        counter[0] += n


def awaiting_change(record, kind: str) -> ReviewItem | None:
    """The change of `kind` awaiting review (or returned) for `record`, for its page."""
    return ReviewItem.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
        kind=kind, action=ReviewAction.CHANGE,
        state__in=[ReviewItem.State.PENDING, ReviewItem.State.RETURNED]).first()


def open_items_for(records: Iterable[models.Model]) -> dict[tuple[int, int], list[ReviewItem]]:
    """The awaiting or returned items of these records, by (content type id, record id)."""
    records = list(records)
    if not records:
        return {}
    query = Q()
    for record in records:
        query |= Q(content_type=ContentType.objects.get_for_model(type(record)),
                   object_id=record.pk)
    found: dict[tuple[int, int], list[ReviewItem]] = {}
    for item in ReviewItem.objects.filter(query, state__in=[ReviewItem.State.PENDING,
                                                              ReviewItem.State.RETURNED]):
        found.setdefault((item.content_type_id, item.object_id), []).append(item)
    return found


# Deciding ----------------------------------------------------------------------------------------

def _record(item: ReviewItem):
    model = item.content_type.model_class()
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.select_for_update().filter(pk=item.object_id).first()


@transaction.atomic
def review_confirm(items: Iterable[ReviewItem], *, user) -> int:
    """Confirm awaiting items: a new record counts from now on; a change is applied (by the
    record's service, as if entered by province staff). Returns how many were confirmed."""
    require_reviewer(user)
    done = 0
    now = timezone.now()
    for item in _lock(items):
        record = _record(item)
        if record is None:
            item.state, item.decided_by, item.decided_at = ReviewItem.State.WITHDRAWN, user, now
            item.save(update_fields=["state", "decided_by", "decided_at"])
            continue
        if item.action == ReviewAction.CREATE:
            _set_state(record, ReviewState.CONFIRMED)
        else:
            apply = KINDS[item.kind].apply
            if apply is None:
                raise ImproperlyConfigured(f"Loại hồ sơ {item.kind}: không có cách áp dụng.")
            apply(record, item.changes, user)
        item.state, item.decided_by, item.decided_at = ReviewItem.State.CONFIRMED, user, now
        item.save(update_fields=["state", "decided_by", "decided_at"])
        done += 1
    _changed()
    return done


@transaction.atomic
def review_return(items: Iterable[ReviewItem], *, user, reason: str) -> int:
    """Send awaiting items back to their officer with a reason; a new record stops awaiting
    (it is "Trả lại" until fixed and sent again), a change is not applied."""
    require_reviewer(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do trả lại để cán bộ huyện biết cần sửa "
                                         "gì."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Lý do trả lại tối đa {REASON_MAX_LENGTH} ký tự "
                                         f"(đang có {len(reason)})."})
    done = 0
    now = timezone.now()
    for item in _lock(items):
        record = _record(item)
        if record is not None and item.action == ReviewAction.CREATE:
            _set_state(record, ReviewState.RETURNED)
        item.state, item.decided_by, item.decided_at = ReviewItem.State.RETURNED, user, now
        item.reason = reason
        item.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        done += 1
    _changed()
    return done


@transaction.atomic
def review_resubmit(item: ReviewItem, *, user) -> ReviewItem:
    """The officer sends a returned item again (after fixing the record, or as it is)."""
    if item.state != ReviewItem.State.RETURNED:
        raise ValidationError("Chỉ gửi lại được hồ sơ đã bị trả lại.")
    if not (item.submitted_by_id == user.pk or (
            getattr(user, "district_id", None) == item.district_id)):
        raise PermissionDenied("Hồ sơ này không thuộc phạm vi của bạn.")
    record = _record(item)
    if record is None:
        raise ValidationError("Hồ sơ không còn.")
    item.state, item.decided_at = ReviewItem.State.WITHDRAWN, timezone.now()
    item.save(update_fields=["state", "decided_at"])
    if item.action == ReviewAction.CREATE:
        _set_state(record, ReviewState.PENDING)
    new = _item(record, kind=item.kind, action=item.action, user=user, before=item.before,
                after=item.after, changes=item.changes)
    _changed()
    return new


def _lock(items: Iterable[ReviewItem]) -> list[ReviewItem]:
    ids = [item.pk for item in items]
    return list(ReviewItem.objects.select_for_update().filter(
        pk__in=ids, state=ReviewItem.State.PENDING).select_related("content_type")
        .order_by("pk"))


_ON_STATE: dict[type, Callable[[Any, str], None]] = {}


def on_state(model: type, hook: Callable[[Any, str], None]) -> None:
    """What follows when a new record of `model` is confirmed, returned or sent again (an
    evaluation's certificate takes its state; the product's certificates are derived again)."""
    _ON_STATE[model] = hook


def _set_state(record, state: str) -> None:
    type(record)._base_manager.filter(pk=record.pk).update(review_state=state)
    record.review_state = state
    hook = _ON_STATE.get(type(record))
    if hook is not None:
        hook(record, state)


def _changed() -> None:
    from ocop_portal.figures_cache import registry_changed

    registry_changed()


# Reading ---------------------------------------------------------------------------------------

def items_for_user(user) -> QuerySet[ReviewItem]:
    """The items a user may see: everything for the province, the officer's own district."""
    items = ReviewItem.objects.select_related("district", "submitted_by", "decided_by",
                                              "content_type")
    if can_review(user) or getattr(user, "role", None) == Role.LEADER:
        return items
    district_id = getattr(user, "district_id", None)
    if district_id is None:
        return items.none()
    return items.filter(district_id=district_id)


def age_days(item: ReviewItem, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localtime(item.submitted_at).date()).days


def shown(record, fields: Iterable[str]) -> dict[str, str]:
    """The fields as the review page shows them: label → value in words (dates dd/mm/yyyy)."""
    values = {}
    for name in fields:
        field = record._meta.get_field(name)
        value = getattr(record, name)
        if hasattr(record, f"get_{name}_display"):
            value = getattr(record, f"get_{name}_display")()
        values[str(field.verbose_name)] = shown_value(value)
    return values


def shown_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def stored(value):
    """A proposed value as ReviewItem.changes keeps it (JSON): dates in ISO, records by id."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def submit_created(records: Iterable[models.Model], *, user, kinds: dict[type, str]) -> int:
    """The awaiting records an import created (saved in bulk), each given its item in one
    insert: the same as submit_new for each, without a query a record."""
    now = timezone.now()
    items = []
    for record in records:
        kind = kinds.get(type(record))
        if kind is None or getattr(record, "review_state", None) != ReviewState.PENDING:
            continue
        spec = KINDS[kind]
        items.append(ReviewItem(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
            kind=kind, action=ReviewAction.CREATE, district=spec.district(record),
            title=spec.title(record)[:300], submitted_by=user, submitted_at=now))
    ReviewItem.objects.bulk_create(items, batch_size=1000)
    _count_submitted(len(items))
    return len(items)


def annotate_records(records: Iterable[models.Model]) -> list[ReviewItem]:
    """Give each record its open items (`review_items`, for its badge) in one query, and
    return the awaiting or returned changes among them (each with `kind_label`), for the
    record page's notice."""
    records = list(records)
    found = open_items_for(records)
    changes = []
    for record in records:
        key = (ContentType.objects.get_for_model(type(record)).pk, record.pk)
        record.review_items = found.get(key, [])  # type: ignore[attr-defined]
        for item in record.review_items:  # type: ignore[attr-defined]
            if item.action == ReviewAction.CHANGE:
                item.kind_label = KINDS[item.kind].label if item.kind in KINDS else item.kind
                changes.append(item)
    return sorted(changes, key=lambda item: (item.submitted_at, item.pk))


def submit_first_years(pairs: Iterable[tuple[models.Model, int]], *, user) -> int:
    """The first programme years of new producers an import held for review (saved in bulk):
    an item each, in one insert, as propose_change would make one by one."""
    now = timezone.now()
    spec = KINDS["subject_first_year"]
    items = [ReviewItem(
        content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk,
        kind="subject_first_year", action=ReviewAction.CHANGE, district=spec.district(subject),
        title=spec.title(subject)[:300], before={"Năm tham gia Chương trình OCOP": "—"},
        after={"Năm tham gia Chương trình OCOP": str(year)},
        changes={"first_year_in_programme": year}, submitted_by=user, submitted_at=now)
        for subject, year in pairs]
    ReviewItem.objects.bulk_create(items, batch_size=1000)
    _count_submitted(len(items))
    return len(items)
