from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from products.models import (
    Certificate,
    Evaluation,
    ExpiryNotice,
    ImportBatch,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)
from products.services import evaluation_corrected, product_refresh_history, product_update


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "criteria_version", "lead_ministry")
    list_filter = ("criteria_version",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0
    fields = ("cycle_year", "kind", "level", "total_score", "stars", "decision_number",
              "decision_date")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Evaluations are recorded through the portal's form, which applies the ranking rules.
        return False


class QualityCertificationInline(admin.TabularInline):
    model = QualityCertification
    extra = 0


class TraceabilityInline(admin.TabularInline):
    model = Traceability
    extra = 0


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("name", "subject", "district", "group", "stage", "current_certificate",
                    "is_demo")
    list_filter = ("district", "group__criteria_version", "stage", "is_demo")
    search_fields = ("name", "subject__name", "search_text")
    list_select_related = ("subject", "district", "group", "group__parent",
                           "current_certificate")
    autocomplete_fields = ("subject",)
    raw_id_fields = ("commune",)
    readonly_fields = ("current_certificate",)
    inlines = [EvaluationInline, QualityCertificationInline, TraceabilityInline]

    def save_model(self, request, obj, form, change):
        # Through the service, so that search keys and scope checks stay the same as in the portal.
        product_update(obj, user=request.user)


class RefreshesProductHistory:
    """Deleting a recognition or a certificate gives the product back its previous certificate
    (current, no longer superseded); without this the registry and the counts disagree."""

    def delete_model(self, request, obj):
        product = obj.product
        super().delete_model(request, obj)
        product_refresh_history(product, user=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        products = {record.product for record in queryset.select_related("product")}
        super().delete_queryset(request, queryset)
        for product in products:
            product_refresh_history(product, user=request.user)


@admin.register(Evaluation)
class EvaluationAdmin(RefreshesProductHistory, SimpleHistoryAdmin):
    list_display = ("product", "cycle_year", "kind", "level", "total_score", "stars",
                    "decision_number", "decision_date")
    list_filter = ("cycle_year", "stars", "level", "kind", "criteria_version",
                   "product__district")
    search_fields = ("product__name", "decision_number")
    list_select_related = ("product",)
    date_hierarchy = "decision_date"
    readonly_fields = ("product", "kind", "stars", "total_score", "score_a", "score_b",
                       "score_c")

    def has_add_permission(self, request):
        return False

    # A corrected decision date moves the certificate, so the registry and the counts agree.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        evaluation_corrected(obj, user=request.user)


@admin.register(Certificate)
class CertificateAdmin(RefreshesProductHistory, SimpleHistoryAdmin):
    list_display = ("product", "number", "valid_from", "valid_to", "status", "ended_on")
    list_filter = ("status", "product__district")
    search_fields = ("product__name", "number", "evaluation__decision_number")
    list_select_related = ("product",)
    date_hierarchy = "valid_to"
    readonly_fields = ("evaluation", "product", "valid_from", "valid_to", "status", "ended_on",
                       "superseded_by")

    def has_add_permission(self, request):
        return False


@admin.register(QualityCertification)
class QualityCertificationAdmin(SimpleHistoryAdmin):
    list_display = ("product", "standard", "number", "issued_on", "expires_on")
    list_filter = ("standard",)
    search_fields = ("product__name", "number")
    list_select_related = ("product",)


@admin.register(Traceability)
class TraceabilityAdmin(SimpleHistoryAdmin):
    list_display = ("product", "system", "code", "started_on", "ended_on")
    search_fields = ("product__name", "system", "code")
    list_select_related = ("product",)


@admin.register(ExpiryNotice)
class ExpiryNoticeAdmin(admin.ModelAdmin):
    list_display = ("day", "certificate_count", "sent_at", "recipients")

    def has_add_permission(self, request):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Who imported which workbook, when, and what came of it (read only)."""

    list_display = ("filename", "user", "source", "status", "created_at")
    list_filter = ("status", "source")
    search_fields = ("filename", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("filename", "size", "sha256", "user", "source", "status", "summary",
                       "created_at", "updated_at")
    exclude = ("content",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
