"""The indicator engine: the one place that counts plan 180's indicators (DESIGN.md §4).

Every number the portal shows (dashboards, the report command, exports) comes from here, and
`indicator_records` returns the records behind any of them. Each count is taken from the very
queryset `indicator_records` returns, grouped by district, so a number always equals the length
of its drill-through list. The work takes a fixed number of queries whatever the number of
records: one per indicator and breakdown, plus the plan, its quotas and the districts.

Counting runs to `today` (by default the real today): what is dated later in the year is not
counted yet, so a monthly report built in December still shows May as it stood on 31/05.

The counting rules and the records behind each number are the indicator registry's
(targets.indicators). Modules: `progress` (quotas against actuals, per district and in total),
`breakdowns` (stars, product groups, expiry radar), `plans` (plans, quotas, tasks), `reports`
(the monthly reports, for the roles that read them).
"""

from ocop_portal.domain import year_span
from targets.indicators import (
    INDICATOR_CODES,
    MEDIA,
    MEDIA_CODE,
    PRODUCT,
    SUBJECT,
    UnknownIndicator,
    indicator_record_kind,
    indicator_records,
    indicator_records_label,
    indicator_records_url,
)
from targets.selectors.breakdowns import Breakdown, Breakdowns, indicator_breakdowns
from targets.selectors.media import MonthCell, media_calendar_for_user
from targets.selectors.plans import (
    default_year,
    district_get,
    districts_of_year,
    overdue_plan_tasks,
    plan_for_year,
    plan_get,
    plan_indicators,
    plan_list,
    plan_quotas,
    plan_task_get,
    plan_task_updates,
    plan_tasks,
    plan_years,
    quota_history,
)
from targets.selectors.progress import (
    STATUS_RULE,
    Figure,
    IndicatorProgress,
    MonthCount,
    QuotaMismatch,
    Status,
    YearProgress,
    indicator_progress,
    indicator_report_data,
    media_items_per_month,
    progress_mismatches,
    quota_mismatches,
)
from targets.selectors.reports import (
    monthly_report_get_for_user,
    monthly_report_list_for_user,
    report_months,
    require_report_reader,
)

__all__ = [
    "INDICATOR_CODES", "MEDIA", "MEDIA_CODE", "PRODUCT", "STATUS_RULE", "SUBJECT", "Breakdown",
    "MonthCell", "media_calendar_for_user",
    "Breakdowns", "Figure", "IndicatorProgress", "MonthCount", "QuotaMismatch", "Status",
    "UnknownIndicator", "YearProgress", "default_year", "district_get", "districts_of_year",
    "indicator_breakdowns", "indicator_progress", "indicator_record_kind", "indicator_records",
    "indicator_records_label", "indicator_records_url", "indicator_report_data",
    "media_items_per_month", "monthly_report_get_for_user", "monthly_report_list_for_user",
    "report_months", "require_report_reader",
    "overdue_plan_tasks", "plan_for_year", "plan_get", "plan_indicators", "plan_list",
    "plan_quotas", "plan_task_get", "plan_task_updates", "plan_tasks", "plan_years",
    "progress_mismatches", "quota_history", "quota_mismatches", "year_span",
]
