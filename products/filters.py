"""The product list's filters; every choice is limited to what the user may see."""

import django_filters
from django import forms
from django.utils import timezone

from ocop_portal import units
from ocop_portal.archive_views import archived_asked
from ocop_portal.completeness import COMPLETE_CHOICES, filter_complete
from ocop_portal.domain import (
    EXPIRY_WINDOWS_DAYS,
    FIRST_PROGRAMME_YEAR,
    RECOGNISED_STARS,
    RECORD_YEAR_RANGE,
)
from ocop_portal.filters import DrillThroughFilterSet
from ocop_portal.permissions import visible_districts
from ocop_portal.sorting import Column, ListSort
from ocop_portal.unit_fields import CommuneFilter, communes_of, filter_by_commune
from products import completeness, selectors
from products.forms import grouped_group_choices
from products.models import (
    CYCLE_POSITIONS,
    CertificateStatus,
    CriteriaVersion,
    CycleOutcome,
    EvaluationKind,
    ProductGroup,
    Standard,
)

CERTIFICATE_STATUS_CHOICES = [*CertificateStatus.choices,
                              (selectors.NO_CERTIFICATE, "Chưa được công nhận")]
STAR_CHOICES = [(stars, f"{stars} sao") for stars in RECOGNISED_STARS]
STAGE_CHOICES = [(CycleOutcome.OPEN.value, "Đang trong chu trình (mọi giai đoạn)"),
                 *CYCLE_POSITIONS]
EXPIRING_CHOICES = [(days, f"Hết hạn trong {days} ngày") for days in EXPIRY_WINDOWS_DAYS]
YES_NO = [("co", "Có"), ("khong", "Không")]


