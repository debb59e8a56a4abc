from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from targets.models import Indicator, Plan, PlanTask, PlanTaskUpdate, Quota


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data seeded by load_backan_2024 (and quotas, changed only on the quota page,
    where a reason is required): shown here, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class PlanTaskUpdateInline(admin.TabularInline):
    model = PlanTaskUpdate
    extra = 0
    fields = ("date", "note", "author")
    readonly_fields = ("author",)


@admin.register(PlanTask)
class PlanTaskAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "plan", "deadline", "status")
    list_filter = ("plan", "status")
    search_fields = ("title", "lead_units", "cooperating_units")
    inlines = [PlanTaskUpdateInline]

    def save_formset(self, request, form, formset, change):
        for update in formset.save(commit=False):
            if update.author_id is None:
                update.author = request.user
            update.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
