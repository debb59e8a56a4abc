"""Filters of the media list, shared by the page and its Excel export."""

import django_filters
from django import forms

from communications import selectors
from communications.models import MediaKind, OutletLevel
from communications.selectors import year_choices
from ocop_portal.archive_views import archived_asked
from ocop_portal.filters import DrillThroughFilterSet
from ocop_portal.models import District
from ocop_portal.permissions import scope_to_user, visible_districts
from ocop_portal.sorting import Column, ListSort
from ocop_portal.text import fold
from products.models import Product

MONTH_CHOICES = [(month, f"Tháng {month}") for month in range(1, 13)]


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
        label="Huyện/Thành phố", queryset=District.objects.none(), to_field_name="code",
        empty_label="Tất cả")
    # Reached from a product's page; shown as a removable badge rather than a long list.
    product = django_filters.ModelChoiceFilter(
        label="Sản phẩm", field_name="products", queryset=Product.objects.none(),
        widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        """Choices limited to what `user` may see (none without a user)."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["district"].queryset = visible_districts(user)
            self.filters["product"].queryset = scope_to_user(Product.objects.all(), user)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in year_choices()]

    def search(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


SORT_COLUMNS = (
    Column("published", "Ngày đăng", ("published_at",), descending_first=True),
    Column("title", "Tiêu đề", ("title",), text=True),
    Column("kind", "Thể loại", ("kind",)),
    Column("outlet", "Cơ quan báo chí", ("outlet__name",), text=True),
    Column("district", "Huyện/Thành phố", ("district__name",), text=True),
    Column("author", "Tác giả", ("author",), text=True),
)


def filtered_media_items(user, params):
    """The media items for these query `params` in the user's scope, in the order asked for
    (newest first unless another is): the list, its export and a download made later in the
    background read the same rows."""
    filterset = MediaItemFilter(params or None, user=user,
                                queryset=selectors.media_item_list_for_user(
                                    user, archived=archived_asked(params)))
    sort = ListSort.from_request(params, SORT_COLUMNS, default="-published")
    return filterset, sort.apply(filterset.qs), sort
