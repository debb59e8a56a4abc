"""Writes of producers (chủ thể), their linkages and support records."""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ocop_portal import review
from ocop_portal.archive import archive, archived_message, require_in_use, restore
from ocop_portal.domain import refuse_future
from ocop_portal.history import record_author
from ocop_portal.models import Commune, District, User
from ocop_portal.permissions import require_edit_district
from ocop_portal.text import clean_text, name_key, search_key
from subjects.models import Linkage, Subject, SupportRecord


@dataclass(frozen=True, kw_only=True)
class SubjectFields:
    """What a producer's record holds, as the forms, the admin and the import give it."""

    name: str
    subject_type: str
    district: District
    commune: Commune | None = None
    registration_number: str = ""
    registration_date: dt.date | None = None
    legal_representative: str = ""
    representative_position: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    contact_public: bool = False
    founded_year: int | None = None
    first_year_in_programme: int | None = None
    members_count: int | None = None
    workers_total: int | None = None
    workers_local: int | None = None
    female_led: bool = False
    ethnic_minority: bool = False
    main_markets: str = ""
    note: str = ""

    def apply(self, subject: Subject) -> None:
        for field in dataclasses.fields(self):
            setattr(subject, field.name, getattr(self, field.name))


class DuplicateSubject(ValidationError):
    """The producer is already registered: the error carries the existing record."""

    def __init__(self, existing: Subject, reason: str):
        self.existing = existing
        super().__init__(reason, code="duplicate_subject")


def subject_find_duplicate(*, name: str, district, registration_number: str = "",
                           exclude_pk=None) -> tuple[Subject, str] | None:
    """An existing producer with the same registration number (anywhere in the province) or the
    same normalised name in the same district, with the reason; None when there is none."""
    # Archived producers count too: one of them is restored rather than entered again.
    others = Subject.all_objects.exclude(pk=exclude_pk) if exclude_pk else Subject.all_objects.all()
    registration_number = clean_text(registration_number)
    if registration_number:
        existing = others.filter(registration_number=registration_number).first()
        if existing and existing.is_archived:
            return existing, archived_message("chủ thể", existing.name)
        if existing:
            return existing, (f"Mã số thuế/ĐKKD {registration_number} đã được đăng ký cho chủ thể "
                              f"“{existing.name}” ({existing.district}).")
    district_id = getattr(district, "pk", district)
    existing = others.filter(district_id=district_id, name_key=name_key(name)).first()
    if existing and existing.is_archived:
        return existing, archived_message("chủ thể", existing.name)
    if existing:
        return existing, (f"Huyện này đã có chủ thể “{existing.name}” trùng tên (không phân biệt "
                          f"dấu, hoa thường, cách viết tắt HTX).")
    return None


def subject_archive(subject: Subject, *, user, reason: str | None) -> Subject:
    """Archive a producer whose products are all archived already (so that no product in use
    loses its producer)."""
    in_use = subject.products.count()
    if in_use:
        raise ValidationError({"reason": f"Chủ thể còn {in_use} sản phẩm đang sử dụng; hãy lưu "
                                         "trữ các sản phẩm đó trước."})
    return archive(subject, user=user, reason=reason)


def subject_restore(subject: Subject, *, user) -> Subject:
    return restore(subject, user=user)


def _subject_keys(subject: Subject):
    subject.name = clean_text(subject.name)
    subject.registration_number = clean_text(subject.registration_number)
    subject.name_key = name_key(subject.name)
    subject.search_text = search_key(subject.name, subject.registration_number,
                                     subject.legal_representative, subject.phone)


def _refuse_future_years(subject: Subject) -> None:
    """A producer joins the programme, or was founded, this year at the latest (as the import
    reads the same column)."""
    this_year = timezone.localdate().year
    for field, what in (("first_year_in_programme", "Năm tham gia chương trình OCOP"),
                        ("founded_year", "Năm thành lập")):
        year = getattr(subject, field)
        if year is not None and year > this_year:
            raise ValidationError({field: f"{what} ({year}) không được sau năm nay ({this_year})."})


def _guard_duplicate(subject: Subject):
    duplicate = subject_find_duplicate(
        name=subject.name, district=subject.district_id,
        registration_number=subject.registration_number, exclude_pk=subject.pk)
    if duplicate:
        raise DuplicateSubject(*duplicate)


def subject_build(*, user: User, fields: SubjectFields, is_demo: bool = False) -> Subject:
    """A new producer, unsaved, with the rules of subject_create that need no database checked:
    the batch import looks for the duplicate among the producers it loaded."""
    subject = Subject(is_demo=is_demo)
    fields.apply(subject)
    require_edit_district(user, subject.district_id)
    refuse_future("registration_date", subject.registration_date, "Ngày cấp ĐKKD")
    _refuse_future_years(subject)
    _subject_keys(subject)
    return subject


@transaction.atomic
def subject_create(*, user: User, fields: SubjectFields, is_demo: bool = False) -> Subject:
    """Register a producer, refusing one that is already registered."""
    subject = subject_build(user=user, fields=fields, is_demo=is_demo)
    _guard_duplicate(subject)
    subject.full_clean()
    first_year = subject.first_year_in_programme
    if review.needs_review(user) and first_year is not None:
        # The first programme year counts a new producer: it waits for the province's review.
        subject.first_year_in_programme = None
    record_author(subject, user).save()
    if subject.first_year_in_programme != first_year:
        _propose_first_year(subject, first_year, user)
    return subject


