"""Shared models: Bắc Kạn's administrative units and the portal's users with their roles."""

import datetime as dt

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


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The units in existence on `day`."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def valid_during(self, start, end):
        """The units in existence at some time from `start` to `end`."""
        return self.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start))


class AdministrativeUnit(models.Model):
    """An administrative unit with its official (GSO) code, valid for a span of dates: a unit
    is its code *and* its period, since codes were reused (01960 was xã Lãng Ngâm until
    31/01/2020 and xã Hiệp Lực from 01/02/2020; most codes of Thái Nguyên's communes from
    01/07/2025 are those of Bắc Kạn units they absorbed). How units followed one another is
    in UnitSuccession; ocop_portal.units reads both.

    Units are never deleted: Bắc Kạn's districts ceased on 01/07/2025, but records dated before
    keep pointing at the units as they were.
    """

    code = models.CharField("Mã", max_length=5)
    name = models.CharField("Tên", max_length=100)
    kind = models.CharField("Loại", max_length=10, choices=UnitKind.choices)
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"],
                                    name="%(app_label)s_%(class)s_code_once_per_period"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True)
                                   | Q(valid_to__gte=models.F("valid_from")),
                                   name="%(app_label)s_%(class)s_period_in_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def full_name(self):
        return str(self)

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def is_valid_during(self, start, end) -> bool:
        return self.valid_from <= end and (self.valid_to is None or start <= self.valid_to)

    @property
    def period_text(self) -> str:
        """"từ 01/07/2025", "đến 31/01/2020" or "01/02/2020 – 30/06/2025"."""
        if self.valid_to is None:
            return f"từ {self.valid_from:%d/%m/%Y}"
        if self.valid_from.year < 2000:
            return f"đến {self.valid_to:%d/%m/%Y}"
        return f"{self.valid_from:%d/%m/%Y} – {self.valid_to:%d/%m/%Y}"

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
    """A commune, ward or township. Bắc Kạn's lay in its districts; Thái Nguyên's from
    01/07/2025 lie directly in the province (`province`), the district level being abolished,
    and `district` is then the former district it is counted in for continuity with the plan's
    districts: the one that gave most of its predecessors (ocop_portal.units.crosswalk_district).
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communes", verbose_name="Huyện/Thành phố"
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="communes",
        verbose_name="Tỉnh (đơn vị không thuộc huyện)",
        help_text="Chỉ với xã, phường trực thuộc tỉnh từ 01/07/2025; huyện khi đó là huyện cũ "
                  "mà xã được tính vào.")

    class Meta(AdministrativeUnit.Meta):
        verbose_name = "Xã/Phường/Thị trấn"
        verbose_name_plural = "Xã/Phường/Thị trấn"

    @property
    def outside_districts(self) -> bool:
        """A unit directly under its province (Thái Nguyên's, from 01/07/2025)."""
        return self.province_id is not None

    @property
    def place_name(self) -> str:
        """"Xã Đồng Thắng, huyện Chợ Đồn"; "Xã Phủ Thông, tỉnh Thái Nguyên"."""
        above = self.province if self.outside_districts else self.district
        return f"{self}, {above.get_kind_display().lower()} {above.name}"


class SuccessionKind(models.TextChoices):
    MERGED = "merged_whole", "hợp nhất"
    MERGED_INTO = "merged_into", "sáp nhập vào đơn vị khác"
    SPLIT = "split_part", "chia một phần"
    CODE_CHANGED = "code_changed", "đổi mã"
    REORGANISED = "reorganised", "chuyển thành đơn vị mới"


class UnitSuccession(models.Model):
    """A commune followed by another on a date: merged into it (with others, or into a unit
    that went on), split between several (one record for each part), its code changed, or
    turned into a new unit (01/07/2025). A unit that went on enlarged has no record: it is the
    same unit."""

    predecessor = models.ForeignKey(Commune, on_delete=models.PROTECT,
                                    related_name="successions", verbose_name="Đơn vị trước")
    successor = models.ForeignKey(Commune, on_delete=models.PROTECT,
                                  related_name="precessions", verbose_name="Đơn vị sau")
    kind = models.CharField("Hình thức", max_length=20, choices=SuccessionKind.choices)
    on = models.DateField("Từ ngày")
    basis = models.CharField("Căn cứ", max_length=200)
    confidence = models.CharField("Độ tin cậy của nguồn", max_length=100, blank=True)

    class Meta:
        verbose_name = "Sắp xếp đơn vị hành chính"
        verbose_name_plural = "Sắp xếp đơn vị hành chính"
        ordering = ["on", "predecessor__code", "successor__code"]
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"],
                                               name="unit_succession_once")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.on:%d/%m/%Y})"


