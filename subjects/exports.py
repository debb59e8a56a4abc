"""Rows of the producers' list for Excel: what the user sees on screen, in their scope, as a
document fit to sign (ocop_portal.excel.OfficialDocument)."""

from django.utils import timezone

from ocop_portal.downloads import Export, list_url
from ocop_portal.excel import Column, OfficialDocument, table_workbook
from subjects.filters import filtered_subjects

# Widths that print one A4 page wide at a readable size; long names wrap. Numbers are centred,
# so that none touches the text of the next column.
SUBJECT_COLUMNS = [
    Column("STT", 7, align="center"), Column("Tên chủ thể", 22), Column("Loại hình", 11),
    Column("Mã số thuế/ĐKKD", 14.5), Column("Người đại diện", 15), Column("Điện thoại", 13.5),
    Column("Địa chỉ", 17), Column("Xã/Phường/Thị trấn", 13), Column("Huyện/Thành phố", 13.5),
    Column("Năm tham gia OCOP", 8.5, align="center"), Column("Số sản phẩm", 8, align="center"),
    Column("Tổng lao động", 8, align="center"), Column("Phụ nữ làm chủ", 8, align="center"),
    Column("Dân tộc thiểu số", 8.5, align="center"),
]


EXPORT_CHUNK = 2000


def subject_rows(subjects):
    """One row a producer; `subjects` comes from subjects.selectors.subject_list_for_user."""
    # Read in chunks as the workbook is written: a national list is never held whole.
    for index, subject in enumerate(subjects.iterator(chunk_size=EXPORT_CHUNK), start=1):
        yield [
            index, subject.name, subject.get_subject_type_display(), subject.registration_number,
            subject.legal_representative, subject.phone, subject.address,
            str(subject.commune) if subject.commune else "", str(subject.district),
            subject.first_year_in_programme, subject.product_count, subject.workers_total,
            subject.female_led, subject.ethnic_minority,
        ]


def subject_workbook(subjects, *, title: str):
    """The list as a document of the provincial office, dated the day it is made."""
    return table_workbook("Chủ thể OCOP", SUBJECT_COLUMNS, subject_rows(subjects), title=title,
                          document=OfficialDocument())


def subject_export(user, params) -> Export:
    """The producers' list as the user sees it with these filters and this order."""
    _, queryset, _, _ = filtered_subjects(user, params)
    today = timezone.localdate()
    scope = user.district if user.is_district_officer else "tỉnh Bắc Kạn"
    title = f"Danh sách chủ thể OCOP {scope} (trích xuất ngày {today:%d/%m/%Y})"
    return Export(filename=f"Chủ thể OCOP {today:%d-%m-%Y}.xlsx", title=title,
                  rows=queryset.count(), build=lambda: subject_workbook(queryset, title=title),
                  back_url=list_url("subjects:list", params))
