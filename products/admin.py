"""The back office of the product registry: every write goes through products.services, or the
model is read-only here (ocop_portal.admin_services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ocop_portal.admin_services import (
    ArchivableAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
)
from ocop_portal.forms import AdminModelForm
from products import services
from products.models import (
    Certificate,
    CycleParticipation,
    Evaluation,
    ExpiryNotice,
    ImportBatch,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)

PRODUCT_FIELDS = ("name", "subject", "group", "district", "commune", "first_cycle_year",
                  "description", "photo")
EVALUATION_FIELDS = ("cycle_year", "level", "decision_number", "decision_date",
                     "decision_authority", "criteria_version", "note")


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "criteria_version", "lead_ministry")
    list_filter = ("criteria_version",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)


class EvaluationInline(ReadOnlyInline):
    # Evaluations are recorded through the portal's form, which applies the ranking rules.
    model = Evaluation
    fields = ("cycle_year", "kind", "level", "total_score", "stars", "decision_number",
              "decision_date")
    readonly_fields = fields


class QualityCertificationInline(ReadOnlyInline):
    model = QualityCertification
    fields = ("standard", "number", "issuer", "issued_on", "expires_on")
    readonly_fields = fields


class TraceabilityInline(ReadOnlyInline):
    model = Traceability
    fields = ("system", "code", "started_on", "ended_on")
    readonly_fields = fields


@admin.register(Product)
class ProductAdmin(ArchivableAdmin, ServiceAdmin, SimpleHistoryAdmin):
    form = AdminModelForm
    list_display = ("name", "subject", "district", "group", "current_certificate",
                    "is_demo")
    list_filter = ("district", "group__criteria_version", "is_demo")
    search_fields = ("name", "subject__name", "search_text")
    list_select_related = ("subject", "district", "group", "group__parent",
                           "current_certificate")
    autocomplete_fields = ("subject",)
    raw_id_fields = ("commune",)
    fields = (*PRODUCT_FIELDS, "current_certificate")
    readonly_fields = ("current_certificate",)
    inlines = [EvaluationInline, QualityCertificationInline, TraceabilityInline]

    def save_with_service(self, request, obj, data):
        values = {name: data.get(name) for name in PRODUCT_FIELDS}
        if obj is None:
            values["photo"] = values["photo"] or None
            return services.product_create(user=request.user, **values)
        return services.product_update(obj, user=request.user, **values)


@admin.register(Evaluation)
class EvaluationAdmin(ServiceAdmin, SimpleHistoryAdmin):
    form = AdminModelForm
    list_display = ("product", "cycle_year", "kind", "level", "total_score", "stars",
                    "decision_number", "decision_date")
    list_filter = ("cycle_year", "stars", "level", "kind", "criteria_version",
                   "product__district")
    search_fields = ("product__name", "decision_number")
    list_select_related = ("product",)
    date_hierarchy = "decision_date"
    fields = ("product", "kind", "stars", "total_score", "score_a", "score_b", "score_c",
              *EVALUATION_FIELDS)
    readonly_fields = ("product", "kind", "stars", "total_score", "score_a", "score_b",
                       "score_c")
    delete_with_service = staticmethod(services.evaluation_delete)

    def has_add_permission(self, request):
        return False

    def save_with_service(self, request, obj, data):
        return services.evaluation_correct(
            obj, user=request.user, **{name: data[name] for name in EVALUATION_FIELDS})


@admin.register(Certificate)
class CertificateAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """Certificates follow their recognitions; revocation has its own page with its reason."""

    list_display = ("product", "number", "valid_from", "valid_to", "status", "ended_on")
    list_filter = ("status", "product__district")
    search_fields = ("product__name", "number", "evaluation__decision_number")
    list_select_related = ("product",)
    date_hierarchy = "valid_to"
    delete_with_service = staticmethod(services.certificate_delete)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QualityCertification)
class QualityCertificationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("product", "standard", "number", "issued_on", "expires_on")
    list_filter = ("standard",)
    search_fields = ("product__name", "number")
    list_select_related = ("product",)


@admin.register(Traceability)
class TraceabilityAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("product", "system", "code", "started_on", "ended_on")
    search_fields = ("product__name", "system", "code")
    list_select_related = ("product",)


@admin.register(CycleParticipation)
class CycleParticipationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    # Stages move through the product page (dated, in order); the admin shows them and their
    # history only.
    list_display = ("product", "cycle_year", "kind", "stage", "outcome", "registered_on",
                    "ended_on")
    list_filter = ("cycle_year", "kind", "stage", "outcome")
    search_fields = ("product__name",)
    list_select_related = ("product",)


@admin.register(ExpiryNotice)
class ExpiryNoticeAdmin(ReadOnlyAdmin):
    list_display = ("day", "certificate_count", "sent_at", "recipients")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Who imported which workbook, when, and what came of it."""

    list_display = ("filename", "user", "source", "status", "created_at")
    list_filter = ("status", "source")
    search_fields = ("filename", "user__username")
    list_select_related = ("user",)
    exclude = ("content",)
