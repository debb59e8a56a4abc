"""The plan's appendices (Phụ lục 1 and 2) with the year's actuals beside the plan's figures,
laid out as an official document, and a second sheet listing every record counted so that each
figure can be checked. Every number comes from the indicator engine (targets.selectors)."""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl import Workbook

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
from products.models import ADVANCED_QM_STANDARDS, Evaluation, QualityCertification, Traceability
from subjects.models import Linkage, SupportRecord
from targets.models import Plan
from targets.selectors import (
    PRODUCT,
    IndicatorProgress,
    YearProgress,
    indicator_progress,
    indicator_records,
    year_span,
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
    rows = [[index, district.name, *_figures(item.districts[district.code] for item in items)]
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
        values.extend([figure.quota, figure.actual, figure.ratio])
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
    """For each indicator of the appendix, every record the engine counted, by district and
    name: indicator, district, record, its producer or kind, what made it count, and the date."""
    for item in data.items:
        records = indicator_records(item.code, year=data.year).select_related("district")
        if item.kind == PRODUCT:
            records = records.select_related("subject")
        prefetch, describe = EVIDENCE[item.code]
        if prefetch:
            records = records.prefetch_related(prefetch(data.year))
        for record in records.order_by("district__code", "name", "pk"):
            who = (record.subject.name if item.kind == PRODUCT
                   else record.get_subject_type_display())
            basis, day = describe(record, data.year)
            yield [item.indicator.name, record.district.name, record.name, who, basis, day]


# For each indicator: how to fetch, with the records, the related ones that made them count in
# the year (the same conditions as the counting rule), and how to describe the first of them.

def _in_year(start_field: str, end_field: str, year: int) -> Q:
    start, end = year_span(year)
    return Q(**{f"{start_field}__lte": end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start}))


def _evidence(lookup: str, queryset):
    return lambda year: Prefetch(lookup, queryset=queryset(year), to_attr="evidence")


def _first_recognition(product, year):
    e = product.evidence[0] if product.evidence else None
    if e is None:
        return "", None
    return f"Quyết định số {e.decision_number} công nhận {e.stars} sao (lần đầu)", e.decision_date


def _consolidation(subject, year):
    s = subject.evidence[0] if subject.evidence else None
    if s is None:
        return "", None
    return f"Hỗ trợ củng cố, mở rộng quy mô sản xuất: {s.content}", s.date


def _new_subject(subject, year):
    return f"Năm tham gia Chương trình OCOP: {subject.first_year_in_programme}", None


def _traceability(product, year):
    t = product.evidence[0] if product.evidence else None
    return (f"Truy xuất nguồn gốc: {t}", t.started_on) if t else ("", None)


def _linkage(subject, year):
    link = subject.evidence[0] if subject.evidence else None
    if link is None:
        return "", None
    signed = f" ngày {link.contract_date:%d/%m/%Y}" if link.contract_date else ""
    return (f"Hợp đồng liên kết số {link.contract_number or '(không số)'}{signed} với "
            f"{link.partner}", link.valid_from)


def _quality(product, year):
    q = product.evidence[0] if product.evidence else None
    if q is None:
        return "", None
    return f"Chứng nhận {q}{f' số {q.number}' if q.number else ''}", q.issued_on


EVIDENCE = {
    "new_products_3star": (_evidence("evaluations", lambda year: Evaluation.objects.filter(
        stars__gte=3).order_by("decision_date", "pk")), _first_recognition),
    "consolidated_subjects": (_evidence("supports", lambda year: SupportRecord.objects.filter(
        kind=SupportRecord.Kind.CONSOLIDATION, date__range=year_span(year)).order_by(
        "date", "pk")), _consolidation),
    "new_subjects": (None, _new_subject),
    "traceability_products": (_evidence("traceability_records", lambda year: (
        Traceability.objects.filter(_in_year("started_on", "ended_on", year))
        .order_by("started_on", "pk"))), _traceability),
    "linkage_subjects": (_evidence("linkages", lambda year: Linkage.objects.filter(
        _in_year("valid_from", "valid_to", year)).order_by("valid_from", "pk")), _linkage),
    "advanced_qm_products": (_evidence("quality_certifications", lambda year: (
        QualityCertification.objects.filter(
            _in_year("issued_on", "expires_on", year), standard__in=ADVANCED_QM_STANDARDS)
        .order_by("issued_on", "pk"))), _quality),
}
