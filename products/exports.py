"""Rows of the registry lists for Excel: what the user sees on screen, in their scope, as a
document fit to sign (ocop_portal.excel.OfficialDocument)."""

from django.utils import timezone

from ocop_portal.downloads import Export, list_url
from ocop_portal.excel import Column, OfficialDocument, table_workbook
from products.filters import filtered_products
from subjects.models import Subject

# Widths that print one A4 page wide at a readable size; long names wrap. Numbers and dates are
# centred, so that none touches the text of the next column.
PRODUCT_COLUMNS = [
    Column("STT", 7, align="center"), Column("Tên sản phẩm", 24), Column("Chủ thể", 22),
    Column("Loại hình chủ thể", 12.5), Column("Nhóm sản phẩm", 15),
    Column("Huyện/Thành phố", 13.5), Column("Xã/Phường/Thị trấn", 14),
    Column("Hạng sao", 6, align="center"), Column("Số quyết định", 15, align="center"),
    Column("Ngày quyết định", 11.5, align="center"),
    Column("Giấy chứng nhận hiệu lực đến", 11.5, align="center"),
    Column("Trạng thái giấy chứng nhận", 13.5), Column("Năm tham gia chu trình", 9, align="center"),
]


EXPORT_CHUNK = 2000
# What a row reads, and nothing more (a description runs to 10,000 characters).
ROW_RELATED = ("subject", "group__parent", "district", "commune",
               "current_certificate__evaluation")
ROW_FIELDS = (
    "name", "first_cycle_year", "subject__name", "subject__subject_type", "group__name",
    "group__parent", "group__parent__parent",
    "group__parent__name", "district__name", "district__kind", "commune__name", "commune__kind",
    "current_certificate__valid_to", "current_certificate__status",
    "current_certificate__evaluation__stars", "current_certificate__evaluation__decision_number",
    "current_certificate__evaluation__decision_date",
)


def product_rows(products):
    """One row a product; `products` comes from products.selectors.product_list_for_user."""
    # Read in chunks as the workbook is written: a national list is never held whole.
    # One join for the whole file, planned once, rather than the list page's reads per page.
    rows = products.prefetch_related(None).select_related(*ROW_RELATED).only(
        *ROW_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    # A few hundred communes, groups and kinds name every row: each named once.
    names: dict[tuple[str, object], str] = {}

    def name(kind: str, key, record, label=str) -> str:
        if (kind, key) not in names:
            names[(kind, key)] = label(record) if record is not None else ""
        return names[(kind, key)]

    for index, product in enumerate(rows, start=1):
        certificate = product.current_certificate
        evaluation = certificate.evaluation if certificate else None
        subject = product.subject
        yield [
            index, product.name, subject.name,
            name("type", subject.subject_type, subject, label=Subject.get_subject_type_display),
            name("group", product.group_id, product.group.top_group),
            name("district", product.district_id, product.district),
            name("commune", product.commune_id, product.commune),
            evaluation.stars if evaluation else None,
            evaluation.decision_number if evaluation else "",
            evaluation.decision_date if evaluation else None,
            certificate.valid_to if certificate else None,
            certificate.current_status_label if certificate else "Chưa công nhận",
            product.first_cycle_year,
        ]


def product_workbook(products, *, title: str):
    """The list as a document of the provincial office, dated the day it is made."""
    return table_workbook("Sản phẩm OCOP", PRODUCT_COLUMNS, product_rows(products), title=title,
                          document=OfficialDocument())


def product_export(user, params) -> Export:
    """The product list as the user sees it with these filters and this order."""
    _, queryset, _, _ = filtered_products(user, params)
    today = timezone.localdate()
    scope = user.district if user.is_district_officer else "tỉnh Bắc Kạn"
    title = f"Danh sách sản phẩm OCOP {scope} (trích xuất ngày {today:%d/%m/%Y})"
    return Export(filename=f"Sản phẩm OCOP {today:%d-%m-%Y}.xlsx", title=title,
                  rows=queryset.count(), build=lambda: product_workbook(queryset, title=title),
                  back_url=list_url("products:list", params))
