"""The OCOP cycle beside the plan: the pipeline and forecast for the engine's year, and the
page "Chu trình OCOP năm Y" with what is overdue."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from ocop_portal.models import District
from products.models import STAGE_DATE_FIELDS, CycleParticipation, CycleStage
from products.selectors import participations_on
from targets.indicators import counts_by_district, indicator_records
from targets.indicators.cycle import FORECAST_CODE, CycleOutlook, cycle_outlook
from targets.selectors.progress import YearProgress, indicator_progress, indicator_report_data

# A product registered this many days ago without a business plan, or evaluated by a council
# this many days ago without a decision, is overdue (the cycle's steps take weeks, DOMAIN.md §2).
PLAN_OVERDUE_DAYS = 60
DECISION_OVERDUE_DAYS = 45


def indicator_report(*, year: int, district_code: str | None = None) -> dict:
    """The figures of `indicator_report` for a year (DESIGN.md §6), with the cycle's forecast,
    one district's rows only with `district_code`: the command and the API answer the same.
    District.DoesNotExist for a code no district has."""
    also = District.objects.get(code=district_code) if district_code else None
    progress = indicator_progress(year=year, also_district=also)
    return indicator_report_data(progress, district_code=district_code,
                                 outlook=progress_outlook(progress))


def progress_outlook(progress: YearProgress) -> CycleOutlook:
    """The cycle outlook of the engine's year and day, with its figures of new 3-star products
    (counted again here only when the plan does not carry that indicator); for the one district
    of a scoped progress alone."""
    districts = [progress.scope] if progress.scope else progress.districts
    item = next((i for i in progress.indicators if i.code == FORECAST_CODE), None)
    if item is not None:
        actuals: dict[int | None, int] = {None: item.total.actual}
        actuals.update({d.pk: item.districts[d.code].actual for d in districts})
        quotas: dict[int | None, int | None] = {None: item.total.quota}
        quotas.update({d.pk: item.districts[d.code].quota for d in districts})
    else:
        counts = counts_by_district(indicator_records(FORECAST_CODE, year=progress.year,
                                                      district=progress.scope,
                                                      today=progress.today))
        actuals = {None: sum(counts.values()), **{d.pk: counts.get(d.pk, 0) for d in districts}}
        quotas = {}
    scope = progress.scope
    return cycle_outlook(year=progress.year, as_of=progress.today, actuals=actuals,
                         quotas=quotas, scope=scope.pk if scope else None,
                         district_ids=[scope.pk] if scope else [d.pk for d in districts])


def cycle_list_url(year: int, *, stage: str | None = None, district_code: str | None = None,
                   kind: str | None = None) -> str:
    """The product list of cycle `year` at `stage` (a position), in a district, of a kind."""
    params: dict[str, str | int] = {"cycle": year}
    if stage:
        params["stage"] = stage
    if kind:
        params["cycle_kind"] = kind
    if district_code:
        params["district"] = district_code
    return f"{reverse('products:list')}?{urlencode(params)}"


@dataclass(frozen=True)
class Overdue:
    title: str
    rule: str
    participations: list[CycleParticipation]
    count: int


def _late(queryset: QuerySet[CycleParticipation], limit: int) -> tuple[list, int]:
    rows = list(queryset.select_related("product", "product__district")
                .order_by("registered_on", "pk")[:limit + 1])
    return rows[:limit], queryset.count() if len(rows) > limit else len(rows)


def overdue_participations(*, year: int, today: dt.date, districts: QuerySet[District],
                           limit: int = 50) -> list[Overdue]:
    """Open participations of cycle `year` in `districts` stuck past a step's usual time:
    registered with no business plan, or evaluated by a council with no decision."""
    open_now = participations_on(today).filter(
        cycle_year=year, product__district__in=districts,
        position__in=[s.value for s in CycleStage if s != CycleStage.DECISION])
    no_plan = open_now.filter(
        position=CycleStage.REGISTERED,
        registered_on__lt=today - dt.timedelta(days=PLAN_OVERDUE_DAYS))
    rounds = [CycleStage.DISTRICT_ROUND, CycleStage.PROVINCE_ROUND, CycleStage.CENTRAL_ROUND]
    waiting = open_now.filter(position__in=[s.value for s in rounds])
    late_rounds = waiting.none()
    for stage in rounds:
        late_rounds = late_rounds | waiting.filter(**{
            "position": stage.value,
            f"{STAGE_DATE_FIELDS[stage]}__lt": today - dt.timedelta(days=DECISION_OVERDUE_DAYS)})
    overdue = []
    for title, rule, queryset in (
        ("Đăng ký nhưng chưa có phương án sản xuất kinh doanh",
         f"đăng ký quá {PLAN_OVERDUE_DAYS} ngày", no_plan),
        ("Đã đánh giá ở hội đồng nhưng chưa có quyết định công nhận",
         f"hội đồng đánh giá quá {DECISION_OVERDUE_DAYS} ngày", late_rounds),
    ):
        rows, count = _late(queryset, limit)
        overdue.append(Overdue(title=title, rule=rule, participations=rows, count=count))
    return overdue
