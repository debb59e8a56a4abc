"""What a monthly report says: the engine's figures for a month, a short paragraph in
Vietnamese written from them, and the workbook. Reads only; targets.reports stores and sends.

Figures of the year are the engine's (targets.selectors) with `today` set to the month's last
day, so statuses are judged against the time gone by at the end of the month; the engine counts
the records dated in the year that the portal holds when the report is built.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook

from ocop_portal import numbers
from ocop_portal.collation import vietnamese
from ocop_portal.domain import REPORT_EXPIRY_DAYS
from ocop_portal.excel import (
    BODY_SIZE,
    HEADING_SIZE,
    NOTHING,
    Column,
    HeadingLine,
    OfficialDocument,
    keep_together,
    new_workbook,
    print_setup,
    write_heading,
    write_table,
)
from products.models import Evaluation, Product
from targets import closing
from targets.appendix import (
    indicator_widths,
    official_date,
    pending_notes,
    quota_notes,
    write_indicator_table,
)
from targets.indicators import MEDIA_CODE, indicator_records
from targets.indicators import rules as counting
from targets.models import PlanTask
from targets.selectors import (
    Figure,
    IndicatorProgress,
    YearProgress,
    indicator_progress,
    overdue_plan_tasks,
)

EXPIRY_DAYS = REPORT_EXPIRY_DAYS
NEW_PRODUCTS = "new_products_3star"


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@dataclass
class MonthFigures:
    month: dt.date  # the first day
    progress: YearProgress
    new_products: list[Product]
    decisions: list[Evaluation]
    media_items: list
    # In force on the month's last day and lapsing within EXPIRY_DAYS of it, each with the
    # certificate as it stood that day (certificate_number, _stars, _valid_to).
    expiring: list[Product]
    overdue_tasks: list[PlanTask]
    # The day the month's figures were closed (chốt số liệu), when it is closed as the report
    # is built; and the reopens and re-closes since the previous month's report.
    closed_on: dt.date | None = None
    close_events: list[closing.CloseEvent] = field(default_factory=list)

    @property
    def end(self) -> dt.date:
        return month_end(self.month)

    @property
    def list_rows(self) -> int:
        """The rows of the workbook's tables: a row a district, and the lists' rows."""
        return (len(self.progress.districts) + len(self.decisions) + len(self.media_items)
                + len(self.expiring) + len(self.overdue_tasks))

    @property
    def label(self) -> str:
        return f"{self.month.month}/{self.month.year}"

    @property
    def media(self) -> IndicatorProgress:
        return self.progress.indicator(MEDIA_CODE)

    @property
    def media_per_month(self) -> int:
        return self.media.items_per_month

    @property
    def media_in_month(self) -> int:
        return self.media.months[self.month.month - 1].items

    @property
    def media_met(self) -> bool:
        return self.media.months[self.month.month - 1].met

    @property
    def counted(self) -> list[IndicatorProgress]:
        """The indicators split by district (the appendices'), in the plan's order."""
        return [item for item in self.progress.indicators if item.indicator.appendix]


def month_figures(month: dt.date) -> MonthFigures:
    """The registry's figures and lists for the month starting on `month`, all as of its last
    day: a report rebuilt later says what the month said."""
    end = month_end(month)
    progress = indicator_progress(year=month.year, today=end)
    # New in the month: counted at its end and not yet the day before it began.
    before = indicator_records(NEW_PRODUCTS, year=month.year, today=month - dt.timedelta(days=1))
    new_products = list(
        indicator_records(NEW_PRODUCTS, year=month.year, today=end)
        .exclude(pk__in=before.values("pk"))
        .select_related("subject", "district").order_by("district__code", vietnamese("name"), "pk"))
    decisions = list(
        counting.recognitions().filter(decision_date__range=(month, end))
        .select_related("product__subject", "product__district")
        .order_by("decision_date", "product__district__code", "product__name", "pk"))
    media_items = list(
        indicator_records(f"month:{month.month}", year=month.year, today=end)
        .select_related("outlet", "district").order_by("published_at", "pk"))
    # The dashboard's expiry radar, on the month's last day.
    expiring = list(counting.with_certificate_on(
        indicator_records(f"expiring_{EXPIRY_DAYS}", year=month.year, today=end), end)
        .select_related("subject", "district").order_by("certificate_valid_to", "pk"))
    close, close_events = closing.report_close_note(month)
    return MonthFigures(
        month=month, progress=progress, new_products=new_products, decisions=decisions,
        media_items=media_items, expiring=expiring,
        overdue_tasks=overdue_plan_tasks(today=end),
        closed_on=closing.local_day(close.closed_at) if close else None,
        close_events=close_events)


def percent_text(figure: Figure) -> str:
    """The share of the target reached, rounded by the portal's one rule (ocop_portal.numbers):
    63% for 5/8, as on the dashboard and in the workbook's cell."""
    return numbers.percent_text(figure.ratio)


def _year_figure(item: IndicatorProgress) -> str:
    name = item.indicator.name[0].lower() + item.indicator.name[1:]
    total = item.total
    if total.ratio is None:
        return f"{name}: {total.actual} {item.indicator.unit} (chưa giao chỉ tiêu)"
    return (f"{name}: {total.actual}/{total.quota} {item.indicator.unit}, đạt "
            f"{percent_text(total)}")


def month_paragraph(figures: MonthFigures) -> str:
    """A few sentences in Vietnamese that say what the month's figures are."""
    year = figures.month.year
    new = figures.progress.indicator(NEW_PRODUCTS).total
    if new.ratio is None:
        cumulative = f"lũy kế năm {year}: {new.actual} sản phẩm, chưa giao chỉ tiêu"
    else:
        cumulative = (f"lũy kế năm {year}: {new.actual}/{new.quota} sản phẩm, đạt "
                      f"{percent_text(new)} kế hoạch")
    others = len(figures.decisions) - len(figures.new_products)
    added = (f"có thêm {len(figures.new_products)} sản phẩm" if figures.new_products
             else "không có thêm sản phẩm nào")
    sentence = (f"Trong tháng {figures.label}, toàn tỉnh {added} được công nhận đạt 3 sao trở lên "
                f"({cumulative})")
    if others > 0:
        sentence += f"; {others} quyết định công nhận khác (nâng hạng, đánh giá lại, cấp lại)"
    met = "đạt" if figures.media_met else "chưa đạt"
    sentence += (f"; đăng {figures.media_in_month} tin, bài tuyên truyền ({met} chỉ tiêu "
                 f"{figures.media_per_month} tin, bài/tháng).")
    rest = [_year_figure(item) for item in figures.counted if item.code != NEW_PRODUCTS]
    text = sentence
    if rest:
        text += f" Lũy kế năm {year}: " + "; ".join(rest) + "."
    expiring = (f"Có {len(figures.expiring)} giấy chứng nhận OCOP" if figures.expiring
                else "Không có giấy chứng nhận OCOP nào")
    overdue = (f"{len(figures.overdue_tasks)} nội dung của kế hoạch quá hạn chưa hoàn thành"
               if figures.overdue_tasks else "không có nội dung nào của kế hoạch quá hạn")
    return (f"{text} {expiring} hết hạn trong {EXPIRY_DAYS} ngày tính từ {figures.end:%d/%m/%Y}; "
            f"{overdue}.")


def month_summary(figures: MonthFigures) -> dict:
    """The figures kept on the report record (JSON), for the list page and the e-mail."""
    return {
        "month": f"{figures.month:%Y-%m}",
        "new_products": len(figures.new_products),
        "decisions": len(figures.decisions),
        "media_items": figures.media_in_month,
        "media_per_month": figures.media_per_month,
        "media_met": figures.media_met,
        "expiring": len(figures.expiring),
        "overdue_tasks": len(figures.overdue_tasks),
        "indicators": [
            {"code": item.code, "name": item.indicator.name, "quota": item.total.quota,
             "actual": item.total.actual,
             "ratio": None if item.total.ratio is None else round(item.total.ratio, 4)}
            for item in figures.counted
        ],
        "paragraph": month_paragraph(figures),
        "closed_on": f"{figures.closed_on:%d/%m/%Y}" if figures.closed_on else None,
        "close_events": [event.sentence() for event in figures.close_events],
    }


def month_workbook(figures: MonthFigures, *, generated_at: dt.datetime) -> Workbook:
    """The month's workbook: the summary sheet, a report fit to sign dated the day it is made,
    then one sheet per list, each saying it goes with the report."""
    workbook = new_workbook()
    _summary_sheet(workbook.create_sheet("Tổng hợp"), figures, generated_at)
    _decisions_sheet(workbook.create_sheet("SP công nhận trong tháng"), figures)
    _media_sheet(workbook.create_sheet("Tin bài trong tháng"), figures)
    _expiring_sheet(workbook.create_sheet("GCN sắp hết hạn"), figures)
    _tasks_sheet(workbook.create_sheet("Nhiệm vụ quá hạn"), figures)
    return workbook


def _local_day(moment: dt.datetime) -> dt.date:
    """The day of `moment` in the portal's time zone (a naive time is taken as local)."""
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date()


def _report_name(figures: MonthFigures) -> str:
    return f"Báo cáo tiến độ thực hiện Chương trình OCOP tháng {figures.label}"


def _summary_sheet(sheet, figures: MonthFigures, generated_at: dt.datetime):
    per_part = {1: [], 2: []}
    for item in figures.counted:
        per_part[item.indicator.appendix].append(item)
    widths = indicator_widths(max(per_part.values(), key=len))
    plan = figures.progress.plan
    basis = (f"(Thực hiện Kế hoạch số {plan.number} ngày {official_date(plan.issued_on)} của "
             f"{plan.issuer})" if plan else f"(Năm {figures.month.year} chưa có kế hoạch)")
    document = OfficialDocument(on=_local_day(generated_at))
    title_row = document.write_heading(sheet, widths)
    section = _lines(sheet, widths, title_row, [
        HeadingLine(_report_name(figures).upper(), bold=True, size=HEADING_SIZE),
        HeadingLine(basis, italic=True),
        HeadingLine(f"Lập lúc {generated_at:%H:%M ngày %d/%m/%Y}; số liệu lũy kế từ đầu năm "
                    f"{figures.month.year} đến hết ngày {month_end(figures.month):%d/%m/%Y}.",
                    italic=True, size=BODY_SIZE),
        *_close_lines(figures),
        HeadingLine(""),
        HeadingLine("I. TÓM TẮT", bold=True, align="left"),
        HeadingLine(month_paragraph(figures), align="justify"),
        HeadingLine(""),
    ])
    # Kept on one page each: the titles with the summary; section II's heading with the first
    # table; each part's heading with its table and notes; section III with the signatures.
    blocks = [(title_row, section - 2)]
    row = _lines(sheet, widths, section, [HeadingLine(
        f"II. KẾT QUẢ THỰC HIỆN CHỈ TIÊU (lũy kế năm {figures.month.year}, theo huyện)",
        bold=True, align="left")])
    start = section
    for part, items in per_part.items():
        if not items:
            continue
        row = _lines(sheet, widths, row, [HeadingLine(f"Chỉ tiêu Phụ lục {part}", italic=True,
                                                      align="left")])
        _, last = write_indicator_table(sheet, figures.progress, items, start_row=row)
        notes = [HeadingLine(text, align="justify", size=BODY_SIZE)
                 for text in [*quota_notes(figures.progress, items),
                              *pending_notes(figures.progress, items)]]
        row = _lines(sheet, widths, last + 1, notes)
        blocks.append((start, row - 1))
        row = start = row + 1
    if not figures.counted:
        row = _lines(sheet, widths, row, [HeadingLine(NOTHING, align="left"), HeadingLine("")])
    start = row
    row = _lines(sheet, widths, row, [
        HeadingLine("III. TIN, BÀI TUYÊN TRUYỀN", bold=True, align="left"),
        HeadingLine(_media_text(figures), align="justify"),
    ])
    signature_end = document.write_signature(sheet, widths, start_row=row + 1)
    print_setup(sheet)
    keep_together(sheet, [*blocks, (start, signature_end)])


def _close_lines(figures: MonthFigures) -> list[HeadingLine]:
    """The heading's word on closes: the month's close, and the closed figures changed since
    the previous report (reopened, closed again), each with when, who and why."""
    lines = []
    if figures.closed_on:
        lines.append(HeadingLine(f"Số liệu đã chốt ngày {figures.closed_on:%d/%m/%Y}.",
                                 bold=True, size=BODY_SIZE))
    if figures.close_events:
        lines.append(HeadingLine(
            "Điều chỉnh số liệu đã chốt từ báo cáo tháng trước: "
            + "; ".join(event.sentence() for event in figures.close_events) + ".",
            italic=True, align="justify", size=BODY_SIZE))
    return lines


def _lines(sheet, widths, row: int, lines) -> int:
    """Lines of running text over the whole width from `row`; returns the next free row."""
    return write_heading(sheet, lines, width=len(widths), start_row=row, widths=widths)


def _media_text(figures: MonthFigures) -> str:
    met = "đạt" if figures.media_met else "chưa đạt"
    return (f"Tháng {figures.label}: {figures.media_in_month} tin, bài; chỉ tiêu "
            f"{figures.media_per_month} tin, bài/tháng: {met}. Từ đầu năm: "
            f"{figures.media.total.actual} tháng đạt, {figures.media.items} tin, bài.")


def _list_sheet(sheet, figures: MonthFigures, title: str, columns: list[Column], rows):
    """A list that goes with the report: its title and the report it belongs to in rows 1 and
    2, the table's header in row 3 (repeated on every page), "Không có" when it is empty."""
    widths = [column.width for column in columns]
    write_heading(sheet, [
        HeadingLine(title, bold=True, size=HEADING_SIZE),
        HeadingLine(f"(Kèm theo {_report_name(figures)})", italic=True),
    ], width=len(columns), widths=widths)
    last = write_table(sheet, columns, rows, start_row=3)
    print_setup(sheet, title_rows=(3, 3))
    keep_together(sheet, [(1, min(last, 5))])


def _decisions_sheet(sheet, figures: MonthFigures):
    # A new product's first decision of the month is its first recognition ever.
    new_ids = {product.pk for product in figures.new_products}
    first_of_month = {}
    for e in sorted(figures.decisions, key=lambda e: (e.decision_date, e.pk)):
        first_of_month.setdefault(e.product_id, e.pk)
    columns = [Column("STT", 6, align="center"), Column("Sản phẩm", 28), Column("Chủ thể", 26),
               Column("Huyện, thành phố", 16), Column("Hạng sao", 8, align="center"),
               Column("Hình thức", 18), Column("Sản phẩm mới (tính chỉ tiêu)", 13,
                                                align="center"),
               Column("Số quyết định", 18), Column("Ngày quyết định", 12, align="center")]
    rows = ([index, e.product.name, e.product.subject.name, e.product.district.short_name, e.stars,
             e.get_kind_display(),
             e.product_id in new_ids and first_of_month[e.product_id] == e.pk,
             e.decision_number, e.decision_date]
            for index, e in enumerate(figures.decisions, start=1))
    _list_sheet(sheet, figures,
                f"Sản phẩm có quyết định công nhận từ 3 sao trong tháng {figures.label}", columns,
                rows)


def _media_sheet(sheet, figures: MonthFigures):
    columns = [Column("STT", 6, align="center"), Column("Tiêu đề", 44), Column("Thể loại", 12),
               Column("Cơ quan báo chí", 24), Column("Huyện, thành phố", 16),
               Column("Thời điểm đăng", 17.5, align="center"), Column("Đường dẫn", 30)]
    rows = ([index, item.title, item.get_kind_display(), item.outlet.name,
             item.district.short_name if item.district else "", item.published_at, item.url]
            for index, item in enumerate(figures.media_items, start=1))
    _list_sheet(sheet, figures, (
        f"Tin, bài đăng trong tháng {figures.label}: {figures.media_in_month} "
        f"(chỉ tiêu {figures.media_per_month} tin, bài/tháng)"), columns, rows)


def _expiring_sheet(sheet, figures: MonthFigures):
    columns = [Column("STT", 6, align="center"), Column("Sản phẩm", 28), Column("Chủ thể", 26),
               Column("Huyện, thành phố", 16), Column("Hạng sao", 8, align="center"),
               Column("Số giấy chứng nhận", 18), Column("Hiệu lực đến", 12, align="center"),
               Column("Còn (ngày)", 10, align="center")]
    rows = ([index, p.name, p.subject.name, p.district.short_name, p.certificate_stars,
             p.certificate_number, p.certificate_valid_to,
             (p.certificate_valid_to - figures.end).days]
            for index, p in enumerate(figures.expiring, start=1))
    _list_sheet(sheet, figures, (
        f"Giấy chứng nhận OCOP hết hạn trong {EXPIRY_DAYS} ngày tính từ "
        f"{figures.end:%d/%m/%Y}"), columns, rows)


def _tasks_sheet(sheet, figures: MonthFigures):
    columns = [Column("Số", 6, align="center"), Column("Nội dung", 50),
               Column("Đơn vị chủ trì", 32), Column("Thời hạn", 12, align="center"),
               Column("Trạng thái", 16)]
    rows = ([task.number, task.title, task.lead_units, task.deadline, task.get_status_display()]
            for task in figures.overdue_tasks)
    _list_sheet(sheet, figures, (
        f"Nội dung của kế hoạch quá hạn chưa hoàn thành (tính đến {figures.end:%d/%m/%Y})"),
        columns, rows)
