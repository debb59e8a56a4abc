from django import forms

from ocop_portal.forms import PortalFormMixin
from ocop_portal.permissions import editable_districts
from ocop_portal.unit_fields import use_commune_field
from subjects.models import Linkage, Subject, SupportRecord


class SubjectForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Subject
        fields = [
            "name", "subject_type", "registration_number", "registration_date",
            "legal_representative", "representative_position", "phone", "email", "website",
            "district", "commune", "address", "contact_public", "founded_year",
            "first_year_in_programme", "members_count", "workers_total", "workers_local",
            "female_led", "ethnic_minority", "main_markets", "note",
        ]
        widgets = {"main_markets": forms.Textarea(attrs={"rows": 2}),
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = editable_districts(user)
        self.fields["district"].queryset = districts
        use_commune_field(self, districts, day_field="registration_date",
                          year_field="first_year_in_programme")
        if districts.count() == 1 and not self.instance.pk:
            self.fields["district"].initial = districts.first()

    def _get_validation_exclusions(self):
        # The registration number's uniqueness is checked by the service's duplicate guard,
        # which names the producer already registered and links to it; the service's full_clean
        # and the database constraint still hold behind it.
        return {*super()._get_validation_exclusions(), "registration_number"}


class LinkageForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Linkage
        fields = ["kind", "partner", "contract_number", "contract_date", "valid_from", "valid_to",
                  "households", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class SupportRecordForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = SupportRecord
        fields = ["kind", "date", "content", "amount", "funding_source"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}
