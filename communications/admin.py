from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from communications.models import MediaItem, Outlet
from communications.services import (
    DuplicateMediaItem,
    media_item_find_duplicate,
    media_item_keys,
    outlet_find_duplicate,
    refresh_search_text_for_outlet,
)

URL_FIELD = {models.URLField: {"assume_scheme": "https"}}


class OutletAdminForm(forms.ModelForm):
    def clean_name(self):
        name = self.cleaned_data["name"]
        duplicate = outlet_find_duplicate(name=name, exclude_pk=self.instance.pk)
        if duplicate:
            raise forms.ValidationError(f"Đã có cơ quan báo chí “{duplicate.name}”.")
        return name


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    form = OutletAdminForm
    formfield_overrides = URL_FIELD
    list_display = ["name", "level", "website"]
    list_filter = ["level"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_text_for_outlet(obj)


class MediaItemAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The same duplicate rule as the portal's form, so the back office cannot record one
        # article twice either.
        duplicate = media_item_find_duplicate(url=cleaned.get("url", ""),
                                              exclude_pk=self.instance.pk)
        if duplicate:
            raise DuplicateMediaItem(duplicate)
        return cleaned


@admin.register(MediaItem)
class MediaItemAdmin(SimpleHistoryAdmin):
    form = MediaItemAdminForm
    formfield_overrides = URL_FIELD
    list_display = ["title", "kind", "outlet", "published_at", "district", "is_demo"]
    list_filter = ["kind", "outlet__level", "district", "is_demo"]
    list_select_related = ["outlet", "district"]
    search_fields = ["title", "author", "outlet__name", "url"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["outlet"]
    raw_id_fields = ["products", "subjects"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        media_item_keys(obj)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
