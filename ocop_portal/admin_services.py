"""The back office writes through the same services as the portal's pages.

`ServiceAdmin`: the admin form validates by running the model's service inside a transaction
that it rolls back, so every rule the service holds (future dates, bands, duplicates,
supersession, scope) is shown on the form and nothing is saved; the save then runs the service
for real. A model without a service to write it is `ReadOnlyAdmin`: shown, never edited here.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest

from ocop_portal.period_lock import delete_refusals
from ocop_portal.views_helpers import add_service_errors


class _DryRun(Exception):
    """Raised to roll back a service run only to validate a form."""


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown in the back office, written only by the portal's pages and their services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose add, change and delete call the model's services."""

    def save_with_service(self, request: HttpRequest, obj: Any | None,
                          data: dict[str, Any]) -> models.Model:
        """Create (obj None) or change `obj` from the form's cleaned data; return the record."""
        raise NotImplementedError

    # None: the back office cannot delete this model.
    delete_with_service: Any = None

    def _fresh(self, obj: models.Model | None) -> Any | None:
        if obj is None or obj.pk is None:
            return None
        # The base manager: an archived record (left out of the default one) is found too.
        return type(obj)._base_manager.get(pk=obj.pk)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(base):  # type: ignore[valid-type,misc]
            def clean(form):
                cleaned = super().clean()
                if form.errors:
                    return cleaned
                try:
                    with transaction.atomic():
                        model_admin.save_with_service(request, model_admin._fresh(obj), cleaned)
                        raise _DryRun
                except _DryRun:
                    pass
                except PermissionDenied as denied:
                    form.add_error(None, str(denied) or "Bạn không có quyền ghi hồ sơ này.")
                except ValidationError as error:
                    add_service_errors(form, error)
                return cleaned

        return ServiceForm

    def save_model(self, request, obj, form, change):
        saved = self.save_with_service(request, self._fresh(obj) if change else None,
                                       form.cleaned_data)
        obj.pk = saved.pk  # for the redirect and the admin's log
        form.instance = saved

    def save_related(self, request, form, formsets, change):
        """The service saved what the record owns (its many-to-many links included); inlines of
        a service admin are read-only, so their formsets have nothing to save."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_delete_permission(self, request, obj=None):
        return self.delete_with_service is not None and super().has_delete_permission(request,
                                                                                       obj)

    def get_deleted_objects(self, objs, request):
        # A record dated in a closed month (chốt số liệu) is shown as protected, with the
        # reason, so the confirmation page refuses instead of failing on the delete.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *delete_refusals(objs)]

    def delete_model(self, request, obj):
        self.delete_with_service(obj, user=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ArchivedFilter(admin.SimpleListFilter):
    title = "lưu trữ"
    parameter_name = "luu_tru"

    def lookups(self, request, model_admin):
        return [("dang_dung", "Đang sử dụng"), ("luu_tru", "Đã lưu trữ")]

    def queryset(self, request, queryset):
        if self.value() == "dang_dung":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "luu_tru":
            return queryset.filter(archived_at__isnull=False)
        return queryset


class ArchivableAdmin(admin.ModelAdmin):
    """The back office sees archived records as well (the default manager leaves them out),
    with a filter to tell them apart; archiving itself happens on the record's page."""

    def get_queryset(self, request):
        queryset = self.model.all_objects.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_list_filter(self, request):
        return [ArchivedFilter, *super().get_list_filter(request)]

