"""Writes of media coverage: outlets and media items, with their rules."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communications.models import MediaItem, Outlet
from communications.url_keys import url_key
from ocop_portal import review
from ocop_portal.archive import archive, require_in_use, restore
from ocop_portal.models import ReviewState
from ocop_portal.permissions import (
    can_view_district,
    require_edit_district,
    require_plan_manager,
    require_write,
)
from ocop_portal.text import clean_text, fold

MEDIA_ITEM_FIELDS = ("title", "kind", "outlet", "published_at", "url", "author", "district",
                     "note", "attachment")
# A clock a few minutes fast on the user's machine should not refuse an item published now.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


class DuplicateMediaItem(ValidationError):
    """The address is already recorded: the error carries the existing item."""

    def __init__(self, existing: MediaItem):
        self.existing = existing
        # The item is not named: it may belong to a district the user cannot see (the page
        # links it for those who can).
        message = ("Đường dẫn này đã được ghi nhận cho một tin, bài đang được lưu trữ; hãy mở "
                   "tin, bài đó và bấm “Khôi phục” thay vì ghi nhận lại." if existing.is_archived
                   else "Đường dẫn này đã được ghi nhận cho một tin, bài khác (so sánh sau khi bỏ "
                   "qua http/https, www, dấu / ở cuối và các tham số theo dõi như utm_, fbclid).")
        super().__init__({"url": ValidationError(message, code="duplicate_url")})


def media_item_archive(item: MediaItem, *, user, reason: str | None) -> MediaItem:
    """Archive a media item: it leaves the list, the calendar and the monthly count."""
    return archive(item, user=user, reason=reason)


def media_item_restore(item: MediaItem, *, user) -> MediaItem:
    return restore(item, user=user)


def media_item_find_duplicate(*, url: str, exclude_pk=None) -> MediaItem | None:
    """The item already recorded under the same normalised address, if any."""
    key = url_key(url)
    if not key:
        return None
    # Archived items hold their address too: the page then says to restore one.
    others = MediaItem.all_objects.select_related("outlet", "district")
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.filter(url_key=key).first()


def media_item_keys(item: MediaItem):
    """Fill in the derived fields: cleaned text, the URL key, the folded search text."""
    item.title = clean_text(item.title)
    item.author = clean_text(item.author)
    item.url = (item.url or "").strip()
    item.url_key = url_key(item.url)
    outlet_name = item.outlet.name if item.outlet_id else ""
    item.search_text = fold(" ".join(filter(None, [item.title, outlet_name, item.author])))


def _check_scope(item: MediaItem, *, user, products, subjects):
    if user.is_district_officer and item.district_id is None:
        raise ValidationError({"district": "Cán bộ cấp huyện phải chọn huyện của mình."})
    require_edit_district(user, item.district_id)
    # Only what the user may see can be linked, so that a forged form cannot reveal or tag
    # another district's producers.
    hidden = [str(obj) for obj in [*(products or []), *(subjects or [])]
              if not can_view_district(user, obj.district_id)]
    if hidden:
        raise ValidationError(
            f"Không thể gắn sản phẩm, chủ thể ngoài phạm vi của bạn: {', '.join(hidden)}.")


def _check_published_at(item: MediaItem):
    if item.published_at and item.published_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"published_at": "Thời điểm đăng không được sau thời điểm hiện tại."})


def _save(item: MediaItem, *, products, subjects):
    media_item_keys(item)
    if len(item.url_key) > (MediaItem._meta.get_field("url_key").max_length or 0):
        raise ValidationError({"url": "Đường dẫn quá dài."})
    duplicate = media_item_find_duplicate(url=item.url, exclude_pk=item.pk)
    if duplicate:
        raise DuplicateMediaItem(duplicate)
    _check_published_at(item)
    item.full_clean()
    try:
        # A savepoint: a concurrent save of the same address loses to the unique constraint and
        # is told about the winner instead of failing with a server error.
        with transaction.atomic():
            item.save()
    except IntegrityError:
        duplicate = media_item_find_duplicate(url=item.url, exclude_pk=item.pk)
        if duplicate:
            raise DuplicateMediaItem(duplicate) from None
        raise
    if products is not None:
        item.products.set(products)
    if subjects is not None:
        item.subjects.set(subjects)
    return item


@transaction.atomic
def media_item_create(*, user, title: str, kind: str, outlet: Outlet, published_at: dt.datetime,
                      url: str = "", author: str = "", district=None, products=(), subjects=(),
                      note: str = "", attachment=None, is_demo: bool = False) -> MediaItem:
    """Record a media item once, in a district the user may edit (or province-wide)."""
    require_write(user)
    item = MediaItem(title=title, kind=kind, outlet=outlet, published_at=published_at, url=url,
                     author=author, district=district, note=note, attachment=attachment or "",
                     is_demo=is_demo, created_by=user if user.pk else None,
                     review_state=review.entry_state(user))
    _check_scope(item, user=user, products=products, subjects=subjects)
    item = _save(item, products=list(products), subjects=list(subjects))
    review.submit_new(item, user=user, kind="media", shown=media_item_shown(item))
    return item


def media_item_shown(item: MediaItem) -> dict[str, str]:
    return review.shown(item, ["title", "kind", "outlet", "published_at", "district", "url"])


# What the media indicator reads of an item: when and for which district it was published.
COUNTED_MEDIA_FIELDS = ("published_at", "district")


def media_item_change_apply(item: MediaItem, changes: dict, user) -> None:
    """Apply a confirmed change of when or for which district an item was published."""
    item.published_at = dt.datetime.fromisoformat(changes["published_at"])
    item.district_id = changes["district"]
    _save(item, products=None, subjects=None)


@transaction.atomic
def media_item_update(*, media_item: MediaItem, user, products=None, subjects=None,
                      **fields) -> MediaItem:
    """Change a media item; its old and its new district must both be the user's to edit."""
    unknown = set(fields) - set(MEDIA_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"media_item_update() got unexpected fields: {', '.join(sorted(unknown))}")
    require_write(user)
    require_edit_district(user, media_item.district_id)
    require_in_use(media_item)
    saved = {name: getattr(media_item, name) for name in COUNTED_MEDIA_FIELDS}
    saved_district = media_item.district
    for name, value in fields.items():
        setattr(media_item, name, value)
    _check_scope(media_item, user=user, products=products, subjects=subjects)
    proposed = {name: getattr(media_item, name) for name in COUNTED_MEDIA_FIELDS}
    confirmed = media_item.review_state == ReviewState.CONFIRMED
    if review.needs_review(user) and confirmed and proposed != saved:
        # When and where an item counts waits for the province; the rest is saved.
        _check_published_at(media_item)
        after = media_item_shown(media_item)
        media_item.published_at, media_item.district = saved["published_at"], saved_district
        review.propose_change(
            media_item, user=user, kind="media_change",
            changes={"published_at": proposed["published_at"].isoformat(),
                     "district": getattr(proposed["district"], "pk", None)},
            before=media_item_shown(media_item), after=after)
    item = _save(media_item, products=_keep_hidden(products, media_item.products, user),
                 subjects=_keep_hidden(subjects, media_item.subjects, user))
    if not confirmed:
        review.resubmit_if_returned(item, user=user, kind="media", shown=media_item_shown(item))
    return item


