"""Rows of the media list for Excel, written by the portal's one workbook renderer as a document
fit to sign (ocop_portal.excel.OfficialDocument)."""

from collections.abc import Iterator

from django.utils import timezone

from communications.filters import filtered_media_items
from communications.selectors import with_featured_for_user
from ocop_portal.downloads import Export, list_url
from ocop_portal.excel import Column, OfficialDocument, table_workbook

# Widths that print one A4 page wide at a readable size; titles, addresses and names wrap. The
# time of publication is centred, so that it never touches the title beside it.
MEDIA_COLUMNS = [
    Column("STT", 7, align="center"),
    Column("Thời điểm đăng", 17.5, align="center"),
    Column("Tiêu đề", 28),
    Column("Thể loại", 10),
    Column("Cơ quan báo chí", 15),
    Column("Cấp", 10),
    Column("Huyện/Thành phố", 11),
    Column("Tác giả", 13),
    Column("Đường dẫn", 20),
    Column("Sản phẩm được nhắc đến", 16),
    Column("Chủ thể được nhắc đến", 16),
    Column("Ghi chú", 14),
]


EXPORT_CHUNK = 2000


def media_item_rows(items, *, user) -> Iterator[list]:
    """One row per item of an already scoped and filtered queryset, in its order; the featured
    products and producers are those the user may see."""
    # Read in chunks (with their featured records) as the workbook is written.
    items = with_featured_for_user(items, user).iterator(chunk_size=EXPORT_CHUNK)
    for number, item in enumerate(items, start=1):
        yield [
            number,
            item.published_at,
            item.title,
            item.get_kind_display(),
            item.outlet.name,
            item.outlet.get_level_display(),
            item.district.short_name if item.district else "Toàn tỉnh",
            item.author,
            item.url,
            ", ".join(product.name for product in item.featured_products),
            ", ".join(subject.name for subject in item.featured_subjects),
            item.note,
        ]


def media_items_workbook(items, *, title: str, user):
    """The filtered media list as a workbook with one sheet: a document of the provincial
    office, dated the day it is made."""
    return table_workbook("Tin bài truyền thông", MEDIA_COLUMNS, media_item_rows(items, user=user),
                          title=title, document=OfficialDocument())


def media_item_export(user, params) -> Export:
    """The media list as the user sees it with these filters and this order."""
    _, queryset, _ = filtered_media_items(user, params)
    stamp = timezone.localdate().strftime("%d-%m-%Y")
    title = f"Danh sách tin, bài truyền thông về OCOP (xuất ngày {stamp})"
    return Export(filename=f"Tin bài truyền thông OCOP {stamp}.xlsx", title=title,
                  rows=queryset.count(),
                  build=lambda: media_items_workbook(queryset, title=title, user=user),
                  back_url=list_url("communications:list", params))
