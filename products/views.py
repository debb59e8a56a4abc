"""Pages of the product registry. Each view parses input with a form, calls one selector or
service, and renders or redirects."""

import mimetypes
from functools import partial
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from communications.selectors import media_items_for_product
from ocop_portal.archive_views import archive_view, page_rights, restore_view
from ocop_portal.download_views import export_or_offer
from ocop_portal.permissions import (
    require_edit_district,
    require_write,
    scope_to_user,
)
from ocop_portal.views_helpers import (
    add_service_errors,
    file_download,
    querystring_without_page,
    record_about,
)
from products import selectors, services
from products.filters import filtered_products
from products.forms import (
    CertificateRevokeForm,
    DecisionScanForm,
    EvaluationForm,
    ParticipationAdvanceForm,
    ParticipationForm,
    ParticipationWithdrawForm,
    ProductForm,
    QualityCertificationForm,
    TraceabilityForm,
)
from products.models import Certificate, CertificateStatus, CycleParticipation, Evaluation

PAGE_SIZE = 50


def _filtered_products(request):
    return filtered_products(request.user, request.GET)


def product_list(request):
    product_filter, queryset, indicator, sort = _filtered_products(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "products/product_list.html", {
        "filter": product_filter,
        "page_obj": page,
        "products": page.object_list,
        "indicator": indicator,
        "scope_note": indicator.scope_note(request.user) if indicator else "",
        "sort": sort.headers(),
        "query_string": querystring_without_page(request.GET),
    })


def product_export(request):
    return export_or_offer(request, "products")


def product_detail(request, pk):
    product = selectors.product_get_for_user(request.user, pk)
    context = {
        "product": product,
        **page_rights(request.user, product),
        **selectors.product_detail(product, request.user),
        "coverage": list(media_items_for_product(request.user, product)),
    }
    return render(request, "products/product_detail.html", context)


def _initial_from_query(params, names):
    """Start values passed by a link (a producer's "Thêm sản phẩm"); the form's choices, limited
    to the user's scope, still decide what may be saved."""
    return {name: params[name] for name in names if params.get(name, "").isdigit()}


@require_http_methods(["GET", "POST"])
def product_create(request):
    require_write(request.user)
    form = ProductForm(request.POST or None, request.FILES or None, user=request.user,
                       initial=_initial_from_query(request.GET, ("subject", "district")))
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã thêm sản phẩm “{product.name}”.")
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/product_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def product_update(request, pk):
    product = selectors.product_get_for_user(request.user, pk)
    require_edit_district(request.user, product.district_id)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product,
                       user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(product, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/product_form.html", {"form": form, "product": product})


def product_photo(request, pk):
    product = selectors.product_get_for_user(request.user, pk)
    if not product.photo:
        raise Http404("Sản phẩm chưa có ảnh.")
    return FileResponse(product.photo.open("rb"))


def _evaluation_of(request, pk, evaluation_pk) -> Evaluation:
    """An evaluation of a product the user may see (product_get_for_user), or 404."""
    product = selectors.product_get_for_user(request.user, pk)
    evaluation = get_object_or_404(Evaluation.objects.filter(product=product), pk=evaluation_pk)
    evaluation.product = product  # read with what its page shows
    return evaluation


@require_GET
def evaluation_decision_scan(request, pk, evaluation_pk):
    """The scan of an evaluation's decision, for whoever may see the product."""
    evaluation = _evaluation_of(request, pk, evaluation_pk)
    filename = PurePath(evaluation.decision_scan.name).name if evaluation.decision_scan else ""
    # Always a download, never rendered inline: the file is user-supplied.
    return file_download(
        evaluation.decision_scan, filename=filename,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        not_made="Đánh giá này chưa có bản chụp quyết định.",
        missing="Không tìm thấy tệp bản chụp quyết định.")


@require_http_methods(["GET", "POST"])
def evaluation_decision_scan_upload(request, pk, evaluation_pk):
    """Attach (or replace) the scan of a recorded evaluation's decision."""
    evaluation = _evaluation_of(request, pk, evaluation_pk)
    product = evaluation.product
    require_edit_district(request.user, product.district_id)
    form = DecisionScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_decision_scan_attach(evaluation, user=request.user,
                                                     **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã lưu bản chụp quyết định "
                                      f"{evaluation.decision_number}.")
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/decision_scan_form.html",
                  {"form": form, "product": product, "evaluation": evaluation})


