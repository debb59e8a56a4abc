"""Pages of media coverage: list, calendar, record and edit, export, attachments, outlets."""

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from communications import selectors, services
from communications.filters import filtered_media_items
from communications.forms import MediaItemForm, OutletForm
from communications.models import Outlet
from ocop_portal import review
from ocop_portal.archive_views import archive_view, page_rights, restore_view
from ocop_portal.download_views import export_or_offer
from ocop_portal.permissions import (
    require_edit_district,
    require_plan_manager,
    require_write,
)
from ocop_portal.views_helpers import file_download, querystring_without_page

PAGE_SIZE = 25


def _filtered(request):
    return filtered_media_items(request.user, request.GET)


@require_GET
def media_item_list(request):
    filterset, queryset, sort = _filtered(request)
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    without_product = request.GET.copy()
    for key in ("product", "page"):
        without_product.pop(key, None)
    return render(request, "communications/mediaitem_list.html", {
        "filter": filterset, "page_obj": page_obj,
        "query_string": querystring_without_page(request.GET),
        "product": cleaned.get("product"), "selected_year": cleaned.get("year"),
        "without_product": without_product.urlencode(),
        "active_filters": sum(1 for value in cleaned.values() if value not in (None, "")),
        "can_write": request.user.can_write_records, "indicator": filterset.drill_through,
        "scope_note": filterset.drill_through.scope_note(request.user)
        if filterset.drill_through else "",
        "sort": sort.headers(),
    })


@require_GET
def media_item_export(request):
    return export_or_offer(request, "media")


@require_GET
def media_item_detail(request, pk):
    item = selectors.media_item_get_for_user(request.user, pk)
    return render(request, "communications/mediaitem_detail.html", {
        "item": item,
        # What awaits the province's review, for the badge and the notice (one query).
        "pending_changes": review.annotate_records([item]),
        **page_rights(request.user, item),
    })


def _duplicate_context(request, error):
    """Which existing item a refused address points at, and whether the user may open it."""
    existing = getattr(error, "existing", None)
    if existing is None:
        return None
    visible = selectors.media_item_visible_to(request.user, existing.pk)
    return {"item": existing if visible else None}


def _form_page(request, form, item=None, duplicate=None):
    return render(request, "communications/mediaitem_form.html", {
        "form": form, "item": item, "duplicate": duplicate,
        "can_add_outlet": request.user.can_manage_plan,
    })


def media_item_create(request):
    require_write(request.user)
    form = MediaItemForm(request.POST or None, request.FILES or None, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.media_item_create(user=request.user, **form.service_fields())
        except ValidationError as error:
            duplicate = _duplicate_context(request, error)
            form.add_service_error(error)
        else:
            messages.success(request, f"Đã ghi nhận tin, bài “{item.title}”.")
            return redirect("communications:detail", pk=item.pk)
    return _form_page(request, form, duplicate=duplicate)


def media_item_update(request, pk):
    item = selectors.media_item_get_for_user(request.user, pk)
    require_write(request.user)
    require_edit_district(request.user, item.district_id)
    form = MediaItemForm(request.POST or None, request.FILES or None, user=request.user,
                         instance=item)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            services.media_item_update(media_item=item, user=request.user,
                                       **form.service_fields())
        except ValidationError as error:
            duplicate = _duplicate_context(request, error)
            form.add_service_error(error)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("communications:detail", pk=item.pk)
    return _form_page(request, form, item=item, duplicate=duplicate)


@require_GET
def media_item_attachment(request, pk):
    item = selectors.media_item_get_for_user(request.user, pk)
    filename = PurePath(item.attachment.name).name if item.attachment else ""
    # Always a download, never rendered inline: the file is user-supplied.
    return file_download(
        item.attachment, filename=filename,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        not_made="Tin, bài này không có tệp đính kèm.", missing="Không tìm thấy tệp đính kèm.")


@require_GET
def media_item_open(request, pk):
    """Go to the item's original address (pages link here, not to other hosts directly)."""
    item = selectors.media_item_get_for_user(request.user, pk)
    if not item.url:
        raise Http404("Tin, bài này không có đường dẫn.")
    return HttpResponseRedirect(item.url)


@require_GET
def outlet_list(request):
    return render(request, "communications/outlet_list.html", {
        "outlets": selectors.outlet_list(), "can_manage": request.user.can_manage_plan,
    })


def _outlet_form_page(request, outlet=None):
    form = OutletForm(request.POST or None, instance=outlet)
    if request.method == "POST" and form.is_valid():
        try:
            if outlet is None:
                outlet = services.outlet_create(user=request.user, **form.cleaned_data)
            else:
                services.outlet_update(outlet=outlet, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã lưu cơ quan báo chí “{outlet.name}”.")
            return redirect("communications:outlet_list")
    return render(request, "communications/outlet_form.html", {"form": form, "outlet": outlet})


def outlet_create(request):
    require_plan_manager(request.user)
    return _outlet_form_page(request)


def outlet_update(request, pk):
    require_plan_manager(request.user)
    return _outlet_form_page(request, get_object_or_404(Outlet, pk=pk))


# "Lưu trữ" and "Khôi phục" on the page (ocop_portal.archive_views).
media_item_archive = archive_view(
    get=selectors.media_item_get_for_user, archive=services.media_item_archive,
    what="tin, bài", detail="communications:detail")
media_item_restore = restore_view(
    get=selectors.media_item_get_for_user, restore=services.media_item_restore,
    what="tin, bài", detail="communications:detail")
