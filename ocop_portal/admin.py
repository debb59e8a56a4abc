from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ocop_portal.admin_services import ReadOnlyAdmin
from ocop_portal.models import Commune, District, Province, UnitSuccession, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "district", "is_active", "last_login")
    list_filter = ("role", "district", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    list_select_related = ("district",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("last_name", "first_name", "email", "job_title")}),
        ("Vai trò", {"fields": ("role", "district", "is_active")}),
        ("Thời gian", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "district")}),
    )
    readonly_fields = ("last_login", "date_joined")


class CommuneInline(admin.TabularInline):
    model = Commune
    extra = 0
    fields = ("code", "kind", "name", "valid_from", "valid_to")


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "valid_from", "valid_to")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "valid_from", "valid_to")
    search_fields = ("code", "name")
    inlines = [CommuneInline]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "district", "province", "valid_from", "valid_to")
    list_filter = ("district", "province", "kind")
    search_fields = ("code", "name")
    list_select_related = ("district", "province")


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    """The record of how units followed one another: loaded from the reference data
    (load_backan_2024), read here, changed only there."""

    list_display = ("predecessor", "successor", "kind", "on", "basis", "confidence")
    list_filter = ("on", "kind")
    search_fields = ("predecessor__name", "successor__name", "predecessor__code")
    list_select_related = ("predecessor", "successor")
