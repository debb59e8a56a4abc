"""Plan 180/KH-UBND of 22/03/2024 as reference data: the plan, the seven indicators of its
section II with how the portal counts them (DESIGN.md §4), the provincial quotas, and content 1 of
section III. The appendices with the districts' shares were not published: province staff enter
them on the quota page."""

import datetime as dt

from products.models import ADVANCED_QM_STANDARDS, Standard

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

_ADVANCED_QM_LABELS = ", ".join(Standard(s).label for s in ADVANCED_QM_STANDARDS)

# code, name, short name, unit, appendix, definition (the plan's words), counting rule, quota
INDICATORS = [
    (
        "new_products_3star", "Sản phẩm mới đạt 3 sao trở lên", "SP mới từ 3 sao", "sản phẩm", 1,
        "Phát triển ít nhất 20 sản phẩm mới (bình quân 2-3 sản phẩm/huyện, thành phố) đạt 3 sao "
        "trở lên.",
        "Sản phẩm có quyết định công nhận đầu tiên đạt từ 3 sao trở lên ký trong năm. Nâng hạng, "
        "đánh giá lại, cấp lại không phải sản phẩm mới. Tính cho huyện nơi sản xuất sản phẩm.",
        20,
    ),
    (
        "consolidated_subjects", "Chủ thể có sản phẩm OCOP được củng cố, phát triển",
        "Chủ thể củng cố", "chủ thể", 1,
        "Củng cố, phát triển 8 chủ thể có sản phẩm OCOP đã được công nhận để mở rộng quy mô sản "
        "xuất, tăng khả năng cạnh tranh trên thị trường.",
        "Chủ thể có sản phẩm được công nhận OCOP (từ 3 sao) trước năm và có hỗ trợ loại “Củng cố, "
        "mở rộng quy mô sản xuất” ghi ngày trong năm. Mỗi chủ thể tính một lần, cho huyện theo "
        "địa chỉ của chủ thể.",
        8,
    ),
    (
        "new_subjects", "Chủ thể mới có sản phẩm tham gia", "Chủ thể mới", "chủ thể", 1,
        "Phấn đấu hỗ trợ 8 chủ thể mới có sản phẩm tham gia năm 2024 (bình quân 1 chủ thể/huyện, "
        "thành phố).",
        "Chủ thể có năm tham gia Chương trình OCOP là năm đang xem. Tính cho huyện theo địa chỉ "
        "của chủ thể.",
        8,
    ),
    (
        "traceability_products", "Sản phẩm OCOP có truy xuất nguồn gốc", "SP truy xuất nguồn gốc",
        "sản phẩm", 2,
        "Củng cố nâng cao chất lượng sản phẩm OCOP đã được công nhận: có truy xuất nguồn gốc "
        "(20 sản phẩm).",
        "Sản phẩm có giấy chứng nhận OCOP còn hiệu lực vào một thời điểm trong năm và có truy xuất "
        "nguồn gốc áp dụng vào một thời điểm trong năm. Tính cho huyện nơi sản xuất sản phẩm.",
        20,
    ),
    (
        "linkage_subjects", "Chủ thể tham gia liên kết sản xuất và tiêu thụ sản phẩm",
        "Chủ thể liên kết", "chủ thể", 2,
        "Chủ thể tham gia liên kết trong sản xuất và tiêu thụ sản phẩm (25 chủ thể).",
        "Chủ thể có hợp đồng liên kết còn hiệu lực vào một thời điểm trong năm. Mỗi chủ thể tính "
        "một lần, cho huyện theo địa chỉ của chủ thể.",
        25,
    ),
    (
        "advanced_qm_products", "Sản phẩm OCOP áp dụng quản lý chất lượng tiên tiến",
        "SP quản lý chất lượng", "sản phẩm", 2,
        "Củng cố nâng cao chất lượng sản phẩm OCOP đã được công nhận: quản lý chất lượng tiên tiến "
        "(37 sản phẩm).",
        "Sản phẩm có giấy chứng nhận OCOP còn hiệu lực vào một thời điểm trong năm và có chứng "
        f"nhận {_ADVANCED_QM_LABELS} còn hiệu lực vào một thời điểm trong năm. Tính cho huyện nơi "
        "sản xuất sản phẩm.",
        37,
    ),
    (
        "media_items_monthly", "Tin, bài, phóng sự tuyên truyền về Chương trình OCOP",
        "Tin, bài truyền thông", "tin, bài/tháng", None,
        "Có ít nhất 2 tin, bài, phóng sự/tháng tuyên truyền về Chương trình OCOP trên các phương "
        "tiện truyền thông trung ương và địa phương.",
        "Tin, bài đăng trong từng tháng của năm (giờ Việt Nam); một tháng đạt khi có từ số tin, "
        "bài của chỉ tiêu trở lên. Kết quả toàn tỉnh là số tháng đạt trên 12 tháng. Theo huyện: "
        "số tin, bài gắn với huyện trong năm; tin, bài không gắn với huyện nào chỉ tính vào toàn "
        "tỉnh.",
        2,
    ),
]

TASKS = [
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
