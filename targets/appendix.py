"""The plan's appendices (Phụ lục 1 and 2) with the year's actuals beside the plan's figures,
laid out as an official document fit to sign (the national heading opposite the plan's issuer,
the date it is made, the signatures), and a second sheet listing every record counted so that
each figure can be checked. Every number comes from the indicator engine (targets.selectors)."""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from ocop_portal.collation import vietnamese
from ocop_portal.domain import year_span
from ocop_portal.downloads import Export
from ocop_portal.excel import (
    BODY_SIZE,
    HEADING_SIZE,
    Column,
    ColumnGroup,
    HeadingLine,
    OfficialDocument,
    keep_together,
    new_workbook,
    print_setup,
    repeat_header_if_split,
    write_heading,
    write_table,
)
from ocop_portal.numbers import percent_ratio
from targets.forms import year_asked
from targets.indicators import PRODUCT, Period, entry_for, indicator_records
from targets.models import Plan
from targets.selectors import (
    IndicatorProgress,
    YearProgress,
    indicator_progress,
    plan_get,
    progress_mismatches,
    require_report_reader,
)

APPENDICES = (1, 2)
APPENDIX_TITLES = {
    1: "KẾT QUẢ THỰC HIỆN CHỈ TIÊU PHÁT TRIỂN SẢN PHẨM OCOP MỚI, CỦNG CỐ CHỦ THỂ "
       "VÀ PHÁT TRIỂN CHỦ THỂ MỚI NĂM {year}",
    2: "KẾT QUẢ THỰC HIỆN CHỈ TIÊU NÂNG CAO CHẤT LƯỢNG SẢN PHẨM OCOP: TRUY XUẤT NGUỒN GỐC, "
       "LIÊN KẾT SẢN XUẤT VÀ QUẢN LÝ CHẤT LƯỢNG TIÊN TIẾN NĂM {year}",
}
PERCENT = "0%"
LEADING = [Column("STT", 5, align="center"), Column("Huyện, thành phố", 20)]
# Wide enough that "Kế hoạch", "Thực hiện" and "Tỷ lệ (%)" each hold on one line, and an
# indicator's name over the three in two lines.
FIGURES = [Column("Kế hoạch", 11, align="center"), Column("Thực hiện", 11, align="center"),
           Column("Tỷ lệ (%)", 11, PERCENT, align="center")]
LIST_COLUMNS = [
    Column("STT", 7, align="center"), Column("Chỉ tiêu", 26), Column("Huyện, thành phố", 16),
    Column("Sản phẩm, chủ thể", 28), Column("Chủ thể sản xuất / loại hình", 24),
    Column("Căn cứ được tính", 46), Column("Ngày", 12, align="center"),
]


@dataclass
class AppendixData:
    number: int
    plan: Plan
    progress: YearProgress
    items: list[IndicatorProgress]
    # The day the workbook is made, for its place-and-date line (the figures' day is as_of).
    generated_on: dt.date = field(default_factory=timezone.localdate)

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def as_of(self) -> dt.date:
        """The day the figures run to: today, or the year's last day once it is over."""
        return min(self.progress.today, year_span(self.year)[1])

    @property
    def filename(self) -> str:
        number = self.plan.number.replace("/", "-")
        return f"Phụ lục {self.number} - Kế hoạch {number} năm {self.year}.xlsx"


def appendix_data(*, number: int, plan: Plan, today: dt.date | None = None) -> AppendixData:
    """The engine's figures for the indicators of appendix `number` of `plan`."""
    if number not in APPENDICES:
        raise ValueError(f"Kế hoạch chỉ có Phụ lục 1 và 2, không có Phụ lục {number}.")
    progress = indicator_progress(year=plan.year, today=today or timezone.localdate())
    items = [item for item in progress.indicators if item.indicator.appendix == number]
    return AppendixData(number=number, plan=plan, progress=progress, items=items)


def official_date(day: dt.date) -> str:
    """A date as official documents write it in running text: 22/3/2024."""
    return f"{day.day}/{day.month}/{day.year}"


