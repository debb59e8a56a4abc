"""The back office of producers: writes go through subjects.services, or are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ocop_portal.admin_services import (
    ArchivableAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
)
from ocop_portal.forms import AdminModelForm
from subjects import services
from subjects.forms import SubjectForm
from subjects.models import Linkage, Subject, SupportRecord


class LinkageInline(ReadOnlyInline):
    model = Linkage
    fields = ("kind", "partner", "contract_number", "valid_from", "valid_to")
    readonly_fields = fields


class SupportRecordInline(ReadOnlyInline):
    model = SupportRecord
    fields = ("kind", "date", "content", "amount")
    readonly_fields = fields


@admin.register(Subject)
class SubjectAdmin(ArchivableAdmin, ServiceAdmin, SimpleHistoryAdmin):
    form = AdminModelForm
    list_display = ("name", "subject_type", "district", "registration_number",
                    "first_year_in_programme", "is_demo")
    list_filter = ("subject_type", "district", "first_year_in_programme", "female_led",
                   "ethnic_minority", "is_demo")
    search_fields = ("name", "registration_number", "legal_representative", "search_text")
    list_select_related = ("district",)
    raw_id_fields = ("commune",)
    fields = SubjectForm.Meta.fields
    inlines = [LinkageInline, SupportRecordInline]

    def save_with_service(self, request, obj, data):
        fields = services.SubjectFields(**{name: data.get(name) for name in self.fields})
        if obj is None:
            return services.subject_create(user=request.user, fields=fields)
        return services.subject_update(obj, user=request.user, fields=fields)


@admin.register(Linkage)
class LinkageAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("subject", "partner", "kind", "contract_number", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("subject__name", "partner", "contract_number")
    list_select_related = ("subject",)


@admin.register(SupportRecord)
class SupportRecordAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("subject", "kind", "date", "amount")
    list_filter = ("kind",)
    search_fields = ("subject__name", "content")
    list_select_related = ("subject",)
    date_hierarchy = "date"
