"""Reads of media coverage, with the permission filter."""

import datetime as dt

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communications.models import MediaItem, Outlet, OutletLevel
from ocop_portal.collation import vietnamese
from ocop_portal.domain import FIRST_PROGRAMME_YEAR
from ocop_portal.permissions import scope_to_user
from products.models import Product
from subjects.models import Subject


def media_item_list_for_user(user, *, archived: bool = False):
    """The media items the user may see, newest first (a district officer: their district's);
    with `archived`, the archived ones instead of those in use."""
    items = (MediaItem.listed(archived=archived).select_related("outlet", "district")
             .order_by("-published_at", "-pk"))
    return scope_to_user(items, user)


def with_featured_for_user(items, user):
    """The items with the products and producers they feature, as far as the user may see
    them (`item.featured_products`, `item.featured_subjects`: lists, by name): an officer's item
    may feature another district's, which stay hidden from the officer. Lists rather than
    managers, so that an export of thousands of items does not build a queryset per row."""
    products = Product.objects.only("name", "district").order_by(vietnamese("name"), "pk")
    subjects = Subject.objects.only("name", "district").order_by(vietnamese("name"), "pk")
    return items.prefetch_related(
        Prefetch("products", queryset=scope_to_user(products, user),
                 to_attr="featured_products"),
        Prefetch("subjects", queryset=scope_to_user(subjects, user),
                 to_attr="featured_subjects"),
    )


def media_item_visible_to(user, pk) -> bool:
    """Whether the user may open the item (archived or not)."""
    return scope_to_user(MediaItem.all_objects.filter(pk=pk), user).exists()


def media_item_get_for_user(user, pk) -> MediaItem:
    """One media item the user may see, archived or not, with what it features; 404 outside
    their scope."""
    items = scope_to_user(
        MediaItem.all_objects.select_related("outlet", "district", "created_by"), user)
    items = with_featured_for_user(items, user)
    return get_object_or_404(items, pk=pk)


def media_items_for_product(user, product):
    """The coverage featuring a product, as far as the user may see it, newest first."""
    return media_item_list_for_user(user).filter(products=product)


def outlet_list():
    """Every outlet with how many items it published, central outlets first."""
    level_order = Case(*(When(level=level, then=Value(rank))
                         for rank, level in enumerate(OutletLevel.values)),
                       output_field=IntegerField())
    return Outlet.objects.annotate(
        item_count=Count("items", filter=Q(items__archived_at__isnull=True)),
        level_rank=level_order).order_by("level_rank", vietnamese("name"), "pk")


def year_choices(today: dt.date | None = None) -> list[int]:
    """The years offered by filters and the calendar, newest first."""
    today = today or timezone.localdate()
    return list(range(today.year + 1, FIRST_PROGRAMME_YEAR - 1, -1))
