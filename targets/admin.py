from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ocop_portal.admin_services import ReadOnlyAdmin, ReadOnlyInline
from targets.models import Indicator, Plan, PlanTask, PlanTaskUpdate, Quota


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("number", "issued_on", "year", "title", "signer")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("position", "code", "name", "unit", "appendix")
    ordering = ("position",)


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("plan", "indicator", "district", "value", "updated_at")
    list_filter = ("plan", "indicator", "district")
    list_select_related = ("plan", "indicator", "district")


class PlanTaskUpdateInline(ReadOnlyInline):
    model = PlanTaskUpdate
    fields = ("date", "note", "author")
    readonly_fields = fields


@admin.register(PlanTask)
class PlanTaskAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Tasks and their notes are written on the plan's pages (targets.services)."""

    list_display = ("number", "title", "plan", "deadline", "status")
    list_filter = ("plan", "status")
    search_fields = ("title", "lead_units", "cooperating_units")
    inlines = [PlanTaskUpdateInline]
