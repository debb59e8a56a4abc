"""OCOP products, the product-group taxonomy, evaluations and the certificates they grant,
quality certifications and traceability."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ocop_portal.collation import vietnamese
from ocop_portal.domain import PART_UPPER_BOUND, RECOGNITION_MIN_STARS, overlaps, year_span
from ocop_portal.forms import TEXT_MAX_LENGTH, MaxCharactersValidator
from ocop_portal.models import (
    Archivable,
    Commune,
    CommuneInDistrictMixin,
    District,
    Reviewable,
)
from ocop_portal.storage import get_private_storage
from subjects.models import YEAR_VALIDATORS, Subject


class CriteriaVersion(models.TextChoices):
    QD_148_2023 = "148/2023", "QĐ 148/QĐ-TTg (2023)"
    QD_1048_2019 = "1048/2019", "QĐ 1048/QĐ-TTg (2019) và 781/QĐ-TTg (2020)"


# QĐ 148/QĐ-TTg took effect on signing, 24/02/2023; products ranked before were ranked under 1048.
QD_148_EFFECTIVE = dt.date(2023, 2, 24)


def criteria_version_on(day: dt.date) -> str:
    return CriteriaVersion.QD_148_2023 if day >= QD_148_EFFECTIVE else CriteriaVersion.QD_1048_2019


class ProductGroup(models.Model):
    """A group (nhóm) or subgroup (phân nhóm) of the taxonomy of one criteria version."""

    criteria_version = models.CharField("Bộ tiêu chí", max_length=10,
                                        choices=CriteriaVersion.choices)
    code = models.CharField("Mã", max_length=20)
    name = models.CharField("Tên", max_length=255)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name="Thuộc nhóm")
    lead_ministry = models.CharField("Bộ chủ trì quản lý", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)

    class Meta:
        verbose_name = "Nhóm sản phẩm"
        verbose_name_plural = "Nhóm sản phẩm"
        ordering = ["criteria_version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_version", "code"],
                                    name="product_group_code_unique_per_version"),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    @property
    def top_group(self):
        return self.parent if self.parent_id else self


class Product(CommuneInDistrictMixin, Archivable):
    """An OCOP product; it belongs to the district of its production commune."""

    name = models.CharField("Tên sản phẩm", max_length=255)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="products",
                                verbose_name="Chủ thể")
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="products",
                              verbose_name="Nhóm sản phẩm")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="products",
                                 verbose_name="Huyện/Thành phố sản xuất")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="products",
                                null=True, blank=True, verbose_name="Xã/Phường/Thị trấn sản xuất")
    first_cycle_year = models.PositiveSmallIntegerField(
        "Năm tham gia chu trình", null=True, blank=True, validators=YEAR_VALIDATORS)
    description = models.TextField("Mô tả sản phẩm", blank=True, max_length=TEXT_MAX_LENGTH,
                                   validators=[MaxCharactersValidator("Mô tả sản phẩm")])
    photo = models.ImageField("Ảnh sản phẩm", upload_to="products/%Y/", blank=True)
    # The latest certificate (by validity start); kept by products.services, never typed in.
    current_certificate = models.OneToOneField(
        "Certificate", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="current_for", verbose_name="Giấy chứng nhận hiện hành",
    )
    is_demo = models.BooleanField("Dữ liệu mẫu", default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    name_key = models.CharField(max_length=255, editable=False, default="")
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "name_key", "updated_at"])

    class Meta:
        verbose_name = "Sản phẩm OCOP"
        verbose_name_plural = "Sản phẩm OCOP"
        ordering = [vietnamese("name"), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "name_key"],
                                    name="product_name_unique_per_subject",
                                    violation_error_message="Chủ thể này đã có sản phẩm cùng tên."),
            models.CheckConstraint(
                name="product_description_max_length",
                condition=LessThanOrEqual(Length("description"), TEXT_MAX_LENGTH),
                violation_error_message="Mô tả sản phẩm tối đa 10.000 ký tự."),
        ]
        # The list's order (Vietnamese, then pk), for the province and for one district: a page
        # of 50 reads 50 index entries instead of sorting every record.
        indexes = [models.Index(vietnamese("name"), F("id"), name="product_list_order"),
                   models.Index(F("district"), vietnamese("name"), F("id"),
                                name="product_district_list_order")]

    UNIT_DATE_FIELDS = ("first_cycle_year",)

    def __str__(self):
        return self.name

    def unit_span(self):
        """A product takes the commune of its beginning: the year it joined the cycle, else
        its first decision, else today (a new product without either)."""
        if self.unit_dated:
            return self.unit_dated
        if self.first_cycle_year:
            return year_span(self.first_cycle_year)
        first = (self.evaluations.filter(decision_date__isnull=False).order_by("decision_date")
                 .values_list("decision_date", flat=True).first() if self.pk else None)
        day = first or timezone.localdate()
        return day, day


class EvaluationKind(models.TextChoices):
    NEW = "moi", "Đánh giá lần đầu"
    UPGRADE = "nang_hang", "Nâng hạng"
    REEVALUATION = "danh_gia_lai", "Đánh giá lại, cấp lại"


class EvaluationLevel(models.TextChoices):
    DISTRICT = "huyen", "Cấp huyện"
    PROVINCE = "tinh", "Cấp tỉnh"
    CENTRAL = "trung_uong", "Cấp trung ương"


# The scan of a decision: a PDF or a photo of the signed paper, as a media item's attachment.
DECISION_SCAN_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "webp"]
DECISION_SCAN_MAX_BYTES = 10 * 1024 * 1024
# What each kind of file starts with: a renamed file of another kind is refused.
_SCAN_SIGNATURES = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",),
                    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "webp": (b"RIFF",)}


def validate_decision_scan(file) -> None:
    """A decision scan is at most 10 MB and is the PDF or image its name says."""
    if file.size > DECISION_SCAN_MAX_BYTES:
        size = f"{file.size / (1024 * 1024):.1f}".replace(".", ",")
        raise ValidationError("Bản chụp quyết định không được lớn hơn 10 MB "
                              f"(tệp đã chọn nặng {size} MB).")
    extension = file.name.rpartition(".")[2].lower()
    if extension not in _SCAN_SIGNATURES or getattr(file, "_committed", False):
        return  # the extension's own message; a stored file was checked when it came in
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if not head.startswith(_SCAN_SIGNATURES[extension]) or (
            extension == "webp" and head[8:12] != b"WEBP"):
        raise ValidationError("Tệp đã chọn không phải là tệp PDF hoặc ảnh như tên tệp ghi; "
                              "hãy chọn bản chụp quyết định dạng PDF, PNG, JPG hoặc WEBP.")


class Evaluation(Reviewable):
    """One evaluation and ranking of a product by a council, with its decision."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name="Sản phẩm")
    cycle_year = models.PositiveSmallIntegerField("Năm đánh giá (chu trình)",
                                                  validators=YEAR_VALIDATORS)
    kind = models.CharField("Hình thức", max_length=20, choices=EvaluationKind.choices,
                            editable=False, default=EvaluationKind.NEW,
                            help_text="Suy ra từ lịch sử đánh giá của sản phẩm.")
    level = models.CharField("Cấp đánh giá", max_length=20, choices=EvaluationLevel.choices)
    score_a = models.DecimalField("Điểm phần A", max_digits=5, decimal_places=2, null=True,
                                  blank=True, validators=[MinValueValidator(0),
                                                          MaxValueValidator(PART_UPPER_BOUND["a"])])
    score_b = models.DecimalField("Điểm phần B", max_digits=5, decimal_places=2, null=True,
                                  blank=True, validators=[MinValueValidator(0),
                                                          MaxValueValidator(PART_UPPER_BOUND["b"])])
    score_c = models.DecimalField("Điểm phần C", max_digits=5, decimal_places=2, null=True,
                                  blank=True, validators=[MinValueValidator(0),
                                                          MaxValueValidator(PART_UPPER_BOUND["c"])])
    total_score = models.DecimalField("Tổng điểm", max_digits=5, decimal_places=2, null=True,
                                      blank=True, validators=[MinValueValidator(0),
                                                              MaxValueValidator(100)])
    stars = models.PositiveSmallIntegerField("Hạng sao", validators=[MinValueValidator(1),
                                                                     MaxValueValidator(5)])
    decision_number = models.CharField("Số quyết định", max_length=100, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    decision_authority = models.CharField("Cơ quan ban hành quyết định", max_length=255,
                                          blank=True)
    # Kept outside the served media (ocop_portal.storage): read through the product's page only.
    decision_scan = models.FileField(
        "Bản chụp quyết định", upload_to="decisions/%Y/", blank=True, max_length=255,
        storage=get_private_storage, validators=[
            FileExtensionValidator(DECISION_SCAN_EXTENSIONS,
                                   "Bản chụp quyết định chỉ nhận tệp PDF hoặc ảnh (PNG, JPG, "
                                   "WEBP)."),
            validate_decision_scan])
    criteria_version = models.CharField("Bộ tiêu chí", max_length=10,
                                        choices=CriteriaVersion.choices)
    note = models.TextField("Ghi chú", blank=True, max_length=TEXT_MAX_LENGTH,
                            validators=[MaxCharactersValidator("Ghi chú")])
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, editable=False, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Đánh giá, phân hạng"
        verbose_name_plural = "Đánh giá, phân hạng"
        ordering = ["decision_date", "pk"]
        constraints = [
            models.CheckConstraint(name="evaluation_stars_1_to_5",
                                   condition=Q(stars__gte=1, stars__lte=5),
                                   violation_error_message="Hạng sao phải từ 1 đến 5."),
            models.CheckConstraint(
                name="evaluation_score_0_to_100",
                condition=Q(total_score__isnull=True)
                | Q(total_score__gte=0, total_score__lte=100),
                violation_error_message="Tổng điểm phải từ 0 đến 100."),
            models.CheckConstraint(
                name="evaluation_recognition_has_decision",
                condition=Q(stars__lt=RECOGNITION_MIN_STARS) | (Q(decision_date__isnull=False)
                                            & ~Q(decision_number="")),
                violation_error_message="Sản phẩm đạt từ 3 sao phải có số và ngày quyết định."),
            models.UniqueConstraint(
                fields=["product", "decision_number"], condition=~Q(decision_number=""),
                name="evaluation_decision_unique_per_product",
                violation_error_message="Sản phẩm này đã có đánh giá với số quyết định này."),
            models.CheckConstraint(
                name="evaluation_note_max_length",
                condition=LessThanOrEqual(Length("note"), TEXT_MAX_LENGTH),
                violation_error_message="Ghi chú tối đa 10.000 ký tự."),
        ]
        indexes = [models.Index(fields=["decision_date"])]

    def __str__(self):
        return f"{self.product} – {self.stars} sao ({self.cycle_year})"

    @property
    def is_recognised(self) -> bool:
        return self.stars >= RECOGNITION_MIN_STARS


class CycleStage(models.TextChoices):
    """The steps of the annual OCOP cycle a product goes through (DOMAIN.md §2), in order."""

    REGISTERED = "dang_ky", "Đăng ký"
    BUSINESS_PLAN = "phuong_an", "Phương án sản xuất kinh doanh"
    DISTRICT_ROUND = "cap_huyen", "Đánh giá cấp huyện"
    PROVINCE_ROUND = "cap_tinh", "Đánh giá cấp tỉnh"
    CENTRAL_ROUND = "cap_trung_uong", "Đánh giá cấp trung ương"
    DECISION = "quyet_dinh", "Quyết định công nhận"


# The day each stage was reached, by stage, in the cycle's order.
STAGE_DATE_FIELDS: dict[str, str] = {
    CycleStage.REGISTERED: "registered_on",
    CycleStage.BUSINESS_PLAN: "plan_on",
    CycleStage.DISTRICT_ROUND: "district_round_on",
    CycleStage.PROVINCE_ROUND: "province_round_on",
    CycleStage.CENTRAL_ROUND: "central_round_on",
    CycleStage.DECISION: "decided_on",
}
STAGE_ORDER: list[str] = list(STAGE_DATE_FIELDS)
# The stages a participation can be moved to by hand; the decision comes with its evaluation.
OPEN_STAGES = [CycleStage(stage) for stage in STAGE_ORDER[:-1]]


class CycleOutcome(models.TextChoices):
    OPEN = "dang_tham_gia", "Đang trong chu trình"
    RECOGNISED = "cong_nhan", "Được công nhận"
    NOT_RECOGNISED = "khong_cong_nhan", "Không được công nhận"
    WITHDRAWN = "rut", "Rút khỏi chu trình"


# Where a participation stands on a day: an open stage, or how it ended. These are the keys of
# the pipeline (DESIGN.md §6) and the values of the product list's `?stage=`.
CYCLE_POSITIONS = [(stage.value, stage.label) for stage in OPEN_STAGES] + [
    (outcome.value, outcome.label) for outcome in CycleOutcome if outcome != CycleOutcome.OPEN]


# A withdrawal's reason is a sentence or two, not a report: shorter than the other free texts.
WITHDRAWAL_REASON_MAX_LENGTH = 2000


class CycleParticipation(models.Model):
    """A product taking part in the OCOP cycle of one year (as a new product, for an upgrade or
    a re-evaluation): the day it reached each stage, and how it ended. Recording the cycle's
    evaluation closes it; history keeps every stage change."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE,
                                related_name="participations", verbose_name="Sản phẩm")
    cycle_year = models.PositiveSmallIntegerField("Năm chu trình", validators=YEAR_VALIDATORS)
    kind = models.CharField("Hình thức tham gia", max_length=20,
                            choices=EvaluationKind.choices, default=EvaluationKind.NEW)
    stage = models.CharField("Giai đoạn", max_length=20, choices=CycleStage.choices,
                             default=CycleStage.REGISTERED)
    registered_on = models.DateField("Ngày đăng ký")
    plan_on = models.DateField("Ngày nộp phương án sản xuất kinh doanh", null=True, blank=True)
    district_round_on = models.DateField("Ngày đánh giá cấp huyện", null=True, blank=True)
    province_round_on = models.DateField("Ngày đánh giá cấp tỉnh", null=True, blank=True)
    central_round_on = models.DateField("Ngày đánh giá cấp trung ương", null=True, blank=True)
    decided_on = models.DateField("Ngày quyết định", null=True, blank=True)
    outcome = models.CharField("Kết quả", max_length=20, choices=CycleOutcome.choices,
                               default=CycleOutcome.OPEN)
    ended_on = models.DateField("Kết thúc ngày", null=True, blank=True)
    evaluation = models.OneToOneField(Evaluation, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="participation",
                                      verbose_name="Kết quả đánh giá")
    withdrawal_reason = models.TextField(
        "Lý do rút", blank=True, max_length=WITHDRAWAL_REASON_MAX_LENGTH,
        validators=[MaxCharactersValidator("Lý do rút", WITHDRAWAL_REASON_MAX_LENGTH)])
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "Tham gia chu trình OCOP"
        verbose_name_plural = "Tham gia chu trình OCOP"
        ordering = ["-cycle_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "cycle_year"], name="participation_once_per_cycle",
                violation_error_message="Sản phẩm này đã đăng ký chu trình OCOP năm này."),
            models.CheckConstraint(
                name="participation_open_has_no_end",
                condition=Q(outcome=CycleOutcome.OPEN, ended_on__isnull=True)
                | (~Q(outcome=CycleOutcome.OPEN) & Q(ended_on__isnull=False)),
                violation_error_message="Tham gia đã kết thúc phải có ngày kết thúc."),
            models.CheckConstraint(
                name="participation_withdrawal_reason_max_length",
                condition=LessThanOrEqual(Length("withdrawal_reason"),
                                          WITHDRAWAL_REASON_MAX_LENGTH),
                violation_error_message="Lý do rút tối đa 2.000 ký tự."),
        ]
        indexes = [models.Index(fields=["cycle_year", "outcome"])]

    def __str__(self):
        return f"{self.product} – chu trình {self.cycle_year}"

    @property
    def is_open(self) -> bool:
        return self.outcome == CycleOutcome.OPEN

    def stage_dates(self) -> list[tuple[str, dt.date | None]]:
        """Each stage's label and the day it was reached (None: not reached)."""
        return [(CycleStage(stage).label, getattr(self, name))
                for stage, name in STAGE_DATE_FIELDS.items()]

    @property
    def last_day(self) -> dt.date:
        """The latest day recorded: a new stage cannot be dated before it."""
        return max(day for _, day in self.stage_dates() if day)


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", "Còn hiệu lực"
    EXPIRED = "expired", "Hết hiệu lực"
    REVOKED = "revoked", "Đã thu hồi"
    SUPERSEDED = "superseded", "Đã được thay thế"


class CertificateQuerySet(models.QuerySet):
    def with_status(self, status: str, today: dt.date | None = None):
        """Certificates whose status today is `status`, whether or not the daily check ran."""
        today = today or timezone.localdate()
        if status == CertificateStatus.ACTIVE:
            return self.filter(status=CertificateStatus.ACTIVE, valid_to__gte=today)
        if status == CertificateStatus.EXPIRED:
            return self.filter(Q(status=CertificateStatus.EXPIRED)
                               | Q(status=CertificateStatus.ACTIVE, valid_to__lt=today))
        return self.filter(status=status)

    def valid_during(self, start: dt.date, end: dt.date):
        """Certificates in force at some time between `start` and `end` (inclusive)."""
        return self.filter(overlaps("valid_from", "valid_to", start, end),
                           overlaps(None, "ended_on", start, end))


def new_verify_token() -> str:
    """An unguessable key for a certificate's public check page (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


class Certificate(Reviewable):
    """The OCOP certificate that a 3 to 5-star recognition grants, valid 36 months."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE,
                                      related_name="certificate", verbose_name="Đánh giá")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certificates",
                                verbose_name="Sản phẩm")
    number = models.CharField("Số giấy chứng nhận", max_length=100, blank=True)
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến")
    status = models.CharField("Trạng thái", max_length=12, choices=CertificateStatus.choices,
                              default=CertificateStatus.ACTIVE)
    # The day a revocation or a newer recognition ended it before valid_to.
    ended_on = models.DateField("Chấm dứt ngày", null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="supersedes", verbose_name="Thay thế bởi")
    revocation_decision = models.CharField("Quyết định thu hồi", max_length=100, blank=True)
    revocation_reason = models.TextField(
        "Lý do thu hồi", blank=True, max_length=TEXT_MAX_LENGTH,
        validators=[MaxCharactersValidator("Lý do thu hồi")])
    # The key of the public check page /verify/<token>/ that the printed QR code points to:
    # never the primary key, which anyone could count through.
    verify_token = models.CharField("Mã tra cứu", max_length=43, unique=True, editable=False,
                                    default=new_verify_token)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "Giấy chứng nhận OCOP"
        verbose_name_plural = "Giấy chứng nhận OCOP"
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(name="certificate_dates_in_order",
                                   condition=Q(valid_to__gt=F("valid_from")),
                                   violation_error_message="Ngày hết hạn phải sau ngày cấp."),
            models.CheckConstraint(
                name="certificate_revocation_reason_max_length",
                condition=LessThanOrEqual(Length("revocation_reason"), TEXT_MAX_LENGTH),
                violation_error_message="Lý do thu hồi tối đa 10.000 ký tự."),
        ]
        indexes = [models.Index(fields=["status", "valid_to"])]

    def __str__(self):
        return f"GCN {self.number or 'không số'} ({self.valid_from:%d/%m/%Y})"

    def status_on(self, day: dt.date | None = None) -> str:
        """The status as the dates make it on `day` (today by default)."""
        day = day or timezone.localdate()
        if self.status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED):
            return self.status
        return CertificateStatus.ACTIVE if self.valid_to >= day else CertificateStatus.EXPIRED

    @property
    def current_status(self) -> str:
        return self.status_on()

    @property
    def current_status_label(self) -> str:
        return CertificateStatus(self.current_status).label

    @property
    def days_left(self) -> int:
        return (self.valid_to - timezone.localdate()).days

    @property
    def effective_end(self) -> dt.date:
        return min(self.valid_to, self.ended_on) if self.ended_on else self.valid_to


