"""Plan 180/KH-UBND of 22/03/2024 as reference data: the plan, the provincial quotas of the
seven indicators of its section II, and content 1 of section III. The appendices with the
districts' shares were not published: province staff enter them on the quota page."""

import datetime as dt
from typing import Any

PLAN_180 = {
    "number": "180/KH-UBND",
    "issued_on": dt.date(2024, 3, 22),
    "year": 2024,
    "title": (
        "Kế hoạch thực hiện Chương trình “Mỗi xã, phường một sản phẩm” (OCOP) "
        "tỉnh Bắc Kạn năm 2024"
    ),
    "issuer": "UBND tỉnh Bắc Kạn",
    "signer": "Nông Quang Nhất",
}

# The provincial quotas of section II, by indicator code; the indicators themselves (names,
# definitions, how they are counted) are the registry's (targets.indicators.registry).
QUOTAS = {
    "new_products_3star": 20,
    "consolidated_subjects": 8,
    "new_subjects": 8,
    "traceability_products": 20,
    "linkage_subjects": 25,
    "advanced_qm_products": 37,
    "media_items_monthly": 2,
}

TASKS: list[dict[str, Any]] = [
    {
        "number": 1,
        "title": (
            "Kiện toàn hệ thống tổ chức và nâng cao năng lực cho cán bộ quản lý thực hiện "
            "Chương trình OCOP từ tỉnh đến huyện, xã"
        ),
        "content": (
            "Thường xuyên rà soát, kiện toàn cơ cấu tổ chức, bộ máy thực hiện Chương trình OCOP "
            "các cấp, khi có thay đổi nhân sự đảm bảo đủ thành phần, năng lực triển khai Chương "
            "trình OCOP hiệu quả tại địa phương.\n"
            "Tổ chức đào tạo tập huấn nâng cao năng lực cho đội ngũ cán bộ triển khai Chương trình "
            "OCOP tại các Sở, ban, ngành cấp tỉnh; các phòng ban chuyên môn các huyện, thành phố; "
            "các xã, phường, thị trấn về mục tiêu, nhiệm vụ trọng tâm Chương trình OCOP giai đoạn "
            "2021-2025; quy trình triển khai Chu trình OCOP thường niên; sản phẩm OCOP…; công tác "
            "quản lý, triển khai Chương trình; bộ tiêu chí đánh giá, xếp hạng sản phẩm và hướng "
            "dẫn đánh giá, xếp hạng sản phẩm OCOP hằng năm."
        ),
        "lead_units": "Văn phòng Điều phối nông thôn mới tỉnh; UBND các huyện, thành phố",
        "cooperating_units": "",
        "deadline": None,
    },
]

SEED_REASON = "Nạp từ Kế hoạch 180/KH-UBND ngày 22/03/2024, mục II (chỉ tiêu toàn tỉnh)."
