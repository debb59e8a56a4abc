"""Plan 180/KH-UBND and its kind: the plan, the indicators it sets quotas for, the quotas (the
provincial total and each district's share), the plan's contents as tasks with progress
notes, and the monthly reports."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ocop_portal.forms import TEXT_MAX_LENGTH, MaxCharactersValidator
from ocop_portal.models import District
from ocop_portal.storage import get_private_storage
from subjects.models import YEAR_VALIDATORS


class Plan(models.Model):
    """A yearly OCOP plan of the province (kế hoạch thực hiện Chương trình OCOP năm ...)."""

    number = models.CharField("Số hiệu", max_length=50, unique=True)
    issued_on = models.DateField("Ngày ban hành")
    year = models.PositiveSmallIntegerField("Năm kế hoạch", unique=True,
                                            validators=YEAR_VALIDATORS)
    title = models.CharField("Trích yếu", max_length=500)
    issuer = models.CharField("Cơ quan ban hành", max_length=255, default="UBND tỉnh Bắc Kạn")
    signer = models.CharField("Người ký", max_length=150, blank=True)

    class Meta:
        verbose_name = "Kế hoạch"
        verbose_name_plural = "Kế hoạch"
        ordering = ["-year"]

    def __str__(self):
        return f"Kế hoạch số {self.number} ngày {self.issued_on:%d/%m/%Y}"


class Appendix(models.IntegerChoices):
    PL1 = 1, "Phụ lục 1"
    PL2 = 2, "Phụ lục 2"


class Indicator(models.Model):
    """What a quota counts. How it is counted lives in targets.selectors (one function per code);
    the texts here are what users read beside every number."""

    code = models.SlugField("Mã", max_length=50, unique=True)
    name = models.CharField("Tên chỉ tiêu", max_length=255)
    short_name = models.CharField("Tên ngắn", max_length=80)
    unit = models.CharField("Đơn vị tính", max_length=50)
    appendix = models.PositiveSmallIntegerField(
        "Phụ lục", choices=Appendix.choices, null=True, blank=True,
        help_text="Để trống nếu chỉ tiêu không chia theo huyện.")
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)
    definition = models.TextField(
        "Nội dung chỉ tiêu trong kế hoạch", max_length=TEXT_MAX_LENGTH,
        validators=[MaxCharactersValidator("Nội dung chỉ tiêu trong kế hoạch")])
    counting_rule = models.TextField("Cách đếm", max_length=TEXT_MAX_LENGTH,
                                     validators=[MaxCharactersValidator("Cách đếm")])

    class Meta:
        verbose_name = "Chỉ tiêu"
        verbose_name_plural = "Chỉ tiêu"
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                name="indicator_texts_max_length",
                condition=Q(LessThanOrEqual(Length("definition"), TEXT_MAX_LENGTH),
                            LessThanOrEqual(Length("counting_rule"), TEXT_MAX_LENGTH)),
                violation_error_message=("Nội dung chỉ tiêu và cách đếm tối đa 10.000 ký tự mỗi "
                                         "mục.")),
        ]

    def __str__(self):
        return self.name

    @property
    def has_district_quotas(self) -> bool:
        return self.appendix is not None


class Quota(models.Model):
    """A plan's figure for an indicator: the provincial total (no district) or a district's share.
    Changed only through targets.services.quotas_set, which records who, when and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quotas",
                             verbose_name="Kế hoạch")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="quotas",
                                  verbose_name="Chỉ tiêu")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="quotas", verbose_name="Huyện/Thành phố",
                                 help_text="Để trống cho chỉ tiêu của toàn tỉnh.")
    value = models.PositiveIntegerField("Chỉ tiêu", validators=[MinValueValidator(0)])
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "Chỉ tiêu giao"
        verbose_name_plural = "Chỉ tiêu giao"
        ordering = ["plan", "indicator__position", "district__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "district"], condition=Q(district__isnull=False),
                name="quota_unique_per_district",
                violation_error_message="Huyện này đã có chỉ tiêu cho nội dung này."),
            # NULL is distinct from NULL in a unique index: the provincial total needs its own.
            models.UniqueConstraint(
                fields=["plan", "indicator"], condition=Q(district__isnull=True),
                name="quota_unique_province_total",
                violation_error_message="Kế hoạch đã có chỉ tiêu toàn tỉnh cho nội dung này."),
        ]

    def __str__(self):
        where = self.district.short_name if self.district_id else "Toàn tỉnh"
        return f"{self.indicator.short_name} – {where}: {self.value}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_trien_khai", "Chưa triển khai"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"


class PlanTaskQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None):
        """Tasks past their deadline and not done."""
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status=TaskStatus.DONE)


class PlanTask(models.Model):
    """One content of a plan's section III, with the units that carry it out."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name="Kế hoạch")
    number = models.PositiveSmallIntegerField("Số thứ tự nội dung",
                                              validators=[MinValueValidator(1)])
    title = models.CharField("Tên nội dung", max_length=500)
    content = models.TextField("Nội dung chi tiết", blank=True, max_length=TEXT_MAX_LENGTH,
                               validators=[MaxCharactersValidator("Nội dung chi tiết")])
    lead_units = models.TextField("Đơn vị chủ trì", max_length=TEXT_MAX_LENGTH,
                                  validators=[MaxCharactersValidator("Đơn vị chủ trì")])
    cooperating_units = models.TextField(
        "Đơn vị phối hợp", blank=True, max_length=TEXT_MAX_LENGTH,
        validators=[MaxCharactersValidator("Đơn vị phối hợp")])
    deadline = models.DateField("Thời hạn hoàn thành", null=True, blank=True,
                                help_text="Để trống nếu thực hiện thường xuyên.")
    status = models.CharField("Trạng thái", max_length=20, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = PlanTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "Nội dung, nhiệm vụ của kế hoạch"
        verbose_name_plural = "Nội dung, nhiệm vụ của kế hoạch"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_task_number_unique",
                                    violation_error_message="Kế hoạch đã có nội dung số này."),
            models.CheckConstraint(
                name="plan_task_texts_max_length",
                condition=Q(LessThanOrEqual(Length("content"), TEXT_MAX_LENGTH),
                            LessThanOrEqual(Length("lead_units"), TEXT_MAX_LENGTH),
                            LessThanOrEqual(Length("cooperating_units"), TEXT_MAX_LENGTH)),
                violation_error_message=("Nội dung chi tiết, đơn vị chủ trì và đơn vị phối hợp "
                                         "tối đa 10.000 ký tự mỗi mục.")),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def is_overdue_on(self, day: dt.date) -> bool:
        return bool(self.deadline and self.deadline < day and self.status != TaskStatus.DONE)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def status_colour(self) -> str:
        return {TaskStatus.DONE: "success", TaskStatus.IN_PROGRESS: "primary"}.get(
            self.status, "secondary")


class PlanTaskUpdate(models.Model):
    """A dated progress note on a plan task."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="updates",
                             verbose_name="Nội dung")
    date = models.DateField("Ngày")
    note = models.TextField("Tiến độ, kết quả", max_length=TEXT_MAX_LENGTH,
                            validators=[MaxCharactersValidator("Tiến độ, kết quả")])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               editable=False, related_name="+", verbose_name="Người cập nhật")
    created_at = models.DateTimeField("Ghi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "Cập nhật tiến độ"
        verbose_name_plural = "Cập nhật tiến độ"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_task_update_note_max_length",
                condition=LessThanOrEqual(Length("note"), TEXT_MAX_LENGTH),
                violation_error_message="Tiến độ, kết quả tối đa 10.000 ký tự."),
        ]

    def __str__(self):
        return f"{self.task.number} – {self.date:%d/%m/%Y}"


def report_storage():
    # Kept by name: the migrations refer to it.
    return get_private_storage()


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ lập"
    RUNNING = "running", "Đang lập"
    DONE = "done", "Đã lập xong"
    FAILED = "failed", "Lập không thành công"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi không thành công"
    NOT_CONFIGURED = "not_configured", "Chưa cấu hình người nhận"