class Standard(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    VIETGAHP = "vietgahp", "VietGAHP"
    GLOBALGAP = "globalgap", "GlobalGAP"
    ORGANIC = "huu_co", "Hữu cơ TCVN 11041"
    ISO_22000 = "iso22000", "ISO 22000"
    FSSC_22000 = "fssc22000", "FSSC 22000"
    HACCP = "haccp", "HACCP"
    ISO_9001 = "iso9001", "ISO 9001"
    GMP = "gmp", "GMP"
    OTHER = "khac", "Tiêu chuẩn khác"


# Standards that count as advanced quality management (quản lý chất lượng tiên tiến) for the
# indicator advanced_qm_products; an unnamed "other" standard does not.
ADVANCED_QM_STANDARDS = tuple(s for s in Standard if s != Standard.OTHER)


class QualityCertification(Reviewable):
    """A quality-management standard certified for a product (VietGAP, ISO 22000, ...)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE,
                                related_name="quality_certifications", verbose_name="Sản phẩm")
    standard = models.CharField("Tiêu chuẩn", max_length=20, choices=Standard.choices)
    standard_detail = models.CharField("Tên tiêu chuẩn (nếu khác)", max_length=150, blank=True)
    number = models.CharField("Số chứng nhận", max_length=100, blank=True)
    issuer = models.CharField("Tổ chức chứng nhận", max_length=255, blank=True)
    issued_on = models.DateField("Ngày cấp")
    expires_on = models.DateField("Ngày hết hạn", null=True, blank=True,
                                  help_text="Để trống nếu không ghi thời hạn.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chứng nhận tiêu chuẩn chất lượng"
        verbose_name_plural = "Chứng nhận tiêu chuẩn chất lượng"
        ordering = ["-issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="quality_certification_dates_in_order",
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                violation_error_message="Ngày hết hạn phải sau ngày cấp."),
        ]

    def __str__(self):
        return self.standard_detail or self.get_standard_display()

    @property
    def is_advanced_qm(self) -> bool:
        return self.standard in ADVANCED_QM_STANDARDS


class Traceability(Reviewable):
    """Traceability in place for a product (a system, a stamp code) over a span of dates."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE,
                                related_name="traceability_records", verbose_name="Sản phẩm")
    system = models.CharField("Hệ thống truy xuất", max_length=255,
                              help_text="Ví dụ: Cổng truy xuất nguồn gốc tỉnh Bắc Kạn, iCheck.")
    code = models.CharField("Mã, tem truy xuất", max_length=255, blank=True)
    started_on = models.DateField("Áp dụng từ")
    ended_on = models.DateField("Ngừng áp dụng", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Truy xuất nguồn gốc"
        verbose_name_plural = "Truy xuất nguồn gốc"
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="traceability_dates_in_order",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                violation_error_message="Ngày ngừng áp dụng phải sau ngày bắt đầu."),
        ]

    def __str__(self):
        return f"{self.system} {self.code}".strip()


