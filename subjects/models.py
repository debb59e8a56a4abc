"""Producers (chủ thể OCOP), their linkage contracts and the support they receive."""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ocop_portal.collation import vietnamese
from ocop_portal.domain import RECORD_YEAR_RANGE, year_span
from ocop_portal.forms import TEXT_MAX_LENGTH, MaxCharactersValidator
from ocop_portal.models import (
    Archivable,
    Commune,
    CommuneInDistrictMixin,
    District,
    Reviewable,
    WebURLField,
)


class SubjectType(models.TextChoices):
    COOPERATIVE = "htx", "Hợp tác xã"
    COOPERATIVE_GROUP = "tht", "Tổ hợp tác"
    ENTERPRISE = "dn", "Doanh nghiệp"
    HOUSEHOLD = "hkd", "Hộ kinh doanh"
    ESTABLISHMENT = "cssx", "Cơ sở sản xuất"


YEAR_VALIDATORS = [MinValueValidator(RECORD_YEAR_RANGE[0]),
                   MaxValueValidator(RECORD_YEAR_RANGE[1])]


class Subject(CommuneInDistrictMixin, Archivable):
    """A producer taking part in OCOP; it belongs to the district of its address."""

    name = models.CharField("Tên chủ thể", max_length=255)
    subject_type = models.CharField("Loại hình", max_length=10, choices=SubjectType.choices)
    registration_number = models.CharField(
        "Mã số thuế/ĐKKD", max_length=50, blank=True,
        help_text="Mã số thuế hoặc số giấy chứng nhận đăng ký kinh doanh; không trùng nhau.",
    )
    registration_date = models.DateField("Ngày cấp ĐKKD", null=True, blank=True)
    legal_representative = models.CharField("Người đại diện theo pháp luật", max_length=150,
                                            blank=True)
    representative_position = models.CharField("Chức vụ người đại diện", max_length=100,
                                               blank=True)
    phone = models.CharField("Điện thoại", max_length=30, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    website = WebURLField("Trang web", blank=True)
    address = models.CharField("Địa chỉ (thôn, bản, tổ)", max_length=255, blank=True)
    # The public catalogue shows the representative, phone and address only when this is ticked.
    contact_public = models.BooleanField(
        "Công khai thông tin liên hệ", default=False,
        help_text="Cho phép trang công khai hiện người đại diện, điện thoại và địa chỉ.")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subjects",
                                 verbose_name="Huyện/Thành phố")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="subjects",
                                null=True, blank=True, verbose_name="Xã/Phường/Thị trấn")
    founded_year = models.PositiveSmallIntegerField("Năm thành lập", null=True, blank=True,
                                                    validators=[MinValueValidator(1900),
                                                                MaxValueValidator(2100)])
    first_year_in_programme = models.PositiveSmallIntegerField(
        "Năm tham gia Chương trình OCOP", null=True, blank=True, validators=YEAR_VALIDATORS,
        help_text="Năm chủ thể lần đầu có sản phẩm tham gia Chương trình; dùng để đếm chủ thể mới.",
    )
    members_count = models.PositiveIntegerField("Số thành viên (HTX, THT)", null=True, blank=True)
    workers_total = models.PositiveIntegerField("Tổng số lao động", null=True, blank=True)
    workers_local = models.PositiveIntegerField("Lao động địa phương", null=True, blank=True)
    female_led = models.BooleanField("Do phụ nữ làm chủ", default=False)
    ethnic_minority = models.BooleanField("Chủ thể là người dân tộc thiểu số", default=False)
    main_markets = models.TextField(
        "Thị trường, kênh phân phối chính", blank=True, max_length=TEXT_MAX_LENGTH,
        validators=[MaxCharactersValidator("Thị trường, kênh phân phối chính")])
    note = models.TextField("Ghi chú", blank=True, max_length=TEXT_MAX_LENGTH,
                            validators=[MaxCharactersValidator("Ghi chú")])
    is_demo = models.BooleanField("Dữ liệu mẫu", default=False, editable=False)

    # Folded keys (see ocop_portal.text): search ignoring diacritics, duplicate detection.
    search_text = models.TextField(editable=False, default="")
    name_key = models.CharField(max_length=255, editable=False, default="")

    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "name_key", "updated_at"])

    class Meta:
        verbose_name = "Chủ thể"
        verbose_name_plural = "Chủ thể"
        ordering = [vietnamese("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"], condition=~Q(registration_number=""),
                name="subject_registration_number_unique",
                violation_error_message="Mã số thuế/ĐKKD này đã được dùng cho một chủ thể khác.",
            ),
            models.UniqueConstraint(
                fields=["district", "name_key"], name="subject_name_unique_in_district",
                violation_error_message="Huyện này đã có một chủ thể cùng tên.",
            ),
            models.CheckConstraint(
                name="subject_local_workers_within_total",
                condition=Q(workers_local__isnull=True) | Q(workers_total__isnull=True)
                | Q(workers_local__lte=models.F("workers_total")),
                violation_error_message=(
                    "Số lao động địa phương không được lớn hơn tổng số lao động."
                ),
            ),
            models.CheckConstraint(
                name="subject_texts_max_length",
                condition=Q(LessThanOrEqual(Length("main_markets"), TEXT_MAX_LENGTH),
                            LessThanOrEqual(Length("note"), TEXT_MAX_LENGTH)),
                violation_error_message=(
                    "Thị trường, kênh phân phối chính và ghi chú tối đa 10.000 ký tự mỗi mục."
                ),
            ),
        ]
        # The list's order (Vietnamese, then pk), for the province and for one district: a page
        # of 50 reads 50 index entries instead of sorting every record.
        indexes = [models.Index(vietnamese("name"), F("id"), name="subject_list_order"),
                   models.Index(F("district"), vietnamese("name"), F("id"),
                                name="subject_district_list_order")]

    UNIT_DATE_FIELDS = ("registration_date", "first_year_in_programme")

    def __str__(self):
        return self.name

    def unit_span(self):
        """A producer takes the commune of its registration, else of the year it joined the
        programme, else of today."""
        if self.unit_dated:
            return self.unit_dated
        if self.registration_date:
            return self.registration_date, self.registration_date
        if self.first_year_in_programme:
            return year_span(self.first_year_in_programme)
        day = timezone.localdate()
        return day, day


