"""What of the communications app the province reviews (ocop_portal.review)."""

from django.urls import reverse

from ocop_portal.review import Kind, register


def _district(item):
    """A province-wide item has no district: it is reviewed with its author's."""
    if item.district_id:
        return item.district
    return getattr(item.created_by, "district", None)


def _apply(record, changes, user):
    from communications.services import media_item_change_apply

    media_item_change_apply(record, changes, user)


def register_kinds() -> None:
    def url(item) -> str:
        return reverse("communications:detail", args=[item.pk])

    register("media", Kind("Tin, bài truyền thông", _district, lambda i: i.title, url=url))
    register("media_change", Kind("Sửa ngày đăng, huyện của tin, bài", _district,
                                  lambda i: i.title, apply=_apply, url=url))