class ProductFilter(DrillThroughFilterSet):
    record_kind = "product"

    q = django_filters.CharFilter(label="Tìm kiếm", method="filter_search",
                                  widget=forms.TextInput(attrs={
                                      "placeholder": "Tên sản phẩm, chủ thể (không cần dấu)"}))
    district = django_filters.ModelChoiceFilter(label="Huyện/Thành phố", to_field_name="code",
                                                queryset=None, empty_label="Tất cả")
    commune = CommuneFilter(label="Xã/Phường/Thị trấn", to_field_name="code", queryset=None,
                            empty_label="Tất cả", method="filter_commune")
    group = django_filters.ModelChoiceFilter(label="Nhóm sản phẩm", method="filter_group",
                                             queryset=None, empty_label="Tất cả")
    stars = django_filters.ChoiceFilter(label="Hạng sao", choices=STAR_CHOICES,
                                        method="filter_stars", empty_label="Tất cả")
    certificate_status = django_filters.ChoiceFilter(label="Giấy chứng nhận",
                                                     choices=CERTIFICATE_STATUS_CHOICES,
                                                     method="filter_certificate_status",
                                                     empty_label="Tất cả")
    expiring = django_filters.ChoiceFilter(label="Sắp hết hạn", choices=EXPIRING_CHOICES,
                                           method="filter_expiring", empty_label="Tất cả")
    cycle_year = django_filters.NumberFilter(
        label="Năm tham gia, đánh giá", method="filter_cycle_year",
        widget=forms.NumberInput(attrs={"min": FIRST_PROGRAMME_YEAR, "max": RECORD_YEAR_RANGE[1]}))
    # The annual cycle: one participation must match the year, the kind and the stage together,
    # so these three are applied at once in filter_queryset.
    cycle = django_filters.NumberFilter(
        label="Chu trình năm", method="keep",
        widget=forms.NumberInput(attrs={"min": FIRST_PROGRAMME_YEAR, "max": RECORD_YEAR_RANGE[1]}))
    stage = django_filters.ChoiceFilter(
        label="Giai đoạn trong chu trình", choices=STAGE_CHOICES, method="keep",
        empty_label="Tất cả", error_messages={
            "invalid_choice": "Giai đoạn “%(value)s” không có trong chu trình OCOP; hãy chọn "
                              "một giai đoạn trong danh sách."})
    cycle_kind = django_filters.ChoiceFilter(label="Hình thức tham gia",
                                             choices=EvaluationKind.choices, method="keep",
                                             empty_label="Tất cả")
    standard = django_filters.ChoiceFilter(label="Tiêu chuẩn chất lượng",
                                           choices=Standard.choices, method="filter_standard",
                                           empty_label="Tất cả")
    traceability = django_filters.ChoiceFilter(label="Truy xuất nguồn gốc", choices=YES_NO,
                                               method="filter_traceability",
                                               empty_label="Tất cả")
    complete = django_filters.ChoiceFilter(label="Hồ sơ", choices=COMPLETE_CHOICES,
                                           method="filter_complete", empty_label="Tất cả")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        districts = visible_districts(user)
        self.filters["district"].queryset = districts
        self.filters["commune"].queryset = communes_of(districts)
        self.filters["group"].queryset = ProductGroup.objects.filter(
            criteria_version=CriteriaVersion.QD_148_2023)
        self.today = timezone.localdate()

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_grouped_choices", False):
            # Sub-groups under their group, in the taxonomy's order; a group alone means all of
            # its sub-groups.
            # (the widget's choices: django-filter's field wraps choices set on it)
            form.fields["group"].widget.choices = grouped_group_choices(
                self.filters["group"].queryset, empty_label="Tất cả", tops_selectable=True)
            form._grouped_choices = True
        return form

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = getattr(self.form, "cleaned_data", {})
        cycle_year, stage, kind = data.get("cycle"), data.get("stage"), data.get("cycle_kind")
        if not self.form.errors and (cycle_year is not None or stage or kind):
            queryset = selectors.filter_cycle(
                queryset, cycle_year=int(cycle_year) if cycle_year is not None else None,
                position=stage or None, kind=kind or None, day=self.today)
        return queryset

    def filter_commune(self, queryset, name, value):
        return filter_by_commune(queryset, value)

    def filter_search(self, queryset, name, value):
        return queryset.filter(units.search_with_units(value))

    def filter_group(self, queryset, name, value):
        return selectors.filter_group(queryset, value)

    def filter_stars(self, queryset, name, value):
        return selectors.filter_stars(queryset, int(value))

    def filter_certificate_status(self, queryset, name, value):
        return selectors.filter_certificate_status(queryset, value, self.today)

    def filter_expiring(self, queryset, name, value):
        return selectors.filter_expiring_within(queryset, int(value), self.today)

    def filter_cycle_year(self, queryset, name, value):
        return selectors.filter_cycle_year(queryset, int(value))

    def filter_standard(self, queryset, name, value):
        return selectors.filter_standard(queryset, value)

    def filter_traceability(self, queryset, name, value):
        return selectors.filter_traceability(queryset, value == "co", self.today)

    def filter_complete(self, queryset, name, value):
        return filter_complete(queryset, value == "1")


SORT_COLUMNS = (
    Column("name", "Sản phẩm", ("name",), text=True),
    Column("subject", "Chủ thể", ("subject__name",), text=True),
    Column("group", "Nhóm", ("group__code",)),
    Column("district", "Huyện", ("district__name",), text=True),
    Column("stars", "Hạng", ("current_certificate__evaluation__stars",), descending_first=True),
    Column("valid_to", "Giấy chứng nhận", ("current_certificate__valid_to",)),
    Column("completeness", "Hồ sơ", ("completeness",)),
)


def filtered_products(user, params):
    """The products the list shows for these query `params` (filters, a dashboard number's
    drill-through, the order asked for) in the user's scope: the page, its export and a
    download made later in the background read the same rows."""
    product_filter = ProductFilter(params, user=user, queryset=completeness.with_completeness(
        selectors.product_list_for_user(user, archived=archived_asked(params))))
    sort = ListSort.from_request(params, SORT_COLUMNS, default="name")
    return product_filter, sort.apply(product_filter.qs), product_filter.drill_through, sort
