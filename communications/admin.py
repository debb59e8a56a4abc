"""The back office of media coverage: writes go through communications.services."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from communications import services
from communications.models import MediaItem, Outlet
from ocop_portal.admin_services import ArchivableAdmin, ServiceAdmin
from ocop_portal.forms import AdminModelForm

URL_FIELD = {models.URLField: {"assume_scheme": "https"}}
MEDIA_ITEM_FIELDS = ("title", "kind", "outlet", "published_at", "url", "author", "district",
                     "products", "subjects", "note", "attachment")


@admin.register(Outlet)
class OutletAdmin(ServiceAdmin):
    form = AdminModelForm
    formfield_overrides = URL_FIELD
    list_display = ["name", "level", "website"]
    list_filter = ["level"]
    search_fields = ["name"]
    fields = ["name", "level", "website"]

    def save_with_service(self, request, obj, data):
        values = {name: data[name] for name in self.fields}
        if obj is None:
            return services.outlet_create(user=request.user, **values)
        return services.outlet_update(outlet=obj, user=request.user, **values)


@admin.register(MediaItem)
class MediaItemAdmin(ArchivableAdmin, ServiceAdmin, SimpleHistoryAdmin):
    form = AdminModelForm
    formfield_overrides = URL_FIELD
    list_display = ["title", "kind", "outlet", "published_at", "district", "is_demo"]
    list_filter = ["kind", "outlet__level", "district", "is_demo"]
    list_select_related = ["outlet", "district"]
    search_fields = ["title", "author", "outlet__name", "url"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["outlet"]
    raw_id_fields = ["products", "subjects"]
    fields = [*MEDIA_ITEM_FIELDS, "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def save_with_service(self, request, obj, data):
        values = {name: data.get(name) for name in MEDIA_ITEM_FIELDS}
        values["products"] = list(values["products"] or [])
        values["subjects"] = list(values["subjects"] or [])
        attachment = values.pop("attachment")
        if obj is None:
            return services.media_item_create(user=request.user, attachment=attachment or None,
                                              **values)
        if attachment is not None:
            values["attachment"] = attachment or ""
        return services.media_item_update(media_item=obj, user=request.user, **values)