def _propose_first_year(subject: Subject, first_year: int | None, user) -> None:
    review.propose_change(
        subject, user=user, kind="subject_first_year",
        changes={"first_year_in_programme": first_year},
        before={"Năm tham gia Chương trình OCOP": review.shown_value(
            subject.first_year_in_programme)},
        after={"Năm tham gia Chương trình OCOP": review.shown_value(first_year)})


def _propose_unit(subject: Subject, proposed: Subject, saved: Subject, user) -> None:
    """An officer's change of a confirmed producer's district or commune: kept for review."""
    review.propose_change(
        subject, user=user, kind="subject_unit",
        changes={"district": proposed.district_id, "commune": proposed.commune_id},
        before={"Huyện/Thành phố": str(saved.district), "Xã/Phường/Thị trấn":
                review.shown_value(saved.commune)},
        after={"Huyện/Thành phố": str(proposed.district), "Xã/Phường/Thị trấn":
               review.shown_value(proposed.commune)})


def subject_first_year_apply(subject: Subject, changes: dict, user) -> None:
    """Apply a confirmed first programme year (ReviewItem.changes)."""
    subject.first_year_in_programme = changes["first_year_in_programme"]
    _refuse_future_years(subject)
    subject.full_clean()
    record_author(subject, user).save(update_fields=["first_year_in_programme", "updated_at"])


def subject_unit_apply(subject: Subject, changes: dict, user) -> None:
    """Apply a confirmed district and commune (ReviewItem.changes)."""
    subject.district_id, subject.commune_id = changes["district"], changes["commune"]
    subject.full_clean()
    record_author(subject, user).save(update_fields=["district", "commune", "updated_at"])


@transaction.atomic
def subject_update(subject: Subject, *, user: User, fields: SubjectFields) -> Subject:
    """Change a producer's record; the old and the new district must be the user's to edit."""
    from products.services import refresh_search_text_for_subject

    require_edit_district(user, subject.district_id)
    require_in_use(subject)
    saved = Subject(district_id=subject.district_id, commune_id=subject.commune_id,
                    first_year_in_programme=subject.first_year_in_programme)
    fields.apply(subject)
    require_edit_district(user, subject.district_id)
    refuse_future("registration_date", subject.registration_date, "Ngày cấp ĐKKD")
    _refuse_future_years(subject)
    _subject_keys(subject)
    _guard_duplicate(subject)
    subject.full_clean()
    # An officer's change to what an indicator reads waits for the province; the rest is saved.
    proposed_year = subject.first_year_in_programme
    unit_changed = (subject.district_id, subject.commune_id) != (saved.district_id,
                                                                  saved.commune_id)
    reviewed = review.needs_review(user)
    if reviewed and proposed_year != saved.first_year_in_programme:
        subject.first_year_in_programme = saved.first_year_in_programme
        _propose_first_year(subject, proposed_year, user)
    if reviewed and unit_changed:
        proposed = Subject(district_id=subject.district_id, commune_id=subject.commune_id)
        subject.district_id, subject.commune_id = saved.district_id, saved.commune_id
        _propose_unit(subject, proposed, saved, user)
    record_author(subject, user).save()
    refresh_search_text_for_subject(subject)
    return subject


@transaction.atomic
def linkage_add(*, subject: Subject, user: User, partner: str, valid_from: dt.date,
                valid_to: dt.date | None = None, kind: str = Linkage.Kind.PRODUCTION_AND_SALE,
                contract_number: str = "", contract_date: dt.date | None = None,
                households: int | None = None, note: str = "") -> Linkage:
    """Record a production or sales linkage contract of a producer."""
    require_edit_district(user, subject.district_id)
    require_in_use(subject)
    refuse_future("contract_date", contract_date, "Ngày ký hợp đồng")
    linkage = Linkage(subject=subject, kind=kind, partner=partner,
                      contract_number=contract_number, contract_date=contract_date,
                      valid_from=valid_from, valid_to=valid_to, households=households, note=note)
    linkage.partner = clean_text(linkage.partner)
    linkage.review_state = review.entry_state(user)
    linkage.full_clean()
    record_author(linkage, user).save()
    review.submit_new(linkage, user=user, kind="linkage", shown=review.shown(
        linkage, ["kind", "partner", "contract_number", "valid_from", "valid_to"]))
    return linkage


@transaction.atomic
def support_record_add(*, subject: Subject, user: User, kind: str, date: dt.date, content: str,
                       amount: Decimal | None = None, funding_source: str = "") -> SupportRecord:
    """Record support given to a producer (consolidation, a new subject's start, ...)."""
    require_edit_district(user, subject.district_id)
    require_in_use(subject)
    refuse_future("date", date, "Ngày hỗ trợ")
    record = SupportRecord(subject=subject, kind=kind, date=date, content=content, amount=amount,
                           funding_source=funding_source, created_by=user if user.pk else None,
                           review_state=review.entry_state(user))
    record.full_clean()
    record_author(record, user).save()
    review.submit_new(record, user=user, kind="support", shown=review.shown(
        record, ["kind", "date", "content", "amount"]))
    return record
