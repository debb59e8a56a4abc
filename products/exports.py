"""Rows of the registry lists for Excel: what the user sees on screen, in their scope, as a
document fit to sign (ocop_portal.excel.OfficialDocument)."""

from django.utils import timezone

from ocop_portal.downloads import Export, list_url
from ocop_portal.excel import Column, OfficialDocument, table_workbook
from products.filters import filtered_products

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


def product_rows(products):
    """One row a product; `products` comes from products.selectors.product_list_for_user."""
    # Read in chunks as the workbook is written: a national list is never held whole.
    rows = products.select_related("subject").iterator(chunk_size=EXPORT_CHUNK)
    for index, product in enumerate(rows, start=1):
        certificate = product.current_certificate
        evaluation = certificate.evaluation if certificate else None
        yield [
            index, product.name, product.subject.name, product.subject.get_subject_type_display(),
            str(product.group.top_group), str(product.district),
            str(product.commune) if product.commune else "",
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
