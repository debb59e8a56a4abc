"""Rows of the producers' list for Excel: what the user sees on screen, in their scope."""

from ocop_portal.excel import Column, table_workbook

SUBJECT_COLUMNS = [
    Column("STT", 6), Column("Tên chủ thể", 36), Column("Loại hình", 16),
    Column("Mã số thuế/ĐKKD", 16), Column("Người đại diện", 24), Column("Điện thoại", 14),
    Column("Địa chỉ", 24), Column("Xã/Phường/Thị trấn", 20), Column("Huyện/Thành phố", 18),
    Column("Năm tham gia OCOP", 12), Column("Số sản phẩm", 10), Column("Tổng lao động", 10),
    Column("Phụ nữ làm chủ", 10), Column("Dân tộc thiểu số", 10),
]


def subject_rows(subjects):
    """One row a producer; `subjects` comes from subjects.selectors.subject_list_for_user."""
    for index, subject in enumerate(subjects, start=1):
        yield [
            index, subject.name, subject.get_subject_type_display(), subject.registration_number,
            subject.legal_representative, subject.phone, subject.address,
            str(subject.commune) if subject.commune else "", str(subject.district),
            subject.first_year_in_programme, subject.product_count, subject.workers_total,
            subject.female_led, subject.ethnic_minority,
        ]


def subject_workbook(subjects, *, title: str):
    return table_workbook("Chủ thể OCOP", SUBJECT_COLUMNS, subject_rows(subjects), title=title)
