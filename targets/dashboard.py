"""The dashboards' content: the engine's figures laid out for the templates and the charts, each
number paired with the link to the records behind it. Nothing here counts."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from ocop_portal.domain import FIRST_PROGRAMME_YEAR
from ocop_portal.figures_cache import cached
from ocop_portal.models import District
from ocop_portal.numbers import number_text, percent_text, whole_percent
from ocop_portal.units import CROSSWALK_RULE, DISTRICTS_END
from products.models import EvaluationKind
from targets.completeness import completeness_context
from targets.indicators.cycle import (
    FORECAST_CODE,
    POSITION_LABELS,
    POSITIONS,
    STAGES,
    CycleOutlook,
    Forecast,
)
from targets.selectors import (
    STATUS_RULE,
    Breakdown,
    Figure,
    IndicatorProgress,
    indicator_breakdowns,
    indicator_progress,
    indicator_records_url,
    overdue_plan_tasks,
    plan_years,
    progress_mismatches,
)
from targets.selectors.cycle import cycle_list_url, progress_outlook

# The shape of the cached figures: raised when their classes change, so that figures a previous
# release cached (Redis outlives a deploy) are not read into the new classes.
FIGURES_SHAPE = 3
OPEN_POSITION = "dang_tham_gia"


@dataclass(frozen=True)
class Cell:
    """One number of the district table. `measure` says what the number is: the indicator's
    actual, or (media, in the total row) the items of the year rather than the months met."""

    figure: Figure
    url: str
    code: str
    district_code: str = ""
    measure: str = "actual"

    @property
    def value(self) -> int:
        return self.figure.actual


@dataclass(frozen=True)
class Number:
    label: str
    count: int
    url: str
    code: str


@dataclass(frozen=True)
class Month:
    month: int
    items: int
    met: bool | None  # None on a district's dashboard: the quota is the province's
    ended: bool
    url: str

    @property
    def state(self) -> str:
        """met, missed (an ended month below the quota) or open (not judged)."""
        if self.met:
            return "met"
        return "missed" if self.met is False and self.ended else "open"


def years_offered(today: dt.date) -> list[int]:
    """The years of the selector: every plan's year and each year since the programme's first
    in Bắc Kạn (2018), newest first."""
    return sorted(set(plan_years()) | set(range(FIRST_PROGRAMME_YEAR, today.year + 1)),
                  reverse=True)


def _media_url(year: int, month: int | None, district_code: str | None) -> str:
    code = f"month:{month}" if month else "media_items_monthly"
    return indicator_records_url(code, year=year, district_code=district_code)


def _card(item: IndicatorProgress, year: int, district_code: str | None) -> dict:
    figure = item.total if district_code is None else item.districts[district_code]
    card = {
        "indicator": item.indicator, "figure": figure, "is_media": item.is_media,
        "url": indicator_records_url(item.code, year=year, district_code=district_code),
    }
    if item.is_media and district_code is None:
        # The province figure is a number of months met: its records are the calendar's months.
        card["url"] = f"{reverse('media_calendar')}?year={year}"
    if item.is_media:
        counts = (item.district_months[district_code] if district_code
                  else [m.items for m in item.months])
        card["months"] = [
            Month(month=m.month, items=counts[m.month - 1],
                  met=m.met if district_code is None else None, ended=m.ended,
                  url=_media_url(year, m.month, district_code))
            for m in item.months
        ]
        card["items"] = sum(counts)
        card["items_per_month"] = item.items_per_month
        card["items_url"] = _media_url(year, None, district_code)
    return card


def _numbers(breakdowns: list[Breakdown], year: int, district_code: str | None) -> list[Number]:
    return [Number(label=b.label, count=b.count(district_code), code=b.code,
                   url=indicator_records_url(b.code, year=year, district_code=district_code))
            for b in breakdowns]


def district_rows(progress, year: int) -> list[dict]:
    return [
        {"district": district,
         "cells": [Cell(item.districts[district.code],
                        indicator_records_url(item.code, year=year, district_code=district.code),
                        item.code, district.code)
                   for item in progress.indicators]}
        for district in progress.districts
    ]


@dataclass(frozen=True)
class CommuneCell:
    value: int
    url: str
    code: str


def commune_table(progress, year: int) -> dict | None:
    """Figures by Thái Nguyên's commune (from 01/07/2025), each record in the commune its own
    is or became, with the rule that puts each commune in a former district; None before."""
    if not progress.communes:
        return None
    items = [item for item in progress.indicators if not item.is_media]
    scope = progress.scope.code if progress.scope else None

    def url(item, commune=None):
        base = indicator_records_url(item.code, year=year, district_code=scope)
        return f"{base}&commune={commune.code}@{commune.valid_from:%Y-%m-%d}" if commune else base

    rows = [{"commune": commune,
             "cells": [CommuneCell(item.communes.get(commune.pk, 0), url(item, commune), item.code)
                       for item in items]}
            for commune in progress.communes]
    return {"indicators": items, "rows": rows, "rule": CROSSWALK_RULE,
            "without": [item.without_commune for item in items],
            "districts_ended": progress.year > DISTRICTS_END.year}


def _total_row(progress, year: int) -> list[Cell]:
    cells = []
    for item in progress.indicators:
        url = indicator_records_url(item.code, year=year)
        if item.is_media:
            # The column holds items, so the total row shows the year's items too.
            items = Figure(quota=None, actual=item.items, target=None, expected=0.0,
                           closed=progress.closed)
            cells.append(Cell(items, url, item.code, measure="items"))
        else:
            cells.append(Cell(item.total, url, item.code))
    return cells


def _province_chart(progress) -> dict:
    series = []
    for item in progress.indicators:
        figures = [item.districts[d.code] for d in progress.districts]
        series.append({
            "code": item.code, "label": item.indicator.short_name,
            "unit": "tin, bài" if item.is_media else item.indicator.unit,
            "quota": [f.quota for f in figures], "actual": [f.actual for f in figures],
        })
    return {"labels": [d.short_name for d in progress.districts], "series": series}


def _district_chart(progress, district_code: str) -> dict:
    counted = [item for item in progress.indicators if not item.is_media]
    return {
        "labels": [item.indicator.short_name for item in counted],
        "series": [{
            "code": "district", "label": "Thực hiện so với chỉ tiêu", "unit": "",
            "quota": [item.districts[district_code].quota for item in counted],
            "actual": [item.districts[district_code].actual for item in counted],
        }],
    }


# The funnel's labels on two lines, so that they fit a phone's width.
CHART_LABELS = {
    "dang_ky": ["Đăng ký"], "phuong_an": ["Phương án", "sản xuất kinh doanh"],
    "cap_huyen": ["Đánh giá", "cấp huyện"], "cap_tinh": ["Đánh giá", "cấp tỉnh"],
    "cap_trung_uong": ["Đánh giá", "cấp trung ương"], "cong_nhan": ["Được", "công nhận"],
    "khong_cong_nhan": ["Không được", "công nhận"], "rut": ["Rút khỏi", "chu trình"],
}
IN_CYCLE, RECOGNISED, NOT_RECOGNISED, WITHDRAWN = "#1f5f3f", "#f5b301", "#dc3545", "#adb5bd"
POSITION_COLOURS = {**dict.fromkeys(STAGES, IN_CYCLE), "cong_nhan": RECOGNISED,
                    "khong_cong_nhan": NOT_RECOGNISED, "rut": WITHDRAWN}
# (code, label): the swatches' colours are dashboard.css's, the same as POSITION_COLOURS.
LEGEND = [("open", "Đang trong chu trình"), ("cong_nhan", "Được công nhận"),
          ("khong_cong_nhan", "Không được công nhận"), ("rut", "Rút khỏi chu trình")]


@dataclass(frozen=True)
class PipelineCell:
    position: str
    count: int
    url: str


def _pipeline_cells(outlook: CycleOutlook, district: District | None) -> list[PipelineCell]:
    counts = outlook.pipeline.by_position(district.pk if district else None)
    code = district.code if district else None
    return [PipelineCell(p, counts[p], cycle_list_url(outlook.year, stage=p, district_code=code))
            for p in POSITIONS]


def _about(value: float) -> str:
    """A projected number of products, as a person would say it: "23", "khoảng 23,4"."""
    if value == int(value):
        return str(int(value))
    return "khoảng " + number_text(value, 1)


def _forecast_view(outlook: CycleOutlook, forecast: Forecast,
                   district: District | None) -> dict:
    code = district.code if district else None
    return {
        "forecast": forecast,
        "value_text": _about(forecast.value),
        "open_url": cycle_list_url(outlook.year, stage=OPEN_POSITION, district_code=code,
                                   kind=EvaluationKind.NEW),
        "stages": [
            {"label": POSITION_LABELS[stage], "count": forecast.in_cycle[stage],
             "share": share.share,
             "percent": percent_text(share.share) if share.reached else "–",
             "reached": share.reached, "recognised": share.recognised, "own": own,
             "url": cycle_list_url(outlook.year, stage=stage, district_code=code,
                                   kind=EvaluationKind.NEW)}
            for stage, (share, own) in forecast.shares.items()
        ],
    }


def cycle_context(outlook: CycleOutlook, districts: list[District],
                  district: District | None) -> dict:
    """The cycle's funnel (every participation of the year's cycle by where it stands), its
    table by district, and the forecast beside the quota of new 3-star products."""
    forecast = (outlook.districts.get(district.pk) if district else outlook.province)
    cells = _pipeline_cells(outlook, district)
    return {
        "year": outlook.year, "as_of": outlook.as_of,
        "positions": [{"code": p, "label": POSITION_LABELS[p], "open": p in STAGES}
                      for p in POSITIONS],
        "cells": cells,
        "total": sum(c.count for c in cells),
        "rows": ([{"district": d, "cells": _pipeline_cells(outlook, d)} for d in districts]
                 if district is None else []),
        "chart": {"labels": [CHART_LABELS[p] for p in POSITIONS],
                  "counts": [c.count for c in cells],
                  "colours": [POSITION_COLOURS[p] for p in POSITIONS]},
        "legend": [{"code": code, "label": label} for code, label in LEGEND],
        "forecast": (_forecast_view(outlook, forecast, district) if forecast is not None
                     else None),
        "forecast_code": FORECAST_CODE,
    }


def dashboard_context(*, year: int, district: District | None = None,
                      today: dt.date | None = None) -> dict:
    """Everything a dashboard shows for `year`, for the province or for one district."""
    today = today or timezone.localdate()
    code = district.code if district else None
    # The engine's figures, cached until the registry changes (ocop_portal.figures_cache). A
    # district's page counts that district alone, in SQL: its figures are its row of the
    # province's, and the time it takes does not grow with the other districts' records.
    where = {"year": year, "today": today, "district_code": code}
    progress = cached(f"progress:{FIGURES_SHAPE}", lambda: indicator_progress(
        year=year, today=today, scope=district), **where)
    outlook = cached(f"outlook:{FIGURES_SHAPE}", lambda: progress_outlook(progress), **where)
    breakdowns = cached(f"breakdowns:{FIGURES_SHAPE}", lambda: indicator_breakdowns(
        year=year, today=today, district=district), **where)
    stars = _numbers(breakdowns.stars, year, code)
    context = {
        "year": year, "today": today, "district": district, "progress": progress,
        "plan": progress.plan, "status_rule": STATUS_RULE,
        "time_elapsed_percent": whole_percent(progress.time_elapsed),
        "cards": [_card(item, year, code) for item in progress.indicators],
        "recognised": _numbers([breakdowns.recognised], year, code)[0],
        "stars": stars,
        "groups": [n for n in _numbers(breakdowns.groups, year, code) if n.count],
        "radar": _numbers(breakdowns.radar, year, code),
        "overdue_tasks": overdue_plan_tasks(today=today),
        "mismatches": progress_mismatches(progress),
        "stars_chart": {"labels": [n.label for n in stars], "counts": [n.count for n in stars]},
        "cycle": cycle_context(outlook, progress.districts, district),
        "communes": commune_table(progress, year),
    }
    context["completeness"] = completeness_context(year=year, today=today, district=district,
                                                   districts=progress.districts)
    if district is None:
        context["district_rows"] = district_rows(progress, year)
        context["total_row"] = _total_row(progress, year)
        context["chart"] = _province_chart(progress)
    else:
        context["chart"] = _district_chart(progress, code)
    return context