class CommuneInDistrictMixin:
    """For records with a `district` and an optional `commune`: the commune must lie in it (a
    commune of Thái Nguyên from 01/07/2025, in the former district it is counted in), and must
    have existed on the record's date (`unit_span`). A record keeps the unit it was entered
    with; the check runs when the record is new or its commune or date changes, so that an old
    record stays editable after its commune has merged."""

    # The days a unit must have existed on, when the caller knows better than the record (the
    # import: the row's decision date); a tuple (start, end), not saved.
    unit_dated: tuple | None = None
    UNIT_DATE_FIELDS: tuple[str, ...] = ()

    def unit_span(self):
        """The days the record's unit must have existed on (at some time between the two)."""
        raise NotImplementedError

    def clean(self):
        super().clean()
        if not self.commune_id or not self.district_id:
            return
        if self.commune.district_id != self.district_id:
            if not self.commune.outside_districts:
                raise ValidationError({"commune": f"{self.commune} không thuộc {self.district}."})
            if self.district_id not in former_districts(self.commune):
                raise ValidationError({"commune": (
                    f"{self.commune.place_name} không có đơn vị cũ nào thuộc {self.district}; "
                    f"xã này được tính cho {self.commune.district} (cũ).")})
        if self._unit_to_check():
            message = refusal(self.commune, *self.unit_span())
            if message:
                raise ValidationError({"commune": message})

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._unit_loaded = record._unit_values()
        return record

    def _unit_values(self) -> tuple | None:
        """The commune and date as read; None when a read deferred one of them."""
        fields = ("commune_id", *self.UNIT_DATE_FIELDS)
        if any(f not in self.__dict__ for f in fields):
            return None
        return tuple(self.__dict__[f] for f in fields)

    def _unit_to_check(self) -> bool:
        """A new record, or one whose commune or date changed since it was read (no query:
        the values read are kept by from_db)."""
        if self.unit_dated is not None or self.pk is None:
            return True
        loaded = getattr(self, "_unit_loaded", None)
        return loaded is None or loaded != self._unit_values()


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


# How units followed one another, read for a record's check and for messages (ocop_portal.units
# gives them with the rest of the units' reads; they live here because the records' clean()
# needs them).

def former_districts(commune: Commune, successions: "Successions | None" = None) -> set[int]:
    """The districts (ids) a record of `commune` may be counted in: its own; for a commune of
    Thái Nguyên, also each former district one of its predecessors lay in (a record naming
    that district is counted there; one naming none, in the crosswalk's)."""
    cached = commune.__dict__.get("_former_districts")
    if cached is not None:
        return cached
    found = {commune.district_id}
    if commune.outside_districts:
        preceding = (successions.preceding(commune) if successions else
                     UnitSuccession.objects.filter(successor=commune).select_related(
                         "predecessor"))
        found |= {s.predecessor.district_id for s in preceding}
    commune.__dict__["_former_districts"] = found  # the same for as long as the instance lives
    return found


def span_text(start: dt.date, end: dt.date) -> str:
    if start == end:
        return f"ngày {start:%d/%m/%Y}"
    if (start, end) == (dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)):
        return f"năm {start.year}"
    return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"


def unit_names(units: list[Commune]) -> str:
    names = [_lower_kind(u) for u in units]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def _lower_kind(unit: Commune) -> str:
    text = str(unit)
    if unit.outside_districts:
        text = f"{text} (tỉnh {unit.province.name})"
    return text[0].lower() + text[1:]


class Successions:
    """Every succession, read once (a few hundred rows): what followed a unit and what it
    came from, without a query for each unit asked about."""

    def __init__(self):
        self.rows = list(UnitSuccession.objects.select_related(
            "predecessor__district", "predecessor__province",
            "successor__district", "successor__province"))
        self._from: dict[int, list[UnitSuccession]] = {}
        self._to: dict[int, list[UnitSuccession]] = {}
        for row in sorted(self.rows, key=lambda r: (r.successor.code, r.predecessor.code)):
            self._from.setdefault(row.predecessor_id, []).append(row)
            self._to.setdefault(row.successor_id, []).append(row)

    def following(self, commune: Commune) -> list[UnitSuccession]:
        return self._from.get(commune.pk, [])

    def preceding(self, commune: Commune) -> list[UnitSuccession]:
        return self._to.get(commune.pk, [])


