"""Archive instead of delete: a product, a producer or a media item entered by mistake (or no
longer in the programme) is archived with a reason by someone who may edit it. It then leaves
the lists, the dropdowns and every count (the models' `objects` manager holds only the records
in use), keeps its page and its history, and can be restored. Each app's services add their own
rules around these (a producer with products in use is not archived, …)."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ocop_portal.history import record_author
from ocop_portal.models import ARCHIVE_REASON_MAX_LENGTH, Archivable
from ocop_portal.permissions import require_edit_district
from ocop_portal.text import clean_text

ARCHIVE_FIELDS = ["archived_at", "archived_by", "archive_reason"]
Record = TypeVar("Record", bound=Archivable)


def clean_reason(reason: str | None) -> str:
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do lưu trữ (ví dụ: nhập trùng, nhập nhầm)."})
    if len(reason) > ARCHIVE_REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Lý do lưu trữ dài tối đa {ARCHIVE_REASON_MAX_LENGTH} "
                                         f"ký tự (đã nhập {len(reason)})."})
    return reason


@transaction.atomic
def archive(record: Record, *, user, reason: str | None) -> Record:
    """Archive `record` (which the user must be allowed to edit), with the reason; history keeps
    who did it and when."""
    require_edit_district(user, record.district_id)
    reason = clean_reason(reason)
    if record.is_archived:
        raise ValidationError("Hồ sơ này đã được lưu trữ trước đó.")
    record.archived_at = timezone.now()
    record.archived_by = user
    record.archive_reason = reason
    record_author(record, user).save(update_fields=ARCHIVE_FIELDS)
    return record


@transaction.atomic
def restore(record: Record, *, user) -> Record:
    """Bring an archived record back into the lists and the counts."""
    require_edit_district(user, record.district_id)
    if not record.is_archived:
        raise ValidationError("Hồ sơ này đang được sử dụng, không cần khôi phục.")
    record.archived_at = None
    record.archived_by = None
    record.archive_reason = ""
    record_author(record, user).save(update_fields=ARCHIVE_FIELDS)
    return record


def require_in_use(record: Archivable) -> None:
    """An archived record is read, not changed (nor given new evaluations, standards, linkages,
    …) until it is restored."""
    if record.is_archived:
        raise ValidationError(f"“{record}” đang được lưu trữ; hãy khôi phục trước khi thay đổi.")


def archived_message(what: str, name: str) -> str:
    """Why a new record cannot take the place of an archived one."""
    return (f"Đã có {what} “{name}” nhưng đang được lưu trữ; hãy mở hồ sơ đó và bấm “Khôi phục” "
            "thay vì tạo mới.")
