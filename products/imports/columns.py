"""Template v1 of the product import (DESIGN.md §6): its columns, in order, with what each
accepts. The header names are a contract with the province's workbooks: extend, never rename."""

from dataclasses import dataclass

from ocop_portal.text import fold


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    title: str
    required: str  # "có", "không" or when it is required
    values: str
    width: float = 18


COLUMNS = [
    TemplateColumn("product_name", "Tên sản phẩm", "Có", "Tên sản phẩm như trên giấy chứng nhận.",
                   30),
    TemplateColumn("subject_name", "Chủ thể", "Có",
                   "Tên chủ thể (hợp tác xã, doanh nghiệp, hộ kinh doanh...).", 32),
    TemplateColumn("subject_type", "Loại hình chủ thể", "Có",
                   "Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Hộ kinh doanh hoặc Cơ sở sản xuất.", 18),
    TemplateColumn("registration_number", "Mã số thuế/ĐKKD", "Không",
                   "Mã số thuế hoặc số đăng ký kinh doanh; khi có, dùng để nhận ra chủ thể đã có "
                   "trong cổng. Định dạng ô là Văn bản để giữ số 0 ở đầu.", 18),
    TemplateColumn("district", "Huyện/Thành phố", "Có",
                   "Tên (“Chợ Đồn”, “Huyện Chợ Đồn”, “Thành phố Bắc Kạn”) hoặc mã (“064”).", 18),
    TemplateColumn("commune", "Xã/Phường/Thị trấn", "Không",
                   "Tên (“Bằng Phúc”, “Thị trấn Bằng Lũng”) hoặc mã (“02041”); phải thuộc "
                   "huyện/thành phố ở cột trước.", 20),
    TemplateColumn("group", "Nhóm sản phẩm", "Có",
                   "Một trong sáu nhóm của QĐ 148/QĐ-TTg (2023), xem danh sách bên dưới.", 22),
    TemplateColumn("stars", "Số sao", "Không",
                   "3, 4 hoặc 5; để trống nếu sản phẩm chưa được công nhận.", 9),
    TemplateColumn("score", "Điểm", "Không",
                   "Từ 0 đến 100 (ví dụ 72,5), phải thuộc khung điểm của số sao: 3 sao từ 50 đến "
                   "dưới 70, 4 sao từ 70 đến dưới 90, 5 sao từ 90 đến 100.", 9),
    TemplateColumn("level", "Cấp công nhận", "Không",
                   "Huyện, Tỉnh hoặc Trung ương. Để trống: theo QĐ 148 (3 sao huyện, 4 sao tỉnh, "
                   "5 sao trung ương); quyết định trước 24/02/2023: 3 và 4 sao cấp tỉnh.", 14),
    TemplateColumn("decision_number", "Số quyết định", "Khi có Số sao",
                   "Số quyết định công nhận, ví dụ 1234/QĐ-UBND.", 18),
    TemplateColumn("decision_date", "Ngày quyết định", "Khi có Số sao",
                   "dd/mm/yyyy (ví dụ 29/02/2024) hoặc ô kiểu ngày của Excel; không sau hôm nay.",
                   16),
    TemplateColumn("first_year", "Năm tham gia", "Không",
                   "Năm chủ thể tham gia Chương trình OCOP (ví dụ 2021); chỉ ghi vào chủ thể mới "
                   "được tạo.", 12),
    TemplateColumn("traceability", "Truy xuất nguồn gốc", "Không",
                   "Có hoặc Không. “Có”: ghi nhận sản phẩm có truy xuất nguồn gốc, áp dụng từ "
                   "ngày quyết định của dòng (không có quyết định: từ ngày nhập), nếu sản phẩm "
                   "chưa có.", 14),
    TemplateColumn("standards", "Tiêu chuẩn chất lượng", "Không",
                   "Các tiêu chuẩn cách nhau bởi dấu phẩy, ví dụ “VietGAP, ISO 22000”; mỗi tiêu "
                   "chuẩn chỉ thêm một lần, ngày cấp lấy theo ngày quyết định của dòng (không có "
                   "quyết định: ngày nhập).", 24),
    # Added after v1 (optional, so that v1 files import as before).
    TemplateColumn("cycle_year", "Năm chu trình", "Khi có Giai đoạn",
                   "Năm của chu trình OCOP sản phẩm tham gia (ví dụ 2024). Dòng không có Số "
                   "sao: đăng ký sản phẩm vào chu trình đó hoặc chuyển sang giai đoạn ở cột "
                   "sau (ghi ngày nhập); dòng có quyết định: đánh giá thuộc chu trình đó và kết "
                   "thúc chu trình.", 12),
    TemplateColumn("stage", "Giai đoạn", "Không",
                   "Một trong: Đăng ký; Phương án sản xuất kinh doanh; Đánh giá cấp huyện; Đánh "
                   "giá cấp tỉnh; Đánh giá cấp trung ương; Quyết định công nhận (chỉ cùng Số sao "
                   "và quyết định). Để trống: Đăng ký.", 22),
    TemplateColumn("score_a", "Điểm phần A", "Không",
                   "Điểm phần A (sản phẩm và sức mạnh cộng đồng): tối đa 40 theo QĐ 148/2023, "
                   "35 theo QĐ 1048/2019 (quyết định trước 24/02/2023). Ghi cả ba phần hoặc để "
                   "trống cả ba; tổng ba phần phải bằng cột Điểm (nếu có).", 10),
    TemplateColumn("score_b", "Điểm phần B", "Không",
                   "Điểm phần B (khả năng tiếp thị): tối đa 25 theo cả hai bộ tiêu chí.", 10),
    TemplateColumn("score_c", "Điểm phần C", "Không",
                   "Điểm phần C (chất lượng sản phẩm): tối đa 35 theo QĐ 148/2023, 40 theo QĐ "
                   "1048/2019.", 10),
]

BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_KEYS = ("product_name", "subject_name", "subject_type", "district", "group")


def title(key: str) -> str:
    return BY_KEY[key].title


def header_key(text) -> str:
    """How a header cell is compared with the template: case, diacritics, spacing and a trailing
    “*” ignored, so “TÊN SẢN PHẨM *” is the column “Tên sản phẩm”."""
    return fold(str(text or "")).rstrip("* ").strip()


KEY_BY_HEADER = {header_key(column.title): column.key for column in COLUMNS}


_POSITION = {column.title: index for index, column in enumerate(COLUMNS)}


def position(column_title: str | None) -> int:
    """Where a column stands in the template, to list a row's issues left to right."""
    if column_title is None:
        return -1
    return _POSITION.get(column_title, len(COLUMNS))
