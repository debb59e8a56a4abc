from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from subjects.models import Linkage, Subject, SupportRecord
from subjects.services import subject_find_duplicate, subject_update


class LinkageInline(admin.TabularInline):
    model = Linkage
    extra = 0
    fields = ("kind", "partner", "contract_number", "valid_from", "valid_to")


class SupportRecordInline(admin.TabularInline):
    model = SupportRecord
    extra = 0
    fields = ("kind", "date", "content", "amount")


class SubjectAdminForm(forms.ModelForm):
    """The admin's subject form (fields come from the ModelAdmin) with the duplicate guard."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and cleaned.get("district"):
            duplicate = subject_find_duplicate(
                name=cleaned["name"], district=cleaned["district"],
                registration_number=cleaned.get("registration_number", ""),
                exclude_pk=self.instance.pk)
            if duplicate:
                raise forms.ValidationError(duplicate[1])
        return cleaned


@admin.register(Subject)
class SubjectAdmin(SimpleHistoryAdmin):
    form = SubjectAdminForm
    list_display = ("name", "subject_type", "district", "registration_number",
                    "first_year_in_programme", "is_demo")
    list_filter = ("subject_type", "district", "first_year_in_programme", "female_led",
                   "ethnic_minority", "is_demo")
    search_fields = ("name", "registration_number", "legal_representative", "search_text")
    list_select_related = ("district",)
    raw_id_fields = ("commune",)
    inlines = [LinkageInline, SupportRecordInline]

    def save_model(self, request, obj, form, change):
        # Through the service, so that search keys and the duplicate guard match the portal's.
        subject_update(obj, user=request.user)


@admin.register(Linkage)
class LinkageAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "partner", "kind", "contract_number", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("subject__name", "partner", "contract_number")
    list_select_related = ("subject",)


@admin.register(SupportRecord)
class SupportRecordAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "kind", "date", "amount")
    list_filter = ("kind",)
    search_fields = ("subject__name", "content")
    list_select_related = ("subject",)
    date_hierarchy = "date"
