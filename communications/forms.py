"""Forms of media coverage; choices are limited to what the user may see and edit."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from communications.models import MediaItem, MediaKind, Outlet
from ocop_portal.collation import vietnamese
from ocop_portal.forms import DateField, DateInput, TextRulesMixin
from ocop_portal.permissions import editable_districts, scope_to_user
from products.models import Product
from subjects.models import Subject

# Fields of the services whose errors show on another field of the form.
FIELD_ALIASES = {"published_at": "published_on"}


class MediaItemForm(TextRulesMixin, forms.ModelForm):
    # The calendar offers no day after today: a media item is recorded once published.
    published_on = DateField(label="Ngày đăng", widget=DateInput(attrs={"data-max-date": "today"}))
    published_time = forms.TimeField(
        label="Giờ đăng", required=False, input_formats=["%H:%M", "%H:%M:%S", "%Hh%M", "%H"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm",
                                                      "inputmode": "numeric"}),
        help_text="Không bắt buộc; tính theo giờ Việt Nam.")
    url = forms.URLField(label="Đường dẫn", required=False, max_length=1000,
                         assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://"}),
                         help_text="Mỗi đường dẫn chỉ được ghi nhận một lần.")

    class Meta:
        model = MediaItem
        fields = ["title", "kind", "outlet", "url", "author", "district", "products", "subjects",
                  "note", "attachment"]
        widgets = {
            "title": forms.TextInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "products": forms.SelectMultiple(attrs={"size": 6}),
            "subjects": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.order_fields(["title", "kind", "outlet", "published_on", "published_time", "url",
                           "author", "district", "products", "subjects", "note", "attachment"])
        self.fields["outlet"].queryset = Outlet.objects.order_by(vietnamese("name"), "pk")
        self.fields["outlet"].empty_label = "— Chọn cơ quan báo chí —"
        self.fields["kind"].choices = [("", "— Chọn thể loại —"), *MediaKind.choices]
        district = self.fields["district"]
        district.queryset = editable_districts(user)
        if user.is_district_officer:
            district.required = True
            district.empty_label = None
            district.help_text = "Cán bộ cấp huyện ghi nhận tin, bài của huyện mình."
            district.initial = user.district_id
        else:
            district.empty_label = "Toàn tỉnh (không gắn với huyện nào)"
        self.fields["products"].queryset = scope_to_user(
            Product.objects.order_by(vietnamese("name"), "pk"), user)
        self.fields["subjects"].queryset = scope_to_user(
            Subject.objects.order_by(vietnamese("name"), "pk"), user)
        for name in ("products", "subjects"):
            self.fields[name].help_text = "Gõ vài chữ để tìm (không cần dấu), bấm để chọn; × để bỏ."
        if self.instance.pk and self.instance.published_at:
            local = timezone.localtime(self.instance.published_at)
            self.initial.setdefault("published_on", local.date())
            if local.time() != dt.time(0, 0):
                self.initial.setdefault("published_time", local.time())

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("published_on")
        if day:
            moment = dt.datetime.combine(day, cleaned.get("published_time") or dt.time(0, 0))
            cleaned["published_at"] = timezone.make_aware(moment)
        return cleaned

    def _post_clean(self):
        # The service validates the item (with its derived fields and the duplicate check);
        # the model form's own instance validation would run before the keys are computed.
        pass

    def service_fields(self) -> dict:
        """The cleaned values as the services take them."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["published_at"] = self.cleaned_data["published_at"]
        # A file input answers None (no new file: keep the old one) or False (cleared).
        if data["attachment"] is None:
            del data["attachment"]
        elif data["attachment"] is False:
            data["attachment"] = ""
        return data

    def add_service_error(self, error: ValidationError):
        """Show a service's validation error on the field it names, else above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            field = FIELD_ALIASES.get(field, field)
            self.add_error(field if field in self.fields else None, errors)


class OutletForm(TextRulesMixin, forms.ModelForm):
    website = forms.URLField(label="Trang web", required=False, assume_scheme="https")

    class Meta:
        model = Outlet
        fields = ["name", "level", "website"]

    def _post_clean(self):
        # The service cleans the name and checks duplicates before validating the outlet.
        pass
