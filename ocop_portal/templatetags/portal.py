"""Template helpers shared by the apps: stars, certificate badges, numbers."""

import hashlib
import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ocop_portal import figures_cache, numbers

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


class FiguresFragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        user = context["request"].user
        # What decides what a user is shown: the role that decides access (a superuser acts as
        # an administrator whatever his role field says) and the district of his scope.
        parts = [user.effective_role, user.district_id,
                 *(part.resolve(context) for part in self.parts)]
        digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]
        return mark_safe(figures_cache.cached(  # noqa: S308 - the block's own rendering
            f"fragment:{digest}", lambda: self.nodelist.render(context), year=0,
            today=timezone.localdate()))


@register.tag
def figures_fragment(parser, token):
    """A part of a page drawn from the registry's figures, cached as rendered HTML until a
    registry write, the next day, or a change of the user's scope (the role that decides
    access, the district) or of any value named (the page's path, its filters):

        {% figures_fragment "dashboard" request.path query_string %}
        ...
        {% endfigures_fragment %}

    It shares the figures cache's rules: stale never, and with the cache down the block is
    rendered as if nothing were cached. Nothing in it may depend on anything else of the
    request or the user (no CSRF token, no messages, no name)."""
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfigures_fragment",))
    parser.delete_first_token()
    return FiguresFragmentNode(nodelist, parts)
