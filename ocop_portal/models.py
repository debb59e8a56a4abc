"""Shared models: Bắc Kạn's administrative units and the portal's users with their roles."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ocop_portal.storage import get_private_storage

ARCHIVE_REASON_MAX_LENGTH = 500


class ActiveManager(models.Manager):
    """The records in use: an archived record leaves lists, dropdowns and every count."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class Archivable(models.Model):
    """A record that is archived (with a reason, by someone) instead of deleted: it leaves the
    lists and the counts, keeps its history and can be restored. `objects` holds the records
    in use; `all_objects` the archived ones as well (its page, duplicate checks, restoring)."""

    archived_at = models.DateTimeField("Lưu trữ lúc", null=True, blank=True, editable=False)
    archived_by = models.ForeignKey("ocop_portal.User", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", editable=False,
                                    verbose_name="Người lưu trữ")
    archive_reason = models.CharField("Lý do lưu trữ", max_length=ARCHIVE_REASON_MAX_LENGTH,
                                      blank=True, editable=False)

    objects = ActiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager (ruff takes it for a field)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @classmethod
    def listed(cls, *, archived: bool = False) -> models.QuerySet:
        """What a list shows: the records in use, or (`archived`) the archived ones."""
        if archived:
            return cls.all_objects.filter(archived_at__isnull=False)
        return cls.objects.all()


class WebURLField(models.URLField):
    """A web address; typed without a scheme, it is taken as https (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", "Tỉnh"
    CITY = "thanh_pho", "Thành phố"
    DISTRICT = "huyen", "Huyện"
    TOWN = "thi_xa", "Thị xã"
    WARD = "phuong", "Phường"
    TOWNSHIP = "thi_tran", "Thị trấn"
    COMMUNE = "xa", "Xã"


class AdministrativeUnit(models.Model):
    """An administrative unit with its official (GSO) code, valid for a span of dates.

    Units are never deleted: Bắc Kạn's districts ceased on 01/07/2025, but records dated before
    keep pointing at the units as they were.
    """

    code = models.CharField("Mã", max_length=5, unique=True)
    name = models.CharField("Tên", max_length=100)
    kind = models.CharField("Loại", max_length=10, choices=UnitKind.choices)
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def full_name(self):
        return str(self)

    @property
    def short_name(self):
        """The name in a list of units: "Chợ Đồn", but "TP Bắc Kạn" for the city, so that it is
        never mistaken for the province of the same name."""
        if self.kind == UnitKind.CITY:
            return f"TP {self.name}"
        if self.kind == UnitKind.TOWN:
            return f"TX {self.name}"
        return self.name


class Province(AdministrativeUnit):
    class Meta(AdministrativeUnit.Meta):
        verbose_name = "Tỉnh"
        verbose_name_plural = "Tỉnh"


class District(AdministrativeUnit):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name="Tỉnh"
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = "Huyện/Thành phố"
        verbose_name_plural = "Huyện/Thành phố"


class Commune(AdministrativeUnit):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communes", verbose_name="Huyện/Thành phố"
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = "Xã/Phường/Thị trấn"
        verbose_name_plural = "Xã/Phường/Thị trấn"


class CommuneInDistrictMixin:
    """For records with a `district` and an optional `commune`: the commune must lie in it."""

    def clean(self):
        super().clean()
        if self.commune_id and self.district_id and self.commune.district_id != self.district_id:
            raise ValidationError({"commune": f"{self.commune} không thuộc {self.district}."})


class Role(models.TextChoices):
    PROVINCE_STAFF = "province_staff", "Cán bộ Văn phòng Điều phối NTM tỉnh"
    DISTRICT_OFFICER = "district_officer", "Cán bộ phụ trách OCOP cấp huyện"
    LEADER = "leader", "Lãnh đạo"
    ADMIN = "admin", "Quản trị hệ thống"


class User(AbstractUser):
    """A portal user: one role and, for a district officer, one district."""

    Role = Role

    role = models.CharField("Vai trò", max_length=20, choices=Role.choices, default=Role.LEADER)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name="Huyện/Thành phố phụ trách",
        help_text="Chỉ dành cho cán bộ cấp huyện.",
    )
    job_title = models.CharField("Chức vụ, đơn vị", max_length=200, blank=True)
    # Vietnamese names: the family and middle names, then the given name by which one is called.
    last_name = models.CharField("Họ và tên đệm", max_length=150, blank=True,
                                 help_text="Ví dụ: Hoàng Thị")
    first_name = models.CharField("Tên", max_length=150, blank=True, help_text="Ví dụ: Lan")

    class Meta:
        verbose_name = "Người dùng"
        verbose_name_plural = "Người dùng"
        constraints = [
            models.CheckConstraint(
                name="user_district_iff_district_officer",
                condition=(
                    Q(role="district_officer", district__isnull=False)
                    | (~Q(role="district_officer") & Q(district__isnull=True))
                ),
                violation_error_message=(
                    "Cán bộ cấp huyện phải có huyện phụ trách; "
                    "các vai trò khác không gắn với huyện."
                ),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """The name in Vietnamese order: family and middle names (`last_name`), then the given
        name (`first_name`): "Hoàng Thị Lan", never "Lan Hoàng Thị". Every page, report and
        history shows a person through this (str() of a user calls it)."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip())
                        if part)

    def save(self, *args, **kwargs):
        # The Django admin is the back office of province staff and administrators only.
        if self.role in (Role.PROVINCE_STAFF, Role.ADMIN):
            self.is_staff = True
        elif not self.is_superuser:
            self.is_staff = False
        super().save(*args, **kwargs)

    @property
    def effective_role(self):
        """The role that decides access: a superuser acts as an administrator."""
        return Role.ADMIN if self.is_superuser else self.role

    @property
    def is_district_officer(self):
        return self.effective_role == Role.DISTRICT_OFFICER

    @property
    def is_province_staff(self):
        return self.effective_role == Role.PROVINCE_STAFF

    @property
    def is_admin_role(self):
        return self.effective_role == Role.ADMIN

    @property
    def sees_all_districts(self):
        return not self.is_district_officer

    @property
    def can_write_records(self):
        """May create and change registry records and media items (within their scope)."""
        return self.effective_role in (Role.PROVINCE_STAFF, Role.DISTRICT_OFFICER, Role.ADMIN)

    @property
    def can_manage_plan(self):
        """May change quotas and plan tasks, and regenerate reports."""
        return self.effective_role in (Role.PROVINCE_STAFF, Role.ADMIN)

    @property
    def can_download_appendix(self):
        return self.effective_role in (Role.PROVINCE_STAFF, Role.ADMIN, Role.LEADER)


