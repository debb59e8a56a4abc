"""The product-group taxonomy: the six groups of QĐ 148/2023 with their subgroups, and the six
sectors (ngành) of QĐ 1048/2019 that products ranked before 24/02/2023 keep.

Subgroups I.1–I.3 are confirmed from the published table; the rest follow the structure reported
in DOMAIN.md §1.2 and should be checked against Phụ lục III of QĐ 148 before any is renamed.
"""

from django.db import transaction

from ocop_portal.services import LoadResult, upsert
from products.models import CriteriaVersion, ProductGroup

NN = "Bộ NN&PTNT"
CT = "Bộ Công Thương"
YT = "Bộ Y tế"
VH = "Bộ VH-TT&DL"

# (code, name, lead ministry, [(code, name, lead ministry), ...])
QD_148_GROUPS = [
    ("1", "Thực phẩm", NN, [
        ("1.1", "Thực phẩm tươi sống", NN),
        ("1.2", "Thực phẩm thô, sơ chế", NN),
        ("1.3", "Thực phẩm chế biến", NN),
        ("1.4", "Gia vị", CT),
        ("1.5", "Chè", NN),
        ("1.6", "Cà phê, ca cao", NN),
    ]),
    ("2", "Đồ uống", CT, [
        ("2.1", "Đồ uống có cồn", CT),
        ("2.2", "Đồ uống không cồn", CT),
    ]),
    ("3", "Dược liệu và sản phẩm từ dược liệu", YT, [
        ("3.1", "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền", YT),
        ("3.2", "Mỹ phẩm có thành phần từ dược liệu", YT),
        ("3.3", "Tinh dầu và dược liệu khác", NN),
    ]),
    ("4", "Hàng thủ công mỹ nghệ", CT, [
        ("4.1", "Thủ công mỹ nghệ, gia dụng, trang trí", CT),
        ("4.2", "Dệt may, thêu, đan", CT),
    ]),
    ("5", "Sinh vật cảnh", NN, [
        ("5.1", "Hoa", NN),
        ("5.2", "Cây cảnh", NN),
        ("5.3", "Động vật cảnh", NN),
    ]),
    ("6", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", VH, []),
]

QD_1048_SECTORS = [
    ("1", "Thực phẩm"),
    ("2", "Đồ uống"),
    ("3", "Thảo dược"),
    ("4", "Vải và may mặc"),
    ("5", "Lưu niệm - nội thất - trang trí"),
    ("6", "Dịch vụ du lịch nông thôn và bán hàng"),
]


@transaction.atomic
def product_groups_load() -> LoadResult:
    """Load both taxonomies; running it again changes nothing."""
    result = LoadResult()
    version = CriteriaVersion.QD_148_2023
    for position, (code, name, ministry, subgroups) in enumerate(QD_148_GROUPS, start=1):
        group = upsert(ProductGroup, {"criteria_version": version, "code": code},
                       {"name": name, "lead_ministry": ministry, "parent": None,
                        "position": position}, result)
        for sub_position, (sub_code, sub_name, sub_ministry) in enumerate(subgroups, start=1):
            upsert(ProductGroup, {"criteria_version": version, "code": sub_code},
                   {"name": sub_name, "lead_ministry": sub_ministry, "parent": group,
                    "position": sub_position}, result)
    for position, (code, name) in enumerate(QD_1048_SECTORS, start=1):
        upsert(ProductGroup, {"criteria_version": CriteriaVersion.QD_1048_2019, "code": code},
               {"name": name, "lead_ministry": "", "parent": None, "position": position}, result)
    return result
