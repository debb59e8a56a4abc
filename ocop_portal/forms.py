"""Form pieces shared by the apps."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

# The longest free text (a description, a note, a reason, a task's content) a record keeps:
# pages of prose, far from the megabytes a mistaken paste can carry.
TEXT_MAX_LENGTH = 10_000

NUL_MESSAGE = ("Nội dung có ký tự không hợp lệ (ký tự NUL); hãy gõ lại hoặc dán dạng văn bản "
               "thuần.")


def thousands(number: int) -> str:
    """10000 → "10.000", as numbers are written in Vietnamese."""
    return f"{number:,}".replace(",", ".")


def too_long_message(label, limit: int, length: int) -> str:
    return (f"{label or 'Nội dung'} tối đa {thousands(limit)} ký tự "
            f"(đã nhập {thousands(length)} ký tự).")


@deconstructible
class MaxCharactersValidator(MaxLengthValidator):
    """At most `limit_value` characters, refused with the field's name and the length typed
    (Django's own Vietnamese message names neither and writes 10000 for 10.000). Models put it on
    their long text fields, whose max_length alone only the forms enforce."""

    def __init__(self, label: str, limit_value: int = TEXT_MAX_LENGTH):
        super().__init__(limit_value)
        self.label = label

    def __call__(self, value):
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(too_long_message(self.label, self.limit_value, length),
                                  code=self.code)

    def __eq__(self, other):
        return (isinstance(other, MaxCharactersValidator) and self.label == other.label
                and self.limit_value == other.limit_value)

    def __hash__(self):
        return hash((self.label, self.limit_value))


def use_portal_text_rules(form: forms.BaseForm):
    """Give every text field of a form the portal's messages: a NUL character and a text over
    the field's maximum length are refused in Vietnamese, naming the field and the lengths."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        validators = [v for v in field.validators
                      if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)]
        validators.append(ProhibitNullCharactersValidator(message=NUL_MESSAGE))
        if field.max_length is not None:
            validators.append(MaxCharactersValidator(str(field.label or "Nội dung"),
                                                     int(field.max_length)))
        field.validators = validators


DJANGO_EMPTY_LABEL = "---------"


def choose_label(label) -> str:
    """The empty choice of a dropdown, as a sentence: "— Chọn huyện/thành phố —"."""
    text = str(label or "một mục").strip()
    return f"— Chọn {text.lower()} —"


def use_vietnamese_empty_choices(form: forms.BaseForm):
    """Replace Django's "---------" empty choice with "— Chọn … —" naming the field."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField):
            if field.empty_label == DJANGO_EMPTY_LABEL:
                field.empty_label = choose_label(field.label)
                field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if any(label == DJANGO_EMPTY_LABEL for _, label in choices):
                field.choices = [(value, choose_label(field.label)
                                  if label == DJANGO_EMPTY_LABEL else label)
                                 for value, label in choices]


class TextRulesMixin:
    """A form whose text fields follow the portal's rules (use_portal_text_rules): the back
    office's forms and Django's own (login, password change) use it alone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_portal_text_rules(self)
        use_vietnamese_empty_choices(self)


def with_text_rules(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`form_class` with the portal's text rules, for forms defined elsewhere (Django's)."""
    return type(form_class.__name__, (TextRulesMixin, form_class), {})


class AdminModelForm(TextRulesMixin, forms.ModelForm):
    """The back office's model forms: the admin's own widgets, the portal's text rules."""


class DateInput(forms.DateInput):
    """A text input that reads and shows dd/mm/yyyy whatever the browser's locale."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                    "data-datepicker": "",
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
    it), every date field read and shown as dd/mm/yyyy, and every text field under the portal's
    text rules (use_portal_text_rules)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        use_vietnamese_dates(self)
        use_portal_text_rules(self)
        use_vietnamese_empty_choices(self)
