"""Media coverage of the OCOP programme: outlets and the news items, articles and reportages
they publish (plan 180/KH-UBND, section II.3: at least 2 a month)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords

from ocop_portal.collation import vietnamese
from ocop_portal.forms import TEXT_MAX_LENGTH, MaxCharactersValidator
from ocop_portal.models import Archivable, District, Reviewable

ATTACHMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "webp"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_attachment_size(file):
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError("Tệp đính kèm không được lớn hơn 10 MB.")


class OutletLevel(models.TextChoices):
    CENTRAL = "trung_uong", "Trung ương"
    PROVINCE = "tinh", "Tỉnh"
    DISTRICT = "huyen", "Huyện"
    OTHER = "khac", "Khác"


class Outlet(models.Model):
    """A newspaper, radio, television station or portal that publishes about OCOP."""

    name = models.CharField("Tên cơ quan báo chí", max_length=255, unique=True)
    level = models.CharField("Cấp", max_length=20, choices=OutletLevel.choices)
    website = models.URLField("Trang web", blank=True)

    class Meta:
        verbose_name = "Cơ quan báo chí, truyền thông"
        verbose_name_plural = "Cơ quan báo chí, truyền thông"
        ordering = [vietnamese("name"), "pk"]

    def __str__(self):
        return self.name


class MediaKind(models.TextChoices):
    NEWS = "tin", "Tin"
    ARTICLE = "bai", "Bài"
    REPORTAGE = "phong_su", "Phóng sự"
    VIDEO = "video", "Video"
    OTHER = "khac", "Khác"


class MediaItem(Reviewable, Archivable):
    """One news item, article or reportage about OCOP, recorded once."""

    title = models.CharField("Tiêu đề", max_length=500)
    kind = models.CharField("Thể loại", max_length=20, choices=MediaKind.choices)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="items",
                               verbose_name="Cơ quan báo chí")
    # A moment, not a day: an item published at 23:30 on the last day of a month counts in that
    # month in Asia/Ho_Chi_Minh, whatever UTC says.
    published_at = models.DateTimeField("Thời điểm đăng")
    url = models.URLField("Đường dẫn", max_length=1000, blank=True)
    # The URL normalised (scheme, host case, trailing slash, tracking parameters), unique.
    url_key = models.CharField(max_length=1000, editable=False, default="")
    author = models.CharField("Tác giả", max_length=255, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="media_items", verbose_name="Huyện/Thành phố",
                                 help_text="Để trống nếu tin bài nói chung về toàn tỉnh.")
    products = models.ManyToManyField("products.Product", blank=True, related_name="media_items",
                                      verbose_name="Sản phẩm được nhắc đến")
    subjects = models.ManyToManyField("subjects.Subject", blank=True, related_name="media_items",
                                      verbose_name="Chủ thể được nhắc đến")
    note = models.TextField("Ghi chú", blank=True, max_length=TEXT_MAX_LENGTH,
                            validators=[MaxCharactersValidator("Ghi chú")])
    attachment = models.FileField("Tệp đính kèm (PDF, ảnh chụp)", upload_to="media-items/%Y/%m/",
                                  blank=True, validators=[
                                      FileExtensionValidator(ATTACHMENT_EXTENSIONS,
                                                             "Chỉ nhận tệp PDF hoặc ảnh (PNG, JPG, "
                                                             "WEBP)."),
                                      validate_attachment_size])
    is_demo = models.BooleanField("Dữ liệu mẫu", default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, editable=False, related_name="+")
    history = HistoricalRecords(excluded_fields=["search_text", "url_key"])

    class Meta:
        verbose_name = "Tin, bài truyền thông"
        verbose_name_plural = "Tin, bài truyền thông"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["url_key"], condition=~Q(url_key=""), name="media_item_url_unique",
                violation_error_message="Đường dẫn này đã được ghi nhận cho một tin, bài khác.",
            ),
            models.CheckConstraint(
                name="media_item_note_max_length",
                condition=LessThanOrEqual(Length("note"), TEXT_MAX_LENGTH),
                violation_error_message="Ghi chú tối đa 10.000 ký tự.",
            ),
        ]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self):
        return self.title
