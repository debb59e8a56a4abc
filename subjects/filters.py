import django_filters
from django import forms

from ocop_portal import units
from ocop_portal.archive_views import archived_asked
from ocop_portal.completeness import COMPLETE_CHOICES, filter_complete
from ocop_portal.filters import DrillThroughFilterSet
from ocop_portal.permissions import visible_districts
from ocop_portal.sorting import Column, ListSort
from subjects import completeness, selectors
from subjects.models import SubjectType


class SubjectFilter(DrillThroughFilterSet):
    record_kind = "subject"

    q = django_filters.CharFilter(label="Tìm kiếm", method="filter_search",
                                  widget=forms.TextInput(attrs={
                                      "placeholder": "Tên, mã số thuế, người đại diện"}))
    district = django_filters.ModelChoiceFilter(label="Huyện/Thành phố", to_field_name="code",
                                                queryset=None, empty_label="Tất cả")
    subject_type = django_filters.ChoiceFilter(label="Loại hình", choices=SubjectType.choices,
                                               empty_label="Tất cả")
    first_year_in_programme = django_filters.NumberFilter(label="Năm tham gia")
    complete = django_filters.ChoiceFilter(label="Hồ sơ", choices=COMPLETE_CHOICES,
                                           method="filter_complete", empty_label="Tất cả")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["district"].queryset = visible_districts(user)

    def filter_search(self, queryset, name, value):
        return queryset.filter(units.search_with_units(value))

    def filter_complete(self, queryset, name, value):
        return filter_complete(queryset, value == "1")


SORT_COLUMNS = (
    Column("name", "Chủ thể", ("name",), text=True),
    Column("type", "Loại hình", ("subject_type",)),
    Column("district", "Huyện", ("district__name",), text=True),
    Column("representative", "Người đại diện", ("legal_representative",), text=True),
    Column("products", "Sản phẩm", ("product_count",), descending_first=True),
    Column("completeness", "Hồ sơ", ("completeness",)),
)


def filtered_subjects(user, params):
    """The producers the list shows for these query `params` (filters, a dashboard number's
    drill-through, the order asked for) in the user's scope: the page, its export and a
    download made later in the background read the same rows."""
    subject_filter = SubjectFilter(params, user=user, queryset=completeness.with_completeness(
        selectors.subject_list_for_user(user, archived=archived_asked(params))))
    sort = ListSort.from_request(params, SORT_COLUMNS, default="name")
    return subject_filter, sort.apply(subject_filter.qs), subject_filter.drill_through, sort