def _product_subform(request, pk, form_class, service, template, success):
    """Record something about a product (an evaluation, a standard, traceability)."""
    product = selectors.product_get_for_user(request.user, pk)
    require_edit_district(request.user, product.district_id)
    return record_about(request, parent=product, parent_name="product", form_class=form_class,
                        service=service, template=template, success=success,
                        success_url=reverse("products:detail", args=[product.pk]))


@require_http_methods(["GET", "POST"])
def evaluation_create(request, pk):
    return _product_subform(request, pk, EvaluationForm, services.evaluation_record,
                            "products/evaluation_form.html", "Đã ghi nhận kết quả đánh giá.")


@require_http_methods(["GET", "POST"])
def quality_certification_create(request, pk):
    return _product_subform(request, pk, QualityCertificationForm,
                            services.quality_certification_add,
                            "products/qualitycertification_form.html",
                            "Đã ghi nhận chứng nhận tiêu chuẩn chất lượng.")


@require_http_methods(["GET", "POST"])
def traceability_create(request, pk):
    return _product_subform(request, pk, TraceabilityForm, services.traceability_add,
                            "products/traceability_form.html",
                            "Đã ghi nhận truy xuất nguồn gốc.")


@require_http_methods(["GET", "POST"])
def certificate_revoke(request, pk):
    certificate = get_object_or_404(
        scope_to_user(Certificate.objects.select_related("product", "evaluation"), request.user,
                      district_field="product__district"), pk=pk)
    product = certificate.product
    require_edit_district(request.user, product.district_id)
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(certificate, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if certificate.status == CertificateStatus.REVOKED:
                messages.success(request, "Đã thu hồi giấy chứng nhận.")
            else:
                messages.success(request, "Đã gửi đề nghị thu hồi giấy chứng nhận.")
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/certificate_revoke.html",
                  {"form": form, "product": product, "certificate": certificate})


@require_http_methods(["GET", "POST"])
def participation_create(request, pk):
    return _product_subform(request, pk, ParticipationForm, services.participation_register,
                            "products/participation_form.html",
                            "Đã ghi nhận sản phẩm tham gia chu trình OCOP.")


def _participation_page(request, pk, form_class, service, template, success):
    """Move on or end a product's cycle participation, in the user's districts only."""
    participation = get_object_or_404(
        scope_to_user(CycleParticipation.objects.select_related("product", "product__district",
                                                                "product__subject"),
                      request.user, district_field="product__district"), pk=pk)
    require_edit_district(request.user, participation.product.district_id)
    return record_about(request, parent=participation, parent_name="participation",
                        form_class=partial(form_class, participation=participation),
                        service=service, template=template, success=success,
                        success_url=reverse("products:detail", args=[participation.product_id]))


@require_http_methods(["GET", "POST"])
def participation_advance(request, pk):
    return _participation_page(request, pk, ParticipationAdvanceForm,
                               services.participation_advance,
                               "products/participation_advance.html",
                               "Đã chuyển giai đoạn trong chu trình.")


@require_http_methods(["GET", "POST"])
def participation_withdraw(request, pk):
    return _participation_page(request, pk, ParticipationWithdrawForm,
                               services.participation_withdraw,
                               "products/participation_withdraw.html",
                               "Đã ghi nhận sản phẩm rút khỏi chu trình.")


# "Lưu trữ" and "Khôi phục" on the page (ocop_portal.archive_views).
product_archive = archive_view(get=selectors.product_get_for_user, archive=services.product_archive,
                               what="sản phẩm", detail="products:detail")
product_restore = restore_view(get=selectors.product_get_for_user, restore=services.product_restore,
                               what="sản phẩm", detail="products:detail")
