"""Template helpers shared by the apps: stars, certificate badges, numbers."""

from django import template
from django.utils.html import format_html

from ocop_portal import numbers

register = template.Library()

STATUS_CLASSES = {
    "active": "text-bg-success",
    "expired": "text-bg-danger",
    "revoked": "text-bg-dark",
    "superseded": "text-bg-secondary",
}


@register.filter
def stars(count):
    """★★★☆☆ for 3 of 5 stars, with an accessible label."""
    if count in (None, ""):
        return ""
    count = int(count)
    return format_html('<span class="stars" title="{} sao" aria-label="{} sao">{}</span>', count,
                       count, "★" * count + "☆" * (5 - count))


@register.filter
def number_text(value):
    """A whole number with the Vietnamese thousands dot: 20.000."""
    return "" if value in (None, "") else numbers.number_text(value)


@register.inclusion_tag("includes/certificate_badge.html")
def certificate_badge(certificate):
    """The certificate's status today as a coloured badge, with days left when it runs out soon."""
    if certificate is None:
        return {"certificate": None}
    status = certificate.current_status
    days_left = certificate.days_left if status == "active" else None
    return {"certificate": certificate, "status": status,
            "label": certificate.current_status_label, "css": STATUS_CLASSES[status],
            "days_left": days_left if days_left is not None and days_left <= 90 else None}