def write_indicator_table(sheet, progress: YearProgress, items: Sequence[IndicatorProgress], *,
                          start_row: int) -> tuple[int, int]:
    """The table of an appendix: STT, the district, then for each indicator its plan figure,
    actual and ratio under a merged header; a row a district of the year in code order, and
    "Tổng cộng" last. Returns the first header row and the last row written."""
    columns = [*LEADING]
    groups: list[ColumnGroup | None] = [None, None]
    for item in items:
        columns.extend(FIGURES)
        groups.append(ColumnGroup(f"{item.indicator.name} ({item.indicator.unit})", len(FIGURES)))
    rows = [[index, district.short_name, *_figures(item.districts[district.code] for item in items)]
            for index, district in enumerate(progress.districts, start=1)]
    total = [None, "Tổng cộng", *_figures(item.total for item in items)]
    last_row = write_table(sheet, columns, rows, start_row=start_row, groups=groups, total=total,
                           freeze=False)
    return start_row, last_row


def indicator_widths(items: Sequence[IndicatorProgress]) -> list[float]:
    """The widths of the columns of `write_indicator_table` for these indicators."""
    return [column.width for column in [*LEADING, *FIGURES * len(items)]]


def quota_notes(progress: YearProgress, items: Sequence[IndicatorProgress]) -> list[str]:
    """A note for each of these indicators whose districts' quotas do not add up to the
    province's: the "Kế hoạch" of the "Tổng cộng" row is the province's quota, not the sum of
    the rows above it, and a reader adding up the column must be told why they differ."""
    shown = {item.indicator.pk for item in items}
    notes = []
    for mismatch in progress_mismatches(progress):
        indicator = mismatch.indicator
        if indicator.pk not in shown:
            continue
        province = (f"chỉ tiêu toàn tỉnh là {mismatch.total} {indicator.unit}"
                    if mismatch.total is not None else "toàn tỉnh chưa giao chỉ tiêu")
        notes.append(f"- {indicator.name}: tổng chỉ tiêu các huyện, thành phố là "
                     f"{mismatch.districts_sum} {indicator.unit}, chưa khớp với {province} "
                     f"(cột Kế hoạch ở dòng “Tổng cộng” ghi chỉ tiêu toàn tỉnh).")
    return notes


def pending_notes(progress: YearProgress, items: Sequence[IndicatorProgress]) -> list[str]:
    """A note for each of these indicators with records awaiting the province's review: how
    many, in all and by district, beside the actual that does not count them
    (ocop_portal.review)."""
    notes = []
    for item in items:
        if not item.total.pending:
            continue
        where = "; ".join(f"{district.short_name} {item.districts[district.code].pending}"
                          for district in progress.districts
                          if item.districts[district.code].pending)
        unit = "tin, bài" if item.is_media else item.indicator.unit
        notes.append(f"- {item.indicator.name}: {item.total.pending} {unit} do huyện nhập đang "
                     f"chờ Văn phòng Điều phối tỉnh xác nhận, chưa tính vào cột Thực hiện"
                     f"{f' ({where})' if where else ''}.")
    return notes


def _figures(figures) -> list:
    values = []
    for figure in figures:
        values.extend([figure.quota, figure.actual, percent_ratio(figure.ratio)])
    return values


def appendix_workbook(data: AppendixData) -> Workbook:
    """Phụ lục `number` as an official appendix fit to sign, with the list of counted
    records."""
    workbook = new_workbook()
    sheet = workbook.create_sheet(f"Phụ lục {data.number}")
    widths = indicator_widths(data.items)
    title = APPENDIX_TITLES[data.number].format(year=data.year)
    plan = data.plan
    document = OfficialDocument(on=data.generated_on, issuer=(plan.issuer.upper(),))
    title_row = document.write_heading(sheet, widths)
    header_row = write_heading(sheet, [
        HeadingLine(f"PHỤ LỤC {data.number}", bold=True, size=HEADING_SIZE),
        HeadingLine(title, bold=True),
        HeadingLine(f"(Kèm theo Kế hoạch số {plan.number} ngày {official_date(plan.issued_on)} "
                    f"của {plan.issuer})", italic=True),
        HeadingLine(f"Số liệu tính đến ngày {data.as_of:%d/%m/%Y}", italic=True),
        HeadingLine(""),
    ], width=len(widths), start_row=title_row, widths=widths)
    first, last = write_indicator_table(sheet, data.progress, data.items, start_row=header_row)
    notes_end = _write_notes(sheet, data, start_row=last + 2, widths=widths)
    signature_end = document.write_signature(sheet, widths, start_row=notes_end + 2)
    print_setup(sheet)
    # The titles with the whole table (a row a district); the notes' heading with its first
    # line; the signatures with the last note.
    keep_together(sheet, [(title_row, last), (last + 2, last + 3), (notes_end, signature_end)])
    repeat_header_if_split(sheet, (first, first + 1), last)
    _write_list_sheet(workbook.create_sheet("Danh sách"), data)
    return workbook


