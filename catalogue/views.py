"""The public pages (no login): the catalogue of certified products, a product's card and the
certificate check that the printed QR code opens; and, for signed-in users, the QR downloads.

The public pages are cached as rendered HTML under the registry version (ocop_portal.
figures_cache), which every write of a record retires: a revoked certificate leaves the
catalogue at once. They read nothing of the request but its filters, so no cookie is set."""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from catalogue import selectors
from catalogue.forms import CatalogueFilterForm
from catalogue.qr import qr_inline_svg, qr_png, qr_svg
from catalogue.throttle import rate_limited
from ocop_portal.figures_cache import cached
from products.selectors import product_get_for_user

PAGE_SIZE = 24



def verify_url(request, token: str) -> str:
    """The check page's address a QR code carries: under PUBLIC_BASE_URL when set (labels are
    often printed from an office machine that reaches the portal by an internal name), else the
    address the request came in on."""
    path = reverse("catalogue:verify", args=[token])
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)

def _cached_page(name: str, today: dt.date, build) -> HttpResponse:
    key = hashlib.sha256(name.encode()).hexdigest()
    html = cached(f"catalogue:{key}", build, year=today.year, today=today)
    return HttpResponse(html)


@login_not_required
@require_safe
@rate_limited("catalogue", "CATALOGUE_RATE")
def catalogue_list(request):
    today = timezone.localdate()
    form = CatalogueFilterForm(request.GET or None, today=today)
    filters = form.cleaned_data if form.is_valid() else {}
    page_number = request.GET.get("page") or "1"

    def build() -> str:
        products = selectors.catalogue_search(today, **filters)
        page = Paginator(products, PAGE_SIZE).get_page(page_number)
        query = request.GET.copy()
        query.pop("page", None)
        return render_to_string("catalogue/catalogue_list.html", {
            "form": form, "page": page, "today": today, "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
        })

    name = f"list:{sorted(request.GET.lists())}:{page_number}"
    return _cached_page(name, today, build)


@login_not_required
@require_safe
@rate_limited("catalogue", "CATALOGUE_RATE")
def product_card(request, pk):
    today = timezone.localdate()

    def build() -> str:
        product = selectors.catalogue_product_get(pk, today)
        certificate = product.current_certificate  # the catalogue holds certified products only
        if certificate is None:
            raise Http404
        return render_to_string("catalogue/product_card.html", {
            "product": product, "subject": product.subject,
            "certificate": certificate, "evaluation": certificate.evaluation,
            "standards": selectors.catalogue_standards(product, today), "today": today,
        })

    return _cached_page(f"card:{pk}", today, build)


@login_not_required
@require_safe
@rate_limited("catalogue", "CATALOGUE_RATE")
def product_photo(request, pk):
    product = selectors.catalogue_product_get(pk, timezone.localdate())
    if not product.photo:
        raise Http404("Sản phẩm chưa có ảnh.")
    return FileResponse(product.photo.open("rb"))


@login_not_required
@require_safe
@rate_limited("verify", "VERIFY_RATE")
def verify(request, token):
    today = timezone.localdate()

    def build() -> str:
        certificate = selectors.certificate_by_token(token)
        check = selectors.certificate_check(certificate, today)
        listed = selectors.catalogue_products(today).filter(pk=certificate.product_id).exists()
        return render_to_string("catalogue/verify.html", {
            "certificate": certificate, "product": certificate.product,
            "evaluation": certificate.evaluation, "check": check, "today": today,
            "listed": listed,
        })

    return _cached_page(f"verify:{token}", today, build)


def _qr_download(request, token, render, content_type: str, extension: str):
    # An unknown token is a 404 for everyone; a known one is for signed-in users, who print
    # the labels. (The page the code opens is public: the code itself adds nothing to it.)
    certificate = selectors.certificate_by_token(token)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    product_get_for_user(request.user, certificate.product_id)
    url = verify_url(request, token)
    response = HttpResponse(render(url), content_type=content_type)
    filename = f"qr-gcn-{certificate.number or certificate.pk}.{extension}"
    filename = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_safe
def verify_qr_svg(request, token):
    return _qr_download(request, token, qr_svg, "image/svg+xml", "svg")


@login_not_required
@require_safe
def verify_qr_png(request, token):
    return _qr_download(request, token, qr_png, "image/png", "png")


def product_label(request, pk):
    """The A6 label of the product's current certificate (or of ?certificate=<pk>, one of the
    product's), to print: the QR code, the name, the stars, the number and the validity."""
    product = product_get_for_user(request.user, pk)
    certificates = product.certificates.select_related("evaluation")
    wanted = request.GET.get("certificate")
    if wanted and wanted.isdigit():
        certificate = certificates.filter(pk=int(wanted)).first()
    else:
        certificate = product.current_certificate
    if certificate is None:
        raise Http404("Sản phẩm chưa có giấy chứng nhận OCOP.")
    url = verify_url(request, certificate.verify_token)
    return render(request, "catalogue/product_label.html", {
        "product": product, "certificate": certificate, "verify_url": url,
        "qr_svg": mark_safe(qr_inline_svg(url)),  # noqa: S308 - segno's own markup, no input in it
    })