class ExpiryNotice(models.Model):
    """The daily e-mail to the province office listing certificates expiring within 30 days;
    one row a day, so that running the daily check twice sends one e-mail."""

    day = models.DateField("Ngày", unique=True)
    certificate_count = models.PositiveIntegerField("Số giấy chứng nhận", default=0)
    recipients = models.TextField("Người nhận", blank=True)
    sent_at = models.DateTimeField("Gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Thông báo giấy chứng nhận sắp hết hạn"
        verbose_name_plural = "Thông báo giấy chứng nhận sắp hết hạn"
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y}: {self.certificate_count} giấy chứng nhận"


class ImportBatch(models.Model):
    """One uploaded import workbook: checked in the background, previewed, then imported on
    confirmation. The file is kept in the database, so that the worker and the confirming
    request, perhaps on other machines, read the same bytes; the summary is the audit trail of
    what the import found and did."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Đang kiểm tra"
        PREVIEWED = "previewed", "Đã kiểm tra, chờ xác nhận"
        IMPORTING = "importing", "Đang nhập"
        APPLIED = "applied", "Đã nhập"
        FAILED = "failed", "Có lỗi, không nhập"

    class Source(models.TextChoices):
        WEB = "web", "Trang nhập Excel"
        COMMAND = "command", "Lệnh import_products"

    filename = models.CharField("Tên tệp", max_length=255)
    content = models.BinaryField("Nội dung tệp", editable=False)
    size = models.PositiveIntegerField("Dung lượng (byte)")
    sha256 = models.CharField("Mã băm SHA-256", max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="import_batches",
                             verbose_name="Người nhập")
    source = models.CharField("Nguồn", max_length=10, choices=Source.choices,
                              default=Source.WEB)
    status = models.CharField("Trạng thái", max_length=10, choices=Status.choices,
                              default=Status.CHECKING)
    summary = models.JSONField("Kết quả kiểm tra, nhập", default=dict, blank=True)
    created_at = models.DateTimeField("Tải lên lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    applied_at = models.DateTimeField("Nhập lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Lần nhập Excel"
        verbose_name_plural = "Các lần nhập Excel"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def is_stalled(self) -> bool:
        """Still running long after any import finishes: the worker probably stopped."""
        return self.is_running and timezone.now() - self.updated_at > dt.timedelta(minutes=30)
