"""What of the communications app the province reviews (ocop_portal.review)."""

from django.urls import reverse

from ocop_portal.review import Kind, applied_by, register


def _district(item):
    """A province-wide item has no district: it is reviewed with its author's."""
    if item.district_id:
        return item.district
    return getattr(item.created_by, "district", None)


def register_kinds() -> None:
    def url(item) -> str:
        return reverse("communications:detail", args=[item.pk])

    register("media", Kind("Tin, bài truyền thông", _district, lambda i: i.title, url=url))
    register("media_change", Kind(
        "Sửa ngày đăng, huyện của tin, bài", _district, lambda i: i.title,
        apply=applied_by("communications.services.media_item_change_apply"), url=url))
