"""The plan's appendices (Phụ lục 1 and 2) with the year's actuals beside the plan's figures,
laid out as an official document, and a second sheet listing every record counted so that each
figure can be checked. Every number comes from the indicator engine (targets.selectors)."""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook

from ocop_portal.domain import year_span
from ocop_portal.excel import (
    LINE_HEIGHT,
    Column,
    ColumnGroup,
    HeadingLine,
    print_setup,
    text_height,
    write_heading,
    write_table,
)
from ocop_portal.numbers import percent_ratio
from targets.indicators import PRODUCT, Period, entry_for, indicator_records
from targets.models import Plan
from targets.selectors import IndicatorProgress, YearProgress, indicator_progress

APPENDICES = (1, 2)
APPENDIX_TITLES = {
    1: "KẾT QUẢ THỰC HIỆN CHỈ TIÊU PHÁT TRIỂN SẢN PHẨM OCOP MỚI, CỦNG CỐ CHỦ THỂ "
       "VÀ PHÁT TRIỂN CHỦ THỂ MỚI NĂM {year}",
    2: "KẾT QUẢ THỰC HIỆN CHỈ TIÊU NÂNG CAO CHẤT LƯỢNG SẢN PHẨM OCOP: TRUY XUẤT NGUỒN GỐC, "
       "LIÊN KẾT SẢN XUẤT VÀ QUẢN LÝ CHẤT LƯỢNG TIÊN TIẾN NĂM {year}",
}
PERCENT = "0%"
LEADING = [Column("STT", 5, align="center"), Column("Huyện, thành phố", 20)]
FIGURES = [Column("Kế hoạch", 9.5, align="center"), Column("Thực hiện", 9.5, align="center"),
           Column("Tỷ lệ (%)", 9.5, PERCENT, align="center")]
LIST_COLUMNS = [
    Column("STT", 6, align="center"), Column("Chỉ tiêu", 26), Column("Huyện, thành phố", 16),
    Column("Sản phẩm, chủ thể", 28), Column("Chủ thể sản xuất / loại hình", 24),
    Column("Căn cứ được tính", 46), Column("Ngày", 11, align="center"),
]


@dataclass
class AppendixData:
    number: int
    plan: Plan
    progress: YearProgress
    items: list[IndicatorProgress]

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
    group_width = sum(c.width for c in FIGURES)
    sheet.row_dimensions[start_row].height = max(
        text_height(g.title, group_width, bold=True) for g in groups if g) if items else None
    sheet.row_dimensions[start_row + 1].height = 2 * LINE_HEIGHT  # "Tỷ lệ (%)" may wrap
    return start_row, last_row


def _figures(figures) -> list:
    values = []
    for figure in figures:
        values.extend([figure.quota, figure.actual, percent_ratio(figure.ratio)])
    return values


def _width(columns: Sequence[Column]) -> float:
    return sum(column.width for column in columns)


def appendix_workbook(data: AppendixData) -> Workbook:
    """Phụ lục `number` as an official appendix, with the list of counted records."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Phụ lục {data.number}"
    column_count = len(LEADING) + len(FIGURES) * len(data.items)
    width = _width(LEADING) + _width(FIGURES) * len(data.items)
    title = APPENDIX_TITLES[data.number].format(year=data.year)
    plan = data.plan
    header_row = write_heading(sheet, [
        HeadingLine(plan.issuer.upper(), bold=True, columns=3),
        HeadingLine(""),
        HeadingLine(f"PHỤ LỤC {data.number}", bold=True, size=13),
        HeadingLine(title, bold=True, height=text_height(title, width, size=12, bold=True)),
        HeadingLine(f"(Kèm theo Kế hoạch số {plan.number} ngày {official_date(plan.issued_on)} "
                    f"của {plan.issuer})", italic=True),
        HeadingLine(f"Số liệu tính đến ngày {data.as_of:%d/%m/%Y}", italic=True),
        HeadingLine(""),
    ], width=column_count)
    first, last = write_indicator_table(sheet, data.progress, data.items, start_row=header_row)
    _write_notes(sheet, data.items, start_row=last + 2, width=width, column_count=column_count)
    print_setup(sheet, title_rows=(first, first + 1))
    _write_list_sheet(workbook.create_sheet("Danh sách"), data)
    return workbook


def _write_notes(sheet, items, *, start_row, width, column_count):
    notes = [HeadingLine("Ghi chú:", bold=True, align="left")]
    notes.append(HeadingLine(
        "- Tỷ lệ (%) = Thực hiện / Kế hoạch; để trống khi chưa giao kế hoạch. Danh sách hồ sơ "
        "được tính ở trang “Danh sách”.", align="left", size=11))
    for item in items:
        text = f"- {item.indicator.name}: {item.indicator.counting_rule}"
        notes.append(HeadingLine(text, align="left", size=11,
                                 height=text_height(text, width)))
    write_heading(sheet, notes, width=column_count, start_row=start_row)


def _write_list_sheet(sheet, data: AppendixData):
    title = (f"DANH SÁCH HỒ SƠ ĐƯỢC TÍNH VÀO KẾT QUẢ THỰC HIỆN – PHỤ LỤC {data.number}, "
             f"KẾ HOẠCH SỐ {data.plan.number}, NĂM {data.year}")
    write_heading(sheet, [
        HeadingLine(title, bold=True,
                    height=text_height(title, _width(LIST_COLUMNS), size=12, bold=True)),
        HeadingLine(f"Số liệu tính đến ngày {data.as_of:%d/%m/%Y}", italic=True),
    ], width=len(LIST_COLUMNS))
    rows = ([index, *row] for index, row in enumerate(counted_rows(data), start=1))
    write_table(sheet, LIST_COLUMNS, rows, start_row=4)
    print_setup(sheet, title_rows=(4, 4))


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
        for record in records.order_by("district__code", "name", "pk"):
            who = (record.subject.name if entry.kind == PRODUCT
                   else record.get_subject_type_display())
            basis, day = entry.describe(record)
            yield [entry.name, record.district.short_name, record.name, who, basis, day]
