"""Forms of the plan pages: the quota tables, plan tasks and their progress notes, the year, the
month of a report."""

import datetime as dt

from django import forms

from ocop_portal.domain import RECORD_YEAR_RANGE
from ocop_portal.forms import PortalFormMixin, TextRulesMixin
from targets.models import REOPEN_REASON_MAX_LENGTH, PlanTask, PlanTaskUpdate, TaskStatus

TOTAL = "tinh"
# One table form per appendix of the plan, and one for the quotas not split by district.
QUOTA_PARTS = {
    "pl1": (1, "Phụ lục 1: sản phẩm mới, chủ thể củng cố, chủ thể mới"),
    "pl2": (2, "Phụ lục 2: truy xuất nguồn gốc, liên kết, quản lý chất lượng tiên tiến"),
    "khac": (None, "Chỉ tiêu toàn tỉnh không chia theo huyện"),
}


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Năm", coerce=int,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


def year_asked(params, *, years=None) -> int | None:
    """The year of `?year=`, the one way every page reads it: one of `years` (by default any
    year a record may carry), else None for the page's own default."""
    years = range(RECORD_YEAR_RANGE[0], RECORD_YEAR_RANGE[1] + 1) if years is None else years
    form = YearForm(params or None, years=years)
    return form.cleaned_data["year"] if form.is_valid() else None


class QuotaTableForm(TextRulesMixin, forms.Form):
    """The quotas of one part of the plan: a row per district and the provincial total, a
    column per indicator; blank means no quota. A reason is required to save."""

    reason = forms.CharField(
        label="Lý do thay đổi", max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ví dụ: nhập theo Phụ lục 1 kèm Kế hoạch 180/KH-UBND; điều chỉnh theo văn bản …",
        error_messages={"required": "Hãy ghi lý do thay đổi chỉ tiêu."},
    )

    def __init__(self, *args, part, indicators, districts, quotas, **kwargs):
        kwargs.setdefault("prefix", part)
        super().__init__(*args, **kwargs)
        self.part = part
        self.title = QUOTA_PARTS[part][1]
        self.indicators = list(indicators)
        self.districts = list(districts) if QUOTA_PARTS[part][0] else []
        self._cells = {}
        for district in [*self.districts, None]:
            for indicator in self.indicators:
                name = self._name(indicator, district)
                where = district.short_name if district else "Toàn tỉnh"
                label = f"{indicator.short_name} – {where}"
                self.fields[name] = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=100000,
                    initial=quotas.get((indicator.pk, district.pk if district else None)),
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm",
                                                    "inputmode": "numeric",
                                                    "aria-label": label}),
                    error_messages={"min_value": "Chỉ tiêu không được âm.",
                                    "invalid": "Nhập một số nguyên."},
                )
                self._cells[name] = (indicator, district)

    @staticmethod
    def _name(indicator, district) -> str:
        return f"{indicator.code}__{district.code if district else TOTAL}"

    def rows(self):
        """(district or None for the total, [bound fields by indicator]) for the template."""
        for district in [*self.districts, None]:
            yield district, [self[self._name(i, district)] for i in self.indicators]

    def values(self) -> dict:
        return {cell: self.cleaned_data.get(name) for name, cell in self._cells.items()}


class PlanTaskForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = PlanTask
        fields = ["number", "title", "content", "lead_units", "cooperating_units", "deadline",
                  "status"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 5}),
            "lead_units": forms.Textarea(attrs={"rows": 2}),
            "cooperating_units": forms.Textarea(attrs={"rows": 2}),
        }


class PlanTaskUpdateForm(PortalFormMixin, forms.ModelForm):
    status = forms.ChoiceField(label="Trạng thái sau cập nhật", required=False,
                               choices=[("", "Giữ nguyên"), *TaskStatus.choices])

    class Meta:
        model = PlanTaskUpdate
        fields = ["date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class MonthlyReportForm(forms.Form):
    """The month to make (or make again) a report for."""

    month = forms.TypedChoiceField(
        label="Tháng", coerce=dt.date.fromisoformat,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}))

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), f"Tháng {m.month}/{m.year}")
                                        for m in months]


class MonthCloseForm(forms.Form):
    """The month a button of the month close page closes (chốt số liệu)."""

    month = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])


class MonthReopenForm(MonthCloseForm):
    """A closed month to reopen; the reason is required (the service says so in its words)."""

    reason = forms.CharField(label="Lý do mở lại", required=False,
                             max_length=REOPEN_REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))
