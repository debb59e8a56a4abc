import django_filters
from django import forms

from ocop_portal.filters import DrillThroughFilterSet
from ocop_portal.permissions import visible_districts
from ocop_portal.text import search_terms
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["district"].queryset = visible_districts(user)

    def filter_search(self, queryset, name, value):
        for word in search_terms(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset
