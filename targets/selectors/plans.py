"""Reads of plans, their quotas and history, and plan tasks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ocop_portal.domain import year_span
from ocop_portal.models import Commune, District
from targets.indicators import INDICATOR_CODES, REGISTRY
from targets.models import Indicator, Plan, PlanTask, Quota


def districts_of_year(year: int) -> list[District]:
    """The districts figures are given for in `year`, by code: those in existence at some time
    in the year and, after the district level ended (30/06/2025), the former districts that
    Thái Nguyên's communes are counted in (ocop_portal.units.CROSSWALK_RULE)."""
    start, end = year_span(year)
    return list(District.objects.filter(
        Q(pk__in=District.objects.valid_during(start, end).values("pk"))
        | Q(pk__in=Commune.objects.valid_during(start, end).values("district_id")))
        .order_by("code"))


def district_get(code: str) -> District:
    """A district by its code, or 404."""
    return get_object_or_404(District, code=code)


def default_year(today: dt.date, years_with_plan: list[int] | None = None) -> int:
    """The year every page opens on (dashboards, media calendar, plan, reports, appendices):
    the year of the plan in force, that is this year's plan or else the latest plan up to this
    year; with no plan, this year. `years_with_plan` saves the query when the caller has them."""
    known = plan_years() if years_with_plan is None else sorted(years_with_plan)
    years = [y for y in known if y <= today.year]
    if today.year in years or not years:
        return today.year
    return years[-1]


def plan_get(year: int | None = None, *, today: dt.date | None = None) -> Plan:
    """The plan of `year`, else (no year given) the plan of the default year, else the latest
    plan; 404 when there is none."""
    plans = Plan.objects.order_by("-year")
    if year:
        return get_object_or_404(plans.filter(year=year))
    in_force = plans.filter(year=default_year(today or timezone.localdate())).first()
    return in_force or get_object_or_404(plans[:1])


def plan_list() -> list[Plan]:
    """Every plan, newest first."""
    return list(Plan.objects.order_by("-year"))


def plan_for_year(year: int) -> Plan | None:
    """The plan of the year, if there is one."""
    return Plan.objects.filter(year=year).first()


def plan_quotas(plan: Plan | None) -> dict[tuple[int, int | None], int]:
    """The plan's quotas by (indicator id, district id or None for the province)."""
    if plan is None:
        return {}
    rows = Quota.objects.filter(plan=plan).values_list("indicator_id", "district_id", "value")
    return {(indicator_id, district_id): value for indicator_id, district_id, value in rows}


def overdue_plan_tasks(*, today: dt.date | None = None) -> list[PlanTask]:
    """Plan tasks past their deadline and not done, earliest deadline first."""
    return list(PlanTask.objects.overdue(today).select_related("plan").order_by("deadline"))


def plan_years() -> list[int]:
    """The years that have a plan, oldest first."""
    return list(Plan.objects.order_by("year").values_list("year", flat=True))


INDICATOR_TEXTS = ("name", "short_name", "unit", "appendix", "definition", "counting_rule")


def plan_indicators() -> list[Indicator]:
    """The indicators the engine counts, in the plan's order, with the registry's texts (the
    rows hold a copy that load_backan_2024 writes; the registry's words are the ones in force)."""
    indicators = list(Indicator.objects.filter(code__in=INDICATOR_CODES).order_by("position",
                                                                                  "code"))
    for indicator in indicators:
        entry = REGISTRY[indicator.code]
        for name in INDICATOR_TEXTS:
            setattr(indicator, name, getattr(entry, name))
    return indicators


def plan_tasks(plan: Plan) -> list[PlanTask]:
    """The plan's tasks in the order of its section III, with the date of their last note."""
    return list(plan.tasks.annotate(last_update=Max("updates__date")).order_by("number"))


def plan_task_get(pk) -> PlanTask:
    """A plan task, or 404."""
    return get_object_or_404(PlanTask.objects.select_related("plan"), pk=pk)


def plan_task_updates(task: PlanTask) -> list:
    """A task's progress notes, newest first, with their authors."""
    return list(task.updates.select_related("author").order_by("-date", "-pk"))


@dataclass(frozen=True)
class QuotaHistoryEntry:
    when: dt.datetime
    user: object
    indicator: Indicator
    district: District | None
    old: int | None
    new: int | None
    reason: str


def quota_history(plan: Plan) -> list[QuotaHistoryEntry]:
    """Every change of the plan's quotas, newest first: who, when, what (old and new) and why."""
    rows = (Quota.history.filter(plan_id=plan.pk)
            .select_related("history_user", "indicator", "district")
            .order_by("history_date", "history_id"))
    last: dict[tuple[int, int | None], int | None] = {}
    entries = []
    for row in rows:
        key = (row.indicator_id, row.district_id)
        new = None if row.history_type == "-" else row.value
        entries.append(QuotaHistoryEntry(
            when=row.history_date, user=row.history_user, indicator=row.indicator,
            district=row.district, old=last.get(key), new=new,
            reason=row.history_change_reason or ""))
        last[key] = new
    return entries[::-1]
