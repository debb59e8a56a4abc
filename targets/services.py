"""Writes of plans, quotas and plan tasks. Only province staff and administrators change them."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from ocop_portal.domain import refuse_future
from ocop_portal.models import District, User
from ocop_portal.permissions import require_plan_manager
from ocop_portal.services import LoadResult, upsert
from targets import plan_180
from targets.indicators import ENTRIES
from targets.models import Indicator, Plan, PlanTask, PlanTaskUpdate, Quota, TaskStatus


@dataclass(frozen=True)
class QuotaChange:
    indicator: Indicator
    district: District | None
    old: int | None
    new: int | None


def _check_quota_value(indicator: Indicator, district: District | None, value) -> str | None:
    where = district.short_name if district else "toàn tỉnh"
    if district is not None and not indicator.has_district_quotas:
        return f"Chỉ tiêu “{indicator.short_name}” không chia theo huyện."
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        return f"Chỉ tiêu “{indicator.short_name}” của {where} phải là số nguyên không âm."
    return None


def _write_quota(quota: Quota, *, reason: str, user, delete: bool = False):
    # simple_history reads these two attributes when it writes the historical row.
    quota._change_reason = reason  # type: ignore[attr-defined]
    quota._history_user = user if getattr(user, "pk", None) else None  # type: ignore[attr-defined]
    if delete:
        quota.delete()
        return
    quota.full_clean()
    quota.save()


@transaction.atomic
def quotas_set(*, plan: Plan, values: Mapping[tuple[Indicator, District | None], int | None],
               reason: str, user) -> list[QuotaChange]:
    """Set quotas of a plan (district None = provincial total; value None = no quota), all or
    nothing; every change is kept in the history with who, when and the required reason."""
    require_plan_manager(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do thay đổi chỉ tiêu."})
    errors = [e for (i, d), v in values.items() if (e := _check_quota_value(i, d, v))]
    if errors:
        raise ValidationError(errors)
    existing = {(q.indicator_id, q.district_id): q for q in Quota.objects.filter(plan=plan)}
    changes = []
    for (indicator, district), value in values.items():
        quota = existing.get((indicator.pk, district.pk if district else None))
        old = quota.value if quota else None
        if old == value:
            continue
        if quota is None:
            # value is not None here: a missing quota set to None is no change.
            quota = Quota(plan=plan, indicator=indicator, district=district,
                          value=value)  # type: ignore[misc]
        elif value is not None:
            quota.value = value
        _write_quota(quota, reason=reason, user=user, delete=value is None)
        changes.append(QuotaChange(indicator=indicator, district=district, old=old, new=value))
    return changes


def quota_set(*, plan: Plan, indicator: Indicator, district: District | None, value: int | None,
              reason: str, user) -> QuotaChange | None:
    """Set one quota of a plan, with the reason for the change; None when nothing changed."""
    changes = quotas_set(plan=plan, values={(indicator, district): value}, reason=reason,
                         user=user)
    return changes[0] if changes else None


@transaction.atomic
def plan_task_create(*, plan: Plan, user: User, number: int, title: str, lead_units: str,
                     content: str = "", cooperating_units: str = "",
                     deadline: dt.date | None = None,
                     status: str = TaskStatus.NOT_STARTED) -> PlanTask:
    """Add a content of the plan's section III as a task."""
    require_plan_manager(user)
    task = PlanTask(plan=plan, number=number, title=title, content=content,
                    lead_units=lead_units, cooperating_units=cooperating_units,
                    deadline=deadline, status=status)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def plan_task_update(task: PlanTask, *, user: User, number: int, title: str, content: str,
                     lead_units: str, cooperating_units: str, deadline: dt.date | None,
                     status: str) -> PlanTask:
    """Change a plan task's number, title, units, deadline or status."""
    require_plan_manager(user)
    task.number, task.title, task.content = number, title, content
    task.lead_units, task.cooperating_units = lead_units, cooperating_units
    task.deadline, task.status = deadline, status
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def plan_task_note_add(*, task: PlanTask, user, date: dt.date, note: str,
                       status: str | None = None) -> PlanTaskUpdate:
    """Record a dated progress note on a task, and its new status when one is given."""
    require_plan_manager(user)
    refuse_future("date", date, "Ngày cập nhật tiến độ")
    update = PlanTaskUpdate(task=task, date=date, note=(note or "").strip(), author=user)
    update.full_clean()
    update.save()
    if status and status != task.status:
        task.status = status
        task.full_clean()
        task.save(update_fields=["status", "updated_at"])
    return update


@transaction.atomic
def plan_180_load() -> LoadResult:
    """Seed plan 180/KH-UBND, its seven indicators, the provincial quotas and content 1 of
    section III. Quotas and tasks are created when missing and never overwritten: province staff
    may have changed them since, with a reason, and a reload must not undo that silently."""
    result = LoadResult()
    values = {k: v for k, v in plan_180.PLAN_180.items() if k != "number"}
    plan = upsert(Plan, {"number": plan_180.PLAN_180["number"]}, values, result)
    for position, entry in enumerate(ENTRIES, start=1):
        indicator = upsert(Indicator, {"code": entry.code}, {
            "name": entry.name, "short_name": entry.short_name, "unit": entry.unit,
            "appendix": entry.appendix, "position": position, "definition": entry.definition,
            "counting_rule": entry.counting_rule,
        }, result)
        value = plan_180.QUOTAS[entry.code]
        if Quota.objects.filter(plan=plan, indicator=indicator, district=None).exists():
            result.unchanged += 1
        else:
            _write_quota(Quota(plan=plan, indicator=indicator, district=None, value=value),
                         reason=plan_180.SEED_REASON, user=None)
            result.created += 1
    for fields in plan_180.TASKS:
        if PlanTask.objects.filter(plan=plan, number=fields["number"]).exists():
            result.unchanged += 1
            continue
        task = PlanTask(plan=plan, status=TaskStatus.NOT_STARTED, **fields)
        task.full_clean()
        task.save()
        result.created += 1
    return result
