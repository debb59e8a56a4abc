"""Filters of the media list, shared by the page and its Excel export."""

import django_filters
from django import forms

from communications.models import MediaKind, OutletLevel
from communications.selectors import year_choices
from ocop_portal.filters import DrillThroughFilterSet
from ocop_portal.models import District
from ocop_portal.permissions import scope_to_user, visible_districts
from ocop_portal.text import fold
from products.models import Product

MONTH_CHOICES = [(month, f"Tháng {month}") for month in range(1, 13)]


def _districts(request):
    if request is None:
        return District.objects.none()
    return visible_districts(request.user)


def _products(request):
    if request is None:
        return Product.objects.none()
    return scope_to_user(Product.objects.all(), request.user)


class MediaItemFilter(DrillThroughFilterSet):
    record_kind = "media"

    q = django_filters.CharFilter(label="Tìm kiếm", method="search", widget=forms.TextInput(
        attrs={"placeholder": "Tiêu đề, cơ quan báo chí, tác giả", "type": "search"}))
    year = django_filters.ChoiceFilter(
        label="Năm", field_name="published_at", lookup_expr="year",
        empty_label="Tất cả")
    month = django_filters.ChoiceFilter(
        label="Tháng", field_name="published_at", lookup_expr="month",
        choices=MONTH_CHOICES, empty_label="Tất cả")
    kind = django_filters.ChoiceFilter(label="Thể loại", choices=MediaKind.choices,
                                       empty_label="Tất cả")
    outlet_level = django_filters.ChoiceFilter(
        label="Cấp báo chí", field_name="outlet__level", choices=OutletLevel.choices,
        empty_label="Tất cả")
    district = django_filters.ModelChoiceFilter(
        label="Huyện/Thành phố", queryset=_districts, to_field_name="code", empty_label="Tất cả")
    # Reached from a product's page; shown as a removable badge rather than a long list.
    product = django_filters.ModelChoiceFilter(
        label="Sản phẩm", field_name="products", queryset=_products, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in year_choices()]

    def search(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset
