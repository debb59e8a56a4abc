"""Rows of the registry lists for Excel: what the user sees on screen, in their scope."""

from ocop_portal.excel import Column, table_workbook

PRODUCT_COLUMNS = [
    Column("STT", 6), Column("Tên sản phẩm", 34), Column("Chủ thể", 32),
    Column("Loại hình chủ thể", 16), Column("Nhóm sản phẩm", 26), Column("Huyện/Thành phố", 18),
    Column("Xã/Phường/Thị trấn", 20), Column("Hạng sao", 9), Column("Số quyết định", 18),
    Column("Ngày quyết định", 14), Column("Giấy chứng nhận hiệu lực đến", 16),
    Column("Trạng thái giấy chứng nhận", 18), Column("Năm tham gia chu trình", 12),
]


def product_rows(products):
    """One row a product; `products` comes from products.selectors.product_list_for_user."""
    for index, product in enumerate(products.select_related("subject"), start=1):
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
    return table_workbook("Sản phẩm OCOP", PRODUCT_COLUMNS, product_rows(products), title=title)
