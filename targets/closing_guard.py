"""The records counted by date, refused while their month is closed: pre_save and pre_delete
receivers for each, so that every writer (pages, API, admin, archive, commands) is held by the
same rule. A change is refused when the stored date or the new one falls in a closed month, a
delete when the stored one does. The Excel import writes in bulk, without these signals, and
asks ocop_portal.period_lock itself (products.imports.apply).

A certificate is dated twice: by its start (valid_from) for what it grants, and by its end
(ended_on) for a revocation or a newer recognition ending it. Ending it in an open month is a
change of that month, even when it began in a closed one; marking it expired (its validity has
run out, no date of its own) changes no closed month's figures.
"""

import datetime as dt
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone

from ocop_portal import period_lock
from targets import closing


def _local(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


# model label: (what it is called in the refusal, the dates it is counted by)
GUARDED: dict[str, tuple[str, Callable]] = {
    "products.Evaluation": ("kết quả đánh giá, phân hạng", lambda r: [r.decision_date]),
    "products.QualityCertification": ("chứng nhận tiêu chuẩn chất lượng",
                                      lambda r: [r.issued_on]),
    "products.Traceability": ("thông tin truy xuất nguồn gốc", lambda r: [r.started_on]),
    "subjects.Linkage": ("hợp đồng liên kết", lambda r: [r.valid_from]),
    "subjects.SupportRecord": ("hỗ trợ chủ thể", lambda r: [r.date]),
    "communications.MediaItem": ("tin, bài", lambda r: [_local(r.published_at)]),
}
CERTIFICATE = "products.Certificate"
CERTIFICATE_WHAT = "giấy chứng nhận OCOP"
CERTIFICATE_GRANT = ["evaluation_id", "product_id", "number", "valid_from", "valid_to"]
CERTIFICATE_END = ["status", "ended_on", "superseded_by_id", "revocation_decision",
                   "revocation_reason"]


def _changed(old, new, fields: list[str]) -> bool:
    return any(getattr(old, name) != getattr(new, name) for name in fields)


def _certificate_days(old, new) -> list:
    """The days a certificate's write changes: its start if what it grants changes (or it is
    new or deleted), its end days if how it ended changes."""
    days = []
    if old is None or new is None or _changed(old, new, CERTIFICATE_GRANT):
        days += [record.valid_from for record in (old, new) if record is not None]
    if old is not None and new is not None and _changed(old, new, CERTIFICATE_END):
        days += [old.ended_on, new.ended_on]
    elif new is None and old.status == "revoked":
        days.append(old.ended_on)
    return days


def _days(label: str, old, new) -> tuple[str, list]:
    if label == CERTIFICATE:
        return CERTIFICATE_WHAT, _certificate_days(old, new)
    what, dates = GUARDED[label]
    return what, [day for record in (old, new) if record is not None for day in dates(record)]


def _refusal(label: str, old, new, months: closing.ClosedMonths) -> str | None:
    what, days = _days(label, old, new)
    for day in days:
        if day is not None and (message := months(day, what)):
            return message
    return None


def _stored(instance):
    if instance.pk is None or instance._state.adding:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).first()


def refuse_save(sender, instance, **kwargs):
    months = closing.ClosedMonths()
    if months and (message := _refusal(sender._meta.label, _stored(instance), instance,
                                       months)):
        raise ValidationError(message)


def refuse_delete(sender, instance, **kwargs):
    months = closing.ClosedMonths()
    if months and (message := _refusal(sender._meta.label, _stored(instance) or instance, None,
                                       months)):
        raise ValidationError(message)


def delete_refusal(record) -> str | None:
    """Why a stored record cannot be deleted (ocop_portal.period_lock); None if it can."""
    label = record._meta.label
    if label != CERTIFICATE and label not in GUARDED:
        return None
    months = closing.ClosedMonths()
    return _refusal(label, record, None, months) if months else None


def connect() -> None:
    for label in [*GUARDED, CERTIFICATE]:
        model = apps.get_model(label)
        uid = f"targets.closing_guard:{label}"
        pre_save.connect(refuse_save, sender=model, dispatch_uid=f"{uid}:save")
        pre_delete.connect(refuse_delete, sender=model, dispatch_uid=f"{uid}:delete")
    period_lock.register(months_closed=closing.ClosedMonths, delete=delete_refusal)