class Job(models.Model):
    """A background job a service asked for. It is written in the asking transaction, so it
    survives a broker that is down; it is dispatched to the queue once that transaction commits,
    and `requeue_jobs` dispatches again what is still waiting or has stalled (a killed worker).
    The tasks it runs are idempotent, so a second dispatch leaves one result."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Chờ hàng đợi"
        QUEUED = "queued", "Đã vào hàng đợi"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Xong"
        FAILED = "failed", "Không thành công"

    task = models.CharField("Tác vụ", max_length=200)
    args = models.JSONField("Tham số", default=list, blank=True)
    # The task and its first argument (the record's id): what a page looks up.
    key = models.CharField("Khoá", max_length=255, db_index=True)
    status = models.CharField("Trạng thái", max_length=10, choices=Status.choices,
                              default=Status.WAITING)
    attempts = models.PositiveSmallIntegerField("Số lần đưa vào hàng đợi", default=0)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    dispatched_at = models.DateTimeField("Đưa vào hàng đợi lúc", null=True, blank=True)
    started_at = models.DateTimeField("Bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("Kết thúc lúc", null=True, blank=True)
    error = models.TextField("Lỗi", blank=True, max_length=2000)

    class Meta:
        verbose_name = "Việc chạy nền"
        verbose_name_plural = "Việc chạy nền"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "dispatched_at"])]

    def __str__(self):
        return f"{self.task}({', '.join(map(str, self.args))}) – {self.get_status_display()}"

    @property
    def celery_id(self) -> str:
        return f"ocop-job-{self.pk}"


class Download(models.Model):
    """A file the portal makes in the background for one user, when it is too long to make
    while they wait (a list of thousands of rows, an appendix of a national registry). It holds
    what the user saw when they asked (the list's filters), is made in their scope at the time it
    runs, and is read only by them."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ lập"
        RUNNING = "running", "Đang lập"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Không thành công"

    user = models.ForeignKey("ocop_portal.User", on_delete=models.CASCADE,
                             related_name="downloads", verbose_name="Người yêu cầu")
    kind = models.CharField("Loại tệp", max_length=40)
    # The list's query string (filters, order) as lists of values, or an appendix's year.
    params = models.JSONField("Tham số", default=dict, blank=True)
    title = models.CharField("Nội dung", max_length=300)
    filename = models.CharField("Tên tệp", max_length=200)
    rows = models.PositiveIntegerField("Số dòng", default=0)
    status = models.CharField("Trạng thái", max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    file = models.FileField("Tệp", storage=get_private_storage,
                            upload_to="downloads/%Y/%m/", blank=True, max_length=300)
    error = models.TextField("Lỗi", blank=True, max_length=2000)
    created_at = models.DateTimeField("Yêu cầu lúc", auto_now_add=True)
    finished_at = models.DateTimeField("Xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Tệp tải về"
        verbose_name_plural = "Tệp tải về"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.title} – {self.get_status_display()}"

    @property
    def progress_key(self) -> str:
        return f"download:{self.pk}"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