def _keep_hidden(chosen, linked, user):
    """The records chosen, plus those already linked that the user cannot see: an officer's form
    offers only their own district's, and saving it must not drop another district's tags."""
    if chosen is None:
        return None
    # A fresh query: the item's prefetched tags are only those the user may see.
    hidden = [obj for obj in linked.model.objects.filter(pk__in=linked.values("pk"))
              if not can_view_district(user, obj.district_id)]
    return [*chosen, *hidden]


def outlet_find_duplicate(*, name: str, exclude_pk=None) -> Outlet | None:
    """An outlet whose name is the same ignoring case, diacritics and spacing."""
    key = fold(name)
    others = Outlet.objects.exclude(pk=exclude_pk) if exclude_pk else Outlet.objects.all()
    return next((outlet for outlet in others if fold(outlet.name) == key), None)


def _save_outlet(outlet: Outlet) -> Outlet:
    outlet.name = clean_text(outlet.name)
    duplicate = outlet_find_duplicate(name=outlet.name, exclude_pk=outlet.pk)
    if duplicate:
        raise ValidationError({"name": f"Đã có cơ quan báo chí “{duplicate.name}”."})
    outlet.full_clean()
    outlet.save()
    return outlet


@transaction.atomic
def outlet_create(*, user, name: str, level: str, website: str = "") -> Outlet:
    """Add an outlet (province staff and administrators)."""
    require_plan_manager(user)
    return _save_outlet(Outlet(name=name, level=level, website=website))


@transaction.atomic
def outlet_update(*, outlet: Outlet, user, name: str, level: str, website: str = "") -> Outlet:
    """Rename or re-level an outlet; its items' search text follows the new name."""
    require_plan_manager(user)
    outlet.name, outlet.level, outlet.website = name, level, website
    _save_outlet(outlet)
    refresh_search_text_for_outlet(outlet)
    return outlet


def refresh_search_text_for_outlet(outlet: Outlet):
    """Items are searched by their outlet's name too: keep the folded text in step."""
    for item in outlet.items(manager="all_objects").select_related("outlet"):  # archived too
        before = item.search_text
        media_item_keys(item)
        if item.search_text != before:
            MediaItem.all_objects.filter(pk=item.pk).update(search_text=item.search_text)