class MonthlyReport(models.Model):
    """The report of one month: one record per month; regenerating it raises its version and
    replaces its workbook. Written only by targets.reports."""

    month = models.DateField("Tháng", unique=True, help_text="Ngày đầu tiên của tháng.")
    status = models.CharField("Trạng thái", max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.QUEUED)
    error = models.TextField("Lý do lỗi", blank=True)
    version = models.PositiveIntegerField("Lần lập", default=1)
    requested_at = models.DateTimeField("Yêu cầu lúc", default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="Người yêu cầu",
                                     help_text="Để trống khi lịch chạy tự động lập.")
    generated_at = models.DateTimeField("Lập xong lúc", null=True, blank=True)
    file = models.FileField("Tệp báo cáo", storage=report_storage, upload_to="reports/monthly/",
                            max_length=255, blank=True)
    file_version = models.PositiveIntegerField(
        "Lần lập của tệp", null=True, blank=True,
        help_text="Tệp đang lưu là của lần lập này (lần lập mới đang chờ hoặc lỗi thì tệp cũ "
                  "vẫn giữ).")
    summary = models.JSONField("Số liệu tóm tắt", default=dict, blank=True)
    email_status = models.CharField("Gửi thư", max_length=20, choices=EmailStatus.choices,
                                    default=EmailStatus.PENDING)
    email_error = models.TextField("Lỗi gửi thư", blank=True)
    email_sent_at = models.DateTimeField("Gửi thư lúc", null=True, blank=True)
    email_recipients = models.TextField("Người nhận", blank=True)

    class Meta:
        verbose_name = "Báo cáo tháng"
        verbose_name_plural = "Báo cáo tháng"
        ordering = ["-month"]

    def __str__(self):
        return f"Báo cáo tháng {self.month:%m/%Y}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Tháng được ghi bằng ngày đầu tiên của tháng."})

    @property
    def progress_key(self) -> str:
        return f"report:{self.pk}"

    @property
    def label(self) -> str:
        return f"{self.month.month}/{self.month.year}"

    @property
    def filename(self) -> str:
        """The name the stored file downloads under, with the build it comes from."""
        return f"Báo cáo OCOP tháng {self.month:%m-%Y} (lần {self.file_version}).xlsx"

    @property
    def status_colour(self) -> str:
        return {ReportStatus.DONE: "success", ReportStatus.FAILED: "danger",
                ReportStatus.RUNNING: "primary"}.get(self.status, "secondary")

    @property
    def email_colour(self) -> str:
        return {EmailStatus.SENT: "success", EmailStatus.FAILED: "danger"}.get(
            self.email_status, "secondary")


REOPEN_REASON_MAX_LENGTH = 500


class MonthCloseState(models.TextChoices):
    CLOSED = "closed", "Đã chốt"
    REOPENED = "reopened", "Đã mở lại"


class MonthClose(models.Model):
    """A month whose figures province staff have closed (chốt số liệu) for the whole province:
    while it is closed no record dated in it is added, changed or deleted. Reopened with a
    reason and closed again as often as needed; the history keeps every close and reopen.
    Written only by targets.closing."""

    month = models.DateField("Tháng", unique=True, help_text="Ngày đầu tiên của tháng.")
    state = models.CharField("Trạng thái", max_length=10, choices=MonthCloseState.choices,
                             default=MonthCloseState.CLOSED)
    closed_at = models.DateTimeField("Chốt lúc")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name="Người chốt")
    reopened_at = models.DateTimeField("Mở lại lúc", null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="Người mở lại")
    reopen_reason = models.CharField("Lý do mở lại", max_length=REOPEN_REASON_MAX_LENGTH,
                                     blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chốt số liệu tháng"
        verbose_name_plural = "Chốt số liệu tháng"
        ordering = ["-month"]

    def __str__(self):
        return f"Chốt số liệu tháng {self.month:%m/%Y}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Tháng được ghi bằng ngày đầu tiên của tháng."})

    @property
    def is_closed(self) -> bool:
        return self.state == MonthCloseState.CLOSED
