"""Reads of the public pages: only products in use holding a certificate valid on the day, and
only the fields of the public card (issue 15); nothing here depends on who asks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ocop_portal.models import District, ReviewState
from ocop_portal.text import search_terms
from products.models import (
    Certificate,
    CertificateStatus,
    Product,
    ProductGroup,
    QualityCertification,
)

# A certificate whose validity ends within this many days is shown as "sắp hết hạn".
EXPIRING_WITHIN_DAYS = 90

CARD_JOINS = ("subject", "subject__commune", "commune", "district", "group", "group__parent",
              "current_certificate", "current_certificate__evaluation")


def catalogue_products(today: dt.date) -> QuerySet:
    """Products in use, of a producer in use, whose current certificate is valid on `today`."""
    return Product.objects.filter(
        subject__archived_at__isnull=True,
        current_certificate__status=CertificateStatus.ACTIVE,
        # Published only once the province has confirmed it (ocop_portal.review).
        current_certificate__review_state=ReviewState.CONFIRMED,
        current_certificate__valid_from__lte=today,
        current_certificate__valid_to__gte=today,
    ).select_related(*CARD_JOINS)


def catalogue_search(today: dt.date, *, q: str = "", stars: int | None = None,
                     group: ProductGroup | None = None,
                     district: District | None = None) -> QuerySet:
    """The catalogue filtered: words without diacritics, stars, product group, district."""
    products = catalogue_products(today)
    for word in search_terms(q or ""):
        products = products.filter(search_text__contains=word)
    if stars:
        products = products.filter(current_certificate__evaluation__stars=stars)
    if group is not None:
        products = products.filter(Q(group=group) | Q(group__parent=group))
    if district is not None:
        products = products.filter(district=district)
    return products


def catalogue_product_get(pk: int, today: dt.date) -> Product:
    """One product of the catalogue, or 404."""
    return get_object_or_404(catalogue_products(today), pk=pk)


def catalogue_standards(product: Product, today: dt.date) -> list[str]:
    """The names of the product's quality standards still valid on `today`."""
    certifications = QualityCertification.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today), product=product,
        issued_on__lte=today, review_state=ReviewState.CONFIRMED).order_by("standard", "pk")
    return sorted({str(certification) for certification in certifications})


def catalogue_groups(today: dt.date) -> QuerySet:
    """The top product groups that have products in the catalogue on `today`."""
    listed = catalogue_products(today)
    return ProductGroup.objects.filter(parent__isnull=True).filter(
        Q(pk__in=listed.values("group")) | Q(pk__in=listed.values("group__parent"))
    ).order_by("criteria_version", "position", "code")


def catalogue_districts(today: dt.date) -> QuerySet:
    """The districts that have products in the catalogue on `today`."""
    return District.objects.filter(
        pk__in=catalogue_products(today).values("district")).order_by("code")


def certificate_by_token(token: str) -> Certificate:
    """The certificate of a check page, or 404 (also for a product or producer archived)."""
    return get_object_or_404(
        Certificate.objects.select_related(
            "evaluation", "product", "product__subject", "product__commune", "product__district",
            "product__current_certificate", "superseded_by"),
        verify_token=token, review_state=ReviewState.CONFIRMED,
        product__archived_at__isnull=True,
        product__subject__archived_at__isnull=True)


@dataclass(frozen=True)
class CheckResult:
    code: str  # active, expiring, expired, revoked, superseded
    label: str
    css: str
    days_left: int | None
    current: Certificate | None  # the certificate in force instead, when superseded


VERIFY_LABELS = {
    "active": ("Còn hiệu lực", "success"),
    "expiring": ("Sắp hết hạn", "warning"),
    "expired": ("Hết hạn", "secondary"),
    "revoked": ("Đã bị thu hồi", "danger"),
    "superseded": ("Đã được thay thế", "primary"),
}


def certificate_check(certificate: Certificate, day: dt.date) -> CheckResult:
    """The certificate's status on `day`, as the check page tells it."""
    status = certificate.status_on(day)
    days_left = None
    code = status
    if status == CertificateStatus.ACTIVE:
        days_left = (certificate.valid_to - day).days
        if days_left <= EXPIRING_WITHIN_DAYS:
            code = "expiring"
    current = None
    if status == CertificateStatus.SUPERSEDED:
        current = _current_instead(certificate)
    label, css = VERIFY_LABELS[str(code)]
    return CheckResult(str(code), label, css, days_left, current)


def _current_instead(certificate: Certificate) -> Certificate | None:
    """The product's current certificate, else the last of the chain of successors."""
    current = certificate.product.current_certificate
    if current is not None and current.pk != certificate.pk:
        return current
    successor, seen = certificate.superseded_by, {certificate.pk}
    while successor is not None and successor.superseded_by_id and successor.pk not in seen:
        seen.add(successor.pk)
        successor = successor.superseded_by
    return successor
