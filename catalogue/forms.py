from django import forms

from catalogue import selectors
from ocop_portal.domain import RECOGNISED_STARS
from ocop_portal.forms import PortalFormMixin
from ocop_portal.models import District
from products.models import CriteriaVersion, ProductGroup


class CatalogueFilterForm(PortalFormMixin, forms.Form):
    q = forms.CharField(label="Tìm sản phẩm, chủ thể", required=False, max_length=100,
                        widget=forms.TextInput(attrs={
                            "placeholder": "Ví dụ: mien dong (không cần dấu)",
                            "type": "search"}))
    stars = forms.TypedChoiceField(label="Hạng sao", required=False, coerce=int,
                                   empty_value=None,
                                   choices=[("", "Tất cả"),
                                            *[(s, f"{s} sao") for s in RECOGNISED_STARS]])
    group = forms.ModelChoiceField(label="Nhóm sản phẩm", required=False,
                                   queryset=ProductGroup.objects.none(), empty_label="Tất cả")
    district = forms.ModelChoiceField(label="Huyện/Thành phố", required=False,
                                      queryset=District.objects.none(), to_field_name="code",
                                      empty_label="Tất cả")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = selectors.catalogue_groups(today)
        self.fields["group"].label_from_instance = _group_label
        self.fields["district"].queryset = selectors.catalogue_districts(today)


def _group_label(group: ProductGroup) -> str:
    if group.criteria_version == CriteriaVersion.QD_148_2023:
        return group.name
    return f"{group.name} (phân nhóm theo QĐ 1048/2019)"
