"""Forms of the product registry: choices limited to what the user may see and edit."""

from django import forms
from django.utils import timezone

from ocop_portal.domain import (
    FIRST_PROGRAMME_YEAR,
    PART_MAXIMA,
    RECORD_YEAR_RANGE,
    STAR_BAND_LABELS,
    STAR_BANDS,
)
from ocop_portal.forms import TEXT_MAX_LENGTH, PortalFormMixin
from ocop_portal.permissions import editable_districts, scope_to_user
from ocop_portal.unit_fields import use_commune_field
from products import rules
from products.models import (
    DECISION_SCAN_EXTENSIONS,
    OPEN_STAGES,
    QD_148_EFFECTIVE,
    STAGE_ORDER,
    WITHDRAWAL_REASON_MAX_LENGTH,
    CriteriaVersion,
    CycleStage,
    EvaluationKind,
    EvaluationLevel,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)
from subjects.models import Subject


def grouped_group_choices(groups, *, empty_label: str, tops_selectable: bool,
                          keep=None) -> list:
    """Product-group choices under their group, as the taxonomy lists them (QĐ 148 first, in
    its order): an option group per group, its sub-groups inside. A group is itself a choice in
    a filter (`tops_selectable`: all its sub-groups), in a form only when it has no sub-group
    (or is the product's group already, `keep`)."""
    groups = list(groups.select_related("parent").order_by("criteria_version", "position",
                                                           "code"))
    tops = [g for g in groups if g.parent_id is None]
    children: dict[int, list] = {}
    for group in groups:
        if group.parent_id is not None:
            children.setdefault(group.parent_id, []).append(group)
    versions = {g.criteria_version for g in groups}
    # QĐ 148 (in force) before QĐ 1048, each in its own order.
    tops.sort(key=lambda g: (g.criteria_version != CriteriaVersion.QD_148_2023, g.position,
                             g.code))
    choices: list = [("", empty_label)]
    for top in tops:
        label = top.name
        if len(versions) > 1:
            label = f"{top.name} ({top.get_criteria_version_display()})"
        inside = children.get(top.pk, [])
        options = [(child.pk, child.name) for child in inside]
        if not inside or tops_selectable or (keep is not None and keep == top.pk):
            whole = f"{top.name} (tất cả)" if inside and tops_selectable else top.name
            options.insert(0, (top.pk, whole))
        choices.append((label, options))
    return choices


# As for media attachments: a phone photo fits well within it.
PHOTO_MAX_BYTES = 10 * 1024 * 1024

# The scoring rules the evaluation form's script applies as the parts are typed: each version's
# maxima and name, the day QĐ 148 took effect (a blank version follows the decision date) and
# the star bands, highest first.
SCORE_RULES = {
    "maxima": PART_MAXIMA,
    "versions": dict(CriteriaVersion.choices),
    "effective_148": QD_148_EFFECTIVE.isoformat(),
    "version_148": CriteriaVersion.QD_148_2023.value,
    "version_before_148": CriteriaVersion.QD_1048_2019.value,
    "bands": [{"lowest": int(lowest), "stars": stars, "label": STAR_BAND_LABELS[stars]}
              for lowest, stars in STAR_BANDS],
}


class ProductForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "subject", "group", "district", "commune", "first_cycle_year",
                  "description", "photo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = editable_districts(user)
        self.fields["district"].queryset = districts
        use_commune_field(self, districts, day_field=None, year_field="first_cycle_year")
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
        self.fields["group"].choices = grouped_group_choices(
            groups, empty_label="— Chọn nhóm sản phẩm —", tops_selectable=False,
            keep=self.instance.group_id if self.instance.pk else None)
        if districts.count() == 1 and not self.instance.pk:
            self.fields["district"].initial = districts.first()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > PHOTO_MAX_BYTES:
            size = f"{photo.size / (1024 * 1024):.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Ảnh sản phẩm không được lớn hơn 10 MB (tệp đã chọn nặng {size} MB).")
        return photo


