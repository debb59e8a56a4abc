"""The commune field of the product and producer forms: the communes of the user's districts
in every period, each labelled with its period, the newest layout first; read by its id on
the pages and by its code through the API, where a reused code means the unit valid on the
record's date."""

import datetime as dt
from collections import Counter

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone

from ocop_portal.collation import vietnamese
from ocop_portal.domain import year_span
from ocop_portal.models import Commune, District


def commune_label(commune: Commune) -> str:
    """"Xã Rã Bản (Chợ Đồn; đến 31/01/2020)", "Xã Bạch Thông (Bạch Thông cũ; tỉnh Thái Nguyên,
    từ 01/07/2025)"."""
    if commune.outside_districts:
        return (f"{commune} ({commune.district.name} cũ; tỉnh {commune.province.name}, "
                f"{commune.period_text})")
    return f"{commune} ({commune.district.name}; {commune.period_text})"


def communes_of(districts: QuerySet[District]) -> QuerySet[Commune]:
    return (Commune.objects.filter(district__in=districts)
            .select_related("district", "province")
            .order_by("district__code", F("valid_to").desc(nulls_first=True),
                      vietnamese("name")))


class CommuneChoiceField(forms.ModelChoiceField):
    """A commune; by code (`to_field_name`), the one valid during `span` among the units that
    had that code (else the latest)."""

    span: tuple[dt.date, dt.date] | None = None

    def label_from_instance(self, obj):
        return commune_label(obj)

    def to_python(self, value):
        if value in self.empty_values or not self.to_field_name:
            return super().to_python(value)
        found = list(self.queryset.filter(**{self.to_field_name: str(value).strip()}))
        if not found:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice", params={"value": value})
        today = timezone.localdate()
        span = self.span or (today, today)
        valid = [c for c in found if c.is_valid_during(*span)]
        return max(valid or found, key=lambda c: c.valid_from)


def span_from_data(form: forms.BaseForm, *, day_field: str | None, year_field: str):
    """The record's date as the bound form gives it (a day, else a year), else the instance's
    own (`unit_span`); for choosing among communes that share a code."""
    data = form.data if form.is_bound else {}
    if day_field and data.get(day_field):
        field = form.fields[day_field]
        try:
            day = field.clean(data.get(day_field))
        except forms.ValidationError:
            day = None
        if day:
            return day, day
    try:
        year = int(str(data.get(year_field) or "").strip())
    except ValueError:
        year = None
    if year and 1900 < year < 2200:
        return year_span(year)
    if form.instance.pk:
        return form.instance.unit_span()
    return None


def use_commune_field(form: forms.ModelForm, districts: QuerySet[District], *,
                      day_field: str | None = None, year_field: str):
    """Give `form` the commune field of the user's `districts`."""
    old = form.fields["commune"]
    field = CommuneChoiceField(queryset=communes_of(districts), required=old.required,
                               label=old.label, help_text=old.help_text,
                               empty_label=old.empty_label)
    field.span = span_from_data(form, day_field=day_field, year_field=year_field)
    form.fields["commune"] = field


class CommuneFilterField(CommuneChoiceField):
    """A list's commune filter, by code in the address (`?commune=02059`); a code several
    units had takes the unit's start as well (`?commune=01960@2020-02-01`), and the plain code
    then means the unit that has it today (else the latest)."""

    def _reused_codes(self) -> set[str]:
        if not hasattr(self, "_reused"):
            codes = Counter(self.queryset.values_list("code", flat=True))
            self._reused = {code for code, n in codes.items() if n > 1}
        return self._reused

    def prepare_value(self, value):
        if isinstance(value, Commune):
            if value.code in self._reused_codes():
                return f"{value.code}@{value.valid_from:%Y-%m-%d}"
            return value.code
        return super().prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str) and "@" in value:
            code, _, start = value.partition("@")
            try:
                return self.queryset.get(code=code.strip(),
                                         valid_from=dt.date.fromisoformat(start.strip()))
            except (ValueError, Commune.DoesNotExist):
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice",
                                            params={"value": value}) from None
        return super().to_python(value)


class CommuneFilter(django_filters.ModelChoiceFilter):
    field_class = CommuneFilterField


def filter_by_commune(queryset, commune: Commune | None):
    """The records of `commune`; for one of Thái Nguyên's, also those of the units it was
    formed from (as its figures count them: ocop_portal.units.thai_nguyen_commune_ids)."""
    if commune is None:
        return queryset
    if not commune.outside_districts:
        return queryset.filter(commune_id=commune.pk)
    from ocop_portal.units import thai_nguyen_commune_ids

    members = [c for c, unit in thai_nguyen_commune_ids().items() if unit == commune.pk]
    return queryset.filter(commune_id__in=sorted({commune.pk, *members}))