class Linkage(Reviewable):
    """A production or sales linkage contract of a subject (liên kết sản xuất, tiêu thụ)."""

    class Kind(models.TextChoices):
        PRODUCTION_AND_SALE = "sx_tt", "Liên kết sản xuất và tiêu thụ"
        RAW_MATERIAL = "nguyen_lieu", "Liên kết vùng nguyên liệu"
        SALE = "tieu_thu", "Liên kết tiêu thụ"

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="linkages",
                                verbose_name="Chủ thể")
    kind = models.CharField("Hình thức", max_length=20, choices=Kind.choices,
                            default=Kind.PRODUCTION_AND_SALE)
    partner = models.CharField("Đối tác liên kết", max_length=255)
    contract_number = models.CharField("Số hợp đồng", max_length=100, blank=True)
    contract_date = models.DateField("Ngày ký", null=True, blank=True)
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True,
                                help_text="Để trống nếu hợp đồng không thời hạn.")
    households = models.PositiveIntegerField("Số hộ tham gia", null=True, blank=True)
    note = models.TextField("Ghi chú", blank=True, max_length=TEXT_MAX_LENGTH,
                            validators=[MaxCharactersValidator("Ghi chú")])
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Liên kết sản xuất, tiêu thụ"
        verbose_name_plural = "Liên kết sản xuất, tiêu thụ"
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                name="linkage_dates_in_order",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
            models.CheckConstraint(
                name="linkage_note_max_length",
                condition=LessThanOrEqual(Length("note"), TEXT_MAX_LENGTH),
                violation_error_message="Ghi chú tối đa 10.000 ký tự.",
            ),
        ]

    def __str__(self):
        return f"{self.partner} ({self.contract_number or 'không số'})"


class SupportRecord(Reviewable):
    """Support given to a subject: consolidation, a new subject's start, training, promotion."""

    class Kind(models.TextChoices):
        CONSOLIDATION = "cung_co", "Củng cố, mở rộng quy mô sản xuất"
        NEW_SUBJECT = "chu_the_moi", "Hỗ trợ chủ thể mới"
        TRAINING = "dao_tao", "Đào tạo, tập huấn"
        PROMOTION = "xuc_tien", "Xúc tiến thương mại"
        OTHER = "khac", "Hỗ trợ khác"

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="supports",
                                verbose_name="Chủ thể")
    kind = models.CharField("Loại hỗ trợ", max_length=20, choices=Kind.choices)
    date = models.DateField("Ngày hỗ trợ")
    content = models.TextField("Nội dung hỗ trợ", max_length=TEXT_MAX_LENGTH,
                               validators=[MaxCharactersValidator("Nội dung hỗ trợ")])
    amount = models.DecimalField("Kinh phí (đồng)", max_digits=15, decimal_places=0, null=True,
                                 blank=True, validators=[MinValueValidator(0)])
    funding_source = models.CharField("Nguồn kinh phí", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, editable=False, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Hỗ trợ chủ thể"
        verbose_name_plural = "Hỗ trợ chủ thể"
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(name="support_amount_not_negative",
                                   condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   violation_error_message="Kinh phí không được âm."),
            models.CheckConstraint(name="support_content_max_length",
                                   condition=LessThanOrEqual(Length("content"), TEXT_MAX_LENGTH),
                                   violation_error_message="Nội dung hỗ trợ tối đa 10.000 ký tự."),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"