def refusal(commune: Commune, start: dt.date, end: dt.date | None = None,
            successions: Successions | None = None) -> str | None:
    """Why `commune` cannot be a record's unit on `start` (or at any time up to `end`): the
    unit it became or came from, named with the date; None when it existed then."""
    end = end or start
    if commune.is_valid_during(start, end):
        return None
    successions = successions or Successions()
    when = span_text(start, end)
    if commune.valid_to is not None and commune.valid_to < start:
        followed = successions.following(commune)
        if not followed:
            return f"{commune} không còn từ {commune.valid_to + dt.timedelta(days=1):%d/%m/%Y}."
        successors = [s.successor for s in followed]
        day, kind = followed[0].on, followed[0].kind
        if kind == "code_changed":
            return (f"{commune} (mã {commune.code}) đổi sang mã {successors[0].code} từ "
                    f"{day:%d/%m/%Y}; với {when} hãy dùng mã {successors[0].code}.")
        if kind == "split_part":
            return f"{commune} đã được chia vào {unit_names(successors)} từ {day:%d/%m/%Y}."
        return f"{commune} đã sáp nhập vào {unit_names(successors)} từ {day:%d/%m/%Y}."
    came = [s.predecessor for s in successions.preceding(commune)]
    before = f"; trước đó là {unit_names(came)}" if came else ""
    return (f"{commune} chỉ có từ {commune.valid_from:%d/%m/%Y}{before}, "
            f"không dùng cho {when}.")


# Province review of what districts enter --------------------------------------------------------

class ReviewState(models.TextChoices):
    CONFIRMED = "confirmed", "Đã xác nhận"
    PENDING = "pending", "Chờ xác nhận"
    RETURNED = "returned", "Trả lại"


class Reviewable(models.Model):
    """A record an indicator counts: entered by a district officer it is "Chờ xác nhận" until
    province staff confirm it, and counts (as `actual`) only once confirmed; entered by province
    staff or an administrator it is confirmed at once (ocop_portal.review)."""

    review_state = models.CharField("Xác nhận của tỉnh", max_length=10,
                                    choices=ReviewState.choices, default=ReviewState.CONFIRMED,
                                    editable=False)
    # No index: nearly every row is confirmed, so an index would not narrow a count; on a
    # table not yet analysed, PostgreSQL took it for selective and chose nested loops that
    # made the dashboards' counts run for minutes. What awaits review is read from ReviewItem.

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.review_state == ReviewState.CONFIRMED


class ReviewAction(models.TextChoices):
    CREATE = "create", "Thêm mới"
    CHANGE = "change", "Sửa"


class ReviewItem(models.Model):
    """One submission of a district officer awaiting province review: a new record (its
    `review_state` says the same), or a change to a counted field of a confirmed record, kept
    here (`changes`) and applied only when confirmed, so that the record counts in its
    confirmed form until then. `before`/`after` are the values as the review page shows them."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ xác nhận"
        CONFIRMED = "confirmed", "Đã xác nhận"
        RETURNED = "returned", "Trả lại"
        WITHDRAWN = "withdrawn", "Đã rút"

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField("Loại hồ sơ", max_length=30)
    action = models.CharField("Nội dung", max_length=10, choices=ReviewAction.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="Huyện/Thành phố")
    title = models.CharField("Hồ sơ", max_length=300)
    before = models.JSONField("Trước", default=dict, blank=True)
    after = models.JSONField("Sau", default=dict, blank=True)
    changes = models.JSONField("Giá trị đề nghị", default=dict, blank=True)
    state = models.CharField("Trạng thái", max_length=10, choices=State.choices,
                             default=State.PENDING, db_index=True)
    submitted_by = models.ForeignKey("ocop_portal.User", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="Người gửi")
    submitted_at = models.DateTimeField("Gửi lúc")
    decided_by = models.ForeignKey("ocop_portal.User", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name="Người xử lý")
    decided_at = models.DateTimeField("Xử lý lúc", null=True, blank=True)
    reason = models.CharField("Lý do trả lại", max_length=500, blank=True)

    class Meta:
        verbose_name = "Hồ sơ chờ xác nhận"
        verbose_name_plural = "Hồ sơ chờ xác nhận"
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "state"]),
                   models.Index(fields=["state", "district", "submitted_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.title}"


class ReminderSent(models.Model):
    """A reminder e-mail sent to one person in one run (`run_key`, the run's local date): the
    unique pair makes a repeated run (a redelivered job, a second beat tick) send nothing twice
    (ocop_portal.reminders)."""

    user = models.ForeignKey("ocop_portal.User", on_delete=models.CASCADE,
                             related_name="reminders_sent", verbose_name="Người nhận")
    run_key = models.CharField("Đợt nhắc việc", max_length=40)
    email = models.EmailField("Địa chỉ e-mail")
    line_count = models.PositiveSmallIntegerField("Số việc", default=0)
    sent_at = models.DateTimeField("Gửi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "E-mail nhắc việc đã gửi"
        verbose_name_plural = "E-mail nhắc việc đã gửi"
        ordering = ["-sent_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "run_key"],
                                               name="reminder_once_per_user_and_run")]

    def __str__(self):
        return f"{self.user} – {self.run_key}"
