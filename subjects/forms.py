from django import forms

from ocop_portal.collation import vietnamese
from ocop_portal.forms import PortalFormMixin
from ocop_portal.models import Commune
from ocop_portal.permissions import editable_districts
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
        self.fields["commune"].queryset = Commune.objects.filter(
            district__in=districts).select_related("district").order_by(
                "district__code", vietnamese("name"))
        self.fields["commune"].label_from_instance = lambda c: f"{c} ({c.district.name})"
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