DECISION_SCAN_ACCEPT = ",".join(f".{extension}" for extension in DECISION_SCAN_EXTENSIONS)
DECISION_SCAN_HELP = ("Tệp PDF hoặc ảnh chụp (PNG, JPG, WEBP) của quyết định đã ký, tối đa 10 MB; "
                      "chỉ người xem được sản phẩm mới tải về được.")


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
    note = forms.CharField(label="Ghi chú", required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))
    decision_scan = forms.FileField(
        label="Bản chụp quyết định", required=False,
        widget=forms.FileInput(attrs={"accept": DECISION_SCAN_ACCEPT}),
        help_text=DECISION_SCAN_HELP)

    # What the page's script needs to add the parts up as they are typed (read by the template
    # into json_script); the server still decides with the same figures in clean().
    score_rules = SCORE_RULES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle_year"].initial = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        # The fields' own bounds are the largest any version allows; the version's maxima are
        # checked here, so that the message stands beside the part before anything is written.
        # Without a version, it follows the decision date, which must then have been read.
        version = cleaned.get("criteria_version") or ""
        if not version and ("decision_date" in self.errors or cleaned.get("cycle_year") is None):
            return cleaned
        version = rules.evaluation_criteria_version(
            version, decision_date=cleaned.get("decision_date"),
            cycle_year=cleaned.get("cycle_year") or 0)
        parts = {part: cleaned[f"score_{part}"] for part in "abc" if f"score_{part}" in cleaned}
        for part, message in rules.part_errors(version, parts).items():
            self.add_error(f"score_{part}", message)
        return cleaned


class DecisionScanForm(PortalFormMixin, forms.Form):
    """The scan of a recorded evaluation's decision, attached after the evaluation."""

    decision_scan = forms.FileField(
        label="Bản chụp quyết định",
        widget=forms.FileInput(attrs={"accept": DECISION_SCAN_ACCEPT}),
        help_text=DECISION_SCAN_HELP,
        error_messages={"required": "Hãy chọn tệp bản chụp quyết định."})


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
    reason = forms.CharField(label="Lý do thu hồi", max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ParticipationForm(PortalFormMixin, forms.Form):
    cycle_year = forms.IntegerField(label="Năm chu trình", min_value=FIRST_PROGRAMME_YEAR,
                                    max_value=RECORD_YEAR_RANGE[1])
    kind = forms.ChoiceField(
        label="Hình thức tham gia", required=False,
        choices=[("", "Theo lịch sử công nhận của sản phẩm"), *EvaluationKind.choices],
        help_text="Sản phẩm chưa từng được công nhận tham gia như sản phẩm mới.")
    registered_on = forms.DateField(label="Ngày đăng ký")
    stage = forms.ChoiceField(label="Giai đoạn hiện tại",
                              choices=[(s.value, s.label) for s in OPEN_STAGES],
                              initial=CycleStage.REGISTERED)
    stage_on = forms.DateField(label="Ngày đến giai đoạn này", required=False,
                               help_text="Để trống nếu là ngày đăng ký.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle_year"].initial = timezone.localdate().year


class ParticipationAdvanceForm(PortalFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Chuyển sang giai đoạn",
                              choices=[(s.value, s.label) for s in OPEN_STAGES[1:]])
    on = forms.DateField(label="Ngày chuyển")

    def __init__(self, *args, participation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participation is not None:
            # Only the stages after the current one; the next is the likely one.
            later = [s for s in OPEN_STAGES
                     if STAGE_ORDER.index(s) > STAGE_ORDER.index(participation.stage)]
            self.fields["stage"].choices = [(s.value, s.label) for s in later]
            if later:
                self.fields["stage"].initial = later[0].value
        self.fields["on"].initial = timezone.localdate()


class ParticipationWithdrawForm(PortalFormMixin, forms.Form):
    on = forms.DateField(label="Ngày rút")
    reason = forms.CharField(label="Lý do", max_length=WITHDRAWAL_REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Ví dụ: chủ thể xin rút, ý tưởng hoặc phương án không "
                                       "được chấp nhận.")

    def __init__(self, *args, participation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