def _write_notes(sheet, data: AppendixData, *, start_row: int, widths: Sequence[float]) -> int:
    """The notes under the table; returns their last row."""
    texts = ["- Tỷ lệ (%) = Thực hiện / Kế hoạch; để trống khi chưa giao kế hoạch. Danh sách hồ "
             "sơ được tính ở trang “Danh sách”.",
             *quota_notes(data.progress, data.items),
             *pending_notes(data.progress, data.items),
             *(f"- {item.indicator.name}: {item.indicator.counting_rule}" for item in data.items)]
    notes = [HeadingLine("Ghi chú:", bold=True, align="left"),
             *(HeadingLine(text, align="justify", size=BODY_SIZE) for text in texts)]
    return write_heading(sheet, notes, width=len(widths), start_row=start_row, widths=widths) - 1


def _write_list_sheet(sheet, data: AppendixData):
    """The records counted, a row each; the header in row 4, repeated on every page."""
    title = (f"DANH SÁCH HỒ SƠ ĐƯỢC TÍNH VÀO KẾT QUẢ THỰC HIỆN – PHỤ LỤC {data.number}, "
             f"KẾ HOẠCH SỐ {data.plan.number}, NĂM {data.year}")
    widths = [column.width for column in LIST_COLUMNS]
    write_heading(sheet, [
        HeadingLine(title, bold=True, size=HEADING_SIZE),
        HeadingLine(f"Số liệu tính đến ngày {data.as_of:%d/%m/%Y}", italic=True),
    ], width=len(LIST_COLUMNS), widths=widths)
    rows = ([index, *row] for index, row in enumerate(counted_rows(data), start=1))
    last = write_table(sheet, LIST_COLUMNS, rows, start_row=4)
    print_setup(sheet, title_rows=(4, 4))
    keep_together(sheet, [(1, min(last, 6))])


def counted_rows(data: AppendixData) -> Iterator[list]:
    """For each indicator of the appendix, every record the engine counted (as of the engine's
    day), by district and name: indicator, district, record, its producer or kind, what made it
    count (the registry's evidence), and the date."""
    period = Period(year=data.year, as_of=data.progress.today)
    for item in data.items:
        entry = entry_for(item.code)
        records = indicator_records(item.code, year=data.year, today=data.progress.today)
        records = entry.with_evidence(records.select_related("district"), period)
        if entry.kind == PRODUCT:
            records = records.select_related("subject")
        for record in records.order_by("district__code", vietnamese("name"), "pk"):
            who = (record.subject.name if entry.kind == PRODUCT
                   else record.get_subject_type_display())
            basis, day = entry.describe(record)
            yield [entry.name, record.district.short_name, record.name, who, basis, day]


def appendix_export(user, params) -> Export:
    """Phụ lục `?number=` of the plan of `?year=` (the plan in force without one), for a user
    who may read reports; as long as the records it lists, with a row a district above them."""
    require_report_reader(user)
    number = params.get("number", "")
    if not number.isdigit() or int(number) not in APPENDICES:
        raise Http404("Kế hoạch chỉ có Phụ lục 1 và 2.")
    data = appendix_data(number=int(number), plan=plan_get(year_asked(params)))
    rows = len(data.progress.districts) + sum(item.total.actual for item in data.items)
    return Export(filename=data.filename, title=f"Phụ lục {data.number} năm {data.year}",
                  rows=rows, build=lambda: appendix_workbook(data),
                  back_url=reverse("reports:list"))
