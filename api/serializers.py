"""What the API shows of each record, and the shapes of its requests (for the schema; the
writes are validated by the pages' own forms and services)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communications.models import MediaItem
from ocop_portal.domain import RECORD_YEAR_RANGE
from products.models import Certificate, CriteriaVersion, Evaluation, EvaluationLevel, Product
from subjects.models import Subject


class DistrictSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CommuneSerializer(serializers.Serializer):
    """A commune: its code with its period, a code having been reused (01960 was xã Lãng Ngâm
    until 31/01/2020, then xã Hiệp Lực)."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    valid_from = serializers.DateField(read_only=True)
    valid_to = serializers.DateField(read_only=True, allow_null=True)


class NamedRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    criteria_version = serializers.CharField(read_only=True)


class CertificateSerializer(serializers.ModelSerializer):
    stars = serializers.IntegerField(source="evaluation.stars", read_only=True)
    decision_number = serializers.CharField(source="evaluation.decision_number", read_only=True)
    decision_date = serializers.DateField(source="evaluation.decision_date", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "number", "stars", "decision_number", "decision_date", "valid_from",
                  "valid_to", "status", "ended_on", "superseded_by", "revocation_decision",
                  "revocation_reason"]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    subject = NamedRecordSerializer(read_only=True)
    district = DistrictSerializer(read_only=True)
    commune = CommuneSerializer(read_only=True, allow_null=True)
    group = GroupSerializer(read_only=True)
    current_certificate = CertificateSerializer(read_only=True, allow_null=True)
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "name", "subject", "group", "district", "commune", "first_cycle_year",
                  "description", "current_certificate", "archived", "created_at", "updated_at"]
        read_only_fields = fields

    def get_archived(self, product) -> bool:
        return product.archived_at is not None


class ProductWriteSerializer(serializers.Serializer):
    """A product to register or change: the fields of the product form."""

    name = serializers.CharField(max_length=255)
    subject = serializers.IntegerField(help_text="Mã (id) của chủ thể.")
    group = serializers.IntegerField(help_text="Mã (id) của nhóm sản phẩm (QĐ 148/2023).")
    district = serializers.CharField(help_text="Mã huyện, ví dụ 064.")
    commune = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                    help_text="Mã xã trong huyện đó.")
    first_cycle_year = serializers.IntegerField(required=False, allow_null=True,
                                                min_value=RECORD_YEAR_RANGE[0],
                                                max_value=RECORD_YEAR_RANGE[1])
    description = serializers.CharField(required=False, allow_blank=True)


class ProductPatchSerializer(ProductWriteSerializer):
    """Only the fields to change; the others keep their values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class EvaluationSerializer(serializers.ModelSerializer):
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["id", "cycle_year", "kind", "level", "score_a", "score_b", "score_c",
                  "total_score", "stars", "decision_number", "decision_date",
                  "decision_authority", "criteria_version", "note", "certificate", "review_state",
                  "created_at"]
        read_only_fields = fields

    @extend_schema_field(CertificateSerializer(allow_null=True))
    def get_certificate(self, evaluation):
        certificate = getattr(evaluation, "certificate", None)
        return CertificateSerializer(certificate).data if certificate else None


class EvaluationCreatedSerializer(EvaluationSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(EvaluationSerializer.Meta):
        fields = [*EvaluationSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class EvaluationWriteSerializer(serializers.Serializer):
    """An evaluation to record: the fields of the evaluation form."""

    cycle_year = serializers.IntegerField(min_value=2013, max_value=2100)
    level = serializers.ChoiceField(choices=EvaluationLevel.choices)
    score_a = serializers.DecimalField(max_digits=5, decimal_places=2, required=False,
                                       allow_null=True, min_value=0, max_value=40)
    score_b = serializers.DecimalField(max_digits=5, decimal_places=2, required=False,
                                       allow_null=True, min_value=0, max_value=25)
    score_c = serializers.DecimalField(max_digits=5, decimal_places=2, required=False,
                                       allow_null=True, min_value=0, max_value=40)
    total_score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False,
                                           allow_null=True, min_value=0, max_value=100)
    stars = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    decision_date = serializers.DateField(required=False, allow_null=True)
    decision_authority = serializers.CharField(required=False, allow_blank=True, max_length=255)
    certificate_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    criteria_version = serializers.ChoiceField(choices=CriteriaVersion.choices, required=False,
                                               allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class SubjectSerializer(serializers.ModelSerializer):
    district = DistrictSerializer(read_only=True)
    commune = CommuneSerializer(read_only=True, allow_null=True)
    product_count = serializers.IntegerField(read_only=True, required=False)
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Subject
        fields = ["id", "name", "subject_type", "registration_number", "registration_date",
                  "legal_representative", "representative_position", "phone", "email",
                  "address", "district", "commune", "founded_year", "first_year_in_programme",
                  "members_count", "workers_total", "workers_local", "female_led",
                  "ethnic_minority", "main_markets", "product_count", "archived", "created_at",
                  "updated_at"]
        read_only_fields = fields

    def get_archived(self, subject) -> bool:
        return subject.archived_at is not None


class OutletSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)


class MediaItemSerializer(serializers.ModelSerializer):
    outlet = OutletSerializer(read_only=True)
    district = DistrictSerializer(read_only=True, allow_null=True)
    # Only the products and producers the user may see (communications.selectors).
    products = NamedRecordSerializer(source="featured_products", many=True, read_only=True)
    subjects = NamedRecordSerializer(source="featured_subjects", many=True, read_only=True)

    class Meta:
        model = MediaItem
        fields = ["id", "title", "kind", "outlet", "published_at", "url", "author", "district",
                  "products", "subjects", "created_at"]
        read_only_fields = fields


class FiguresQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100,
                                    help_text="Năm kế hoạch, ví dụ 2024.")
    district = serializers.CharField(required=False, max_length=10,
                                     help_text="Chỉ một huyện, theo mã (ví dụ 064).")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                 help_text="Tên gợi nhớ của mã (ví dụ: máy chủ báo cáo).")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
