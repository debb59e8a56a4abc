"""Rows of the media list for Excel, written by the portal's one workbook renderer."""

from collections.abc import Iterator

from communications.selectors import with_featured_for_user
from ocop_portal.excel import Column, table_workbook

MEDIA_COLUMNS = [
    Column("STT", 6),
    Column("Thời điểm đăng", 17),
    Column("Tiêu đề", 50),
    Column("Thể loại", 11),
    Column("Cơ quan báo chí", 28),
    Column("Cấp", 11),
    Column("Huyện/Thành phố", 18),
    Column("Tác giả", 20),
    Column("Đường dẫn", 40),
    Column("Sản phẩm được nhắc đến", 30),
    Column("Chủ thể được nhắc đến", 30),
    Column("Ghi chú", 30),
]


def media_item_rows(items, *, user) -> Iterator[list]:
    """One row per item of an already scoped and filtered queryset, in its order; the featured
    products and producers are those the user may see."""
    items = with_featured_for_user(items, user)
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
            ", ".join(product.name for product in item.products.all()),
            ", ".join(subject.name for subject in item.subjects.all()),
            item.note,
        ]


def media_items_workbook(items, *, title: str, user):
    """The filtered media list as a workbook with one sheet."""
    return table_workbook("Tin bài truyền thông", MEDIA_COLUMNS, media_item_rows(items, user=user),
                          title=title)
