"""Forms of the product registry: choices limited to what the user may see and edit."""

from django import forms
from django.utils import timezone

from ocop_portal.forms import PortalFormMixin
from ocop_portal.models import Commune
from ocop_portal.permissions import editable_districts, scope_to_user
from products.models import (
    CriteriaVersion,
    EvaluationLevel,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)
from subjects.models import Subject

# As for media attachments: a phone photo fits well within it.
PHOTO_MAX_BYTES = 10 * 1024 * 1024


class ProductForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "subject", "group", "district", "commune", "first_cycle_year", "stage",
                  "description", "photo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = editable_districts(user)
        self.fields["district"].queryset = districts
        self.fields["commune"].queryset = Commune.objects.filter(
            district__in=districts).select_related("district").order_by("district__code", "name")
        self.fields["commune"].label_from_instance = lambda c: f"{c} ({c.district.name})"
        self.fields["subject"].queryset = scope_to_user(
            Subject.objects.filter(district__in=districts), user).select_related("district")
        self.fields["subject"].label_from_instance = lambda s: f"{s.name} – {s.district}"
        # New products are ranked under QĐ 148; a product keeps an old 1048 group it already has.
        groups = ProductGroup.objects.select_related("parent")
        if self.instance.pk and self.instance.group.criteria_version != CriteriaVersion.QD_148_2023:
            groups = groups.filter(criteria_version__in=[CriteriaVersion.QD_148_2023,
                                                         self.instance.group.criteria_version])
        else:
            groups = groups.filter(criteria_version=CriteriaVersion.QD_148_2023)
        self.fields["group"].queryset = groups
        if districts.count() == 1 and not self.instance.pk:
            self.fields["district"].initial = districts.first()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > PHOTO_MAX_BYTES:
            size = f"{photo.size / (1024 * 1024):.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Ảnh sản phẩm không được lớn hơn 10 MB (tệp đã chọn nặng {size} MB).")
        return photo


class EvaluationForm(PortalFormMixin, forms.Form):
    cycle_year = forms.IntegerField(label="Năm đánh giá (chu trình)", min_value=2013,
                                    max_value=2100)
    level = forms.ChoiceField(label="Cấp đánh giá", choices=EvaluationLevel.choices)
    score_a = forms.DecimalField(label="Điểm phần A", required=False, min_value=0, max_value=40,
                                 decimal_places=2, localize=True)
    score_b = forms.DecimalField(label="Điểm phần B", required=False, min_value=0, max_value=25,
                                 decimal_places=2, localize=True)
    score_c = forms.DecimalField(label="Điểm phần C", required=False, min_value=0, max_value=40,
                                 decimal_places=2, localize=True)
    total_score = forms.DecimalField(label="Tổng điểm", required=False, min_value=0,
                                     max_value=100, decimal_places=2, localize=True,
                                     help_text="Để trống nếu chỉ có hạng sao (hồ sơ cũ).")
    stars = forms.TypedChoiceField(label="Hạng sao", required=False, coerce=int,
                                   empty_value=None,
                                   choices=[("", "Theo tổng điểm"), *[(n, f"{n} sao")
                                                                      for n in range(1, 6)]])
    decision_number = forms.CharField(label="Số quyết định", max_length=100, required=False,
                                      help_text="Bắt buộc với sản phẩm đạt từ 3 sao.")
    decision_date = forms.DateField(label="Ngày quyết định", required=False)
    decision_authority = forms.CharField(label="Cơ quan ban hành", max_length=255,
                                         required=False)
    certificate_number = forms.CharField(label="Số giấy chứng nhận", max_length=100,
                                         required=False)
    criteria_version = forms.ChoiceField(
        label="Bộ tiêu chí", required=False,
        choices=[("", "Theo ngày quyết định"), *CriteriaVersion.choices])
    note = forms.CharField(label="Ghi chú", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle_year"].initial = timezone.localdate().year


class QualityCertificationForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = QualityCertification
        fields = ["standard", "standard_detail", "number", "issuer", "issued_on", "expires_on"]


class TraceabilityForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Traceability
        fields = ["system", "code", "started_on", "ended_on"]


class CertificateRevokeForm(PortalFormMixin, forms.Form):
    revoked_on = forms.DateField(label="Ngày thu hồi")
    decision = forms.CharField(label="Số quyết định thu hồi", max_length=100)
    reason = forms.CharField(label="Lý do thu hồi", widget=forms.Textarea(attrs={"rows": 3}))
