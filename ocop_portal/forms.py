"""Form pieces shared by the apps."""

from crispy_forms.helper import FormHelper
from django import forms

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """A text input that reads and shows dd/mm/yyyy whatever the browser's locale."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                    "pattern": r"\d{1,2}[/\-]\d{1,2}[/\-]\d{4}|\d{4}-\d{2}-\d{2}"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("error_messages", {
            "invalid": "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 29/02/2024."})
        super().__init__(**kwargs)


def use_vietnamese_dates(form: forms.BaseForm):
    """Give every date field of a (model) form the dd/mm/yyyy widget and parsing."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            field.widget = DateInput()
            field.input_formats = DATE_INPUT_FORMATS
            field.error_messages["invalid"] = (
                "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 29/02/2024.")


class PortalFormMixin:
    """The portal's forms: crispy rendering without its own <form> tag (the page template holds
    it), and every date field read and shown as dd/mm/yyyy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        use_vietnamese_dates(self)
