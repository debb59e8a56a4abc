"""Quality-management standards and traceability recorded for a product."""

import datetime as dt

from django.db import transaction

from ocop_portal import review
from ocop_portal.archive import require_in_use
from ocop_portal.domain import (
    refuse_future,
)
from ocop_portal.history import record_author
from ocop_portal.models import User
from ocop_portal.permissions import require_edit_district
from products.models import (
    Product,
    QualityCertification,
    Traceability,
)


def quality_certification_build(*, product: Product, user: User, standard: str,
                                issued_on: dt.date, expires_on: dt.date | None = None,
                                standard_detail: str = "", number: str = "",
                                issuer: str = "") -> QualityCertification:
    """A new quality certification, unsaved, with the rules that need no database checked."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    refuse_future("issued_on", issued_on, "Ngày cấp chứng nhận")
    return QualityCertification(
        product=product, standard=standard, standard_detail=standard_detail, number=number,
        issuer=issuer, issued_on=issued_on, expires_on=expires_on,
        review_state=review.entry_state(user))


@transaction.atomic
def quality_certification_add(*, product: Product, user: User, standard: str, issued_on: dt.date,
                              expires_on: dt.date | None = None, standard_detail: str = "",
                              number: str = "", issuer: str = "") -> QualityCertification:
    """Record a quality-management standard certified for a product."""
    certification = quality_certification_build(
        product=product, user=user, standard=standard, issued_on=issued_on,
        expires_on=expires_on, standard_detail=standard_detail, number=number, issuer=issuer)
    certification.full_clean()
    record_author(certification, user).save()
    review.submit_new(certification, user=user, kind="quality", shown=review.shown(
        certification, ["standard", "number", "issued_on", "expires_on"]))
    return certification


def traceability_build(*, product: Product, user: User, system: str, started_on: dt.date,
                       code: str = "", ended_on: dt.date | None = None) -> Traceability:
    """A new traceability record, unsaved, with the rules that need no database checked."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    # The end may be planned ahead (a stamp contract to a date); the start has happened.
    refuse_future("started_on", started_on, "Ngày áp dụng truy xuất nguồn gốc")
    return Traceability(product=product, system=system, code=code, started_on=started_on,
                        ended_on=ended_on, review_state=review.entry_state(user))


@transaction.atomic
def traceability_add(*, product: Product, user: User, system: str, started_on: dt.date,
                     code: str = "", ended_on: dt.date | None = None) -> Traceability:
    """Record traceability put in place for a product."""
    record = traceability_build(product=product, user=user, system=system,
                                started_on=started_on, code=code, ended_on=ended_on)
    record.full_clean()
    record_author(record, user).save()
    review.submit_new(record, user=user, kind="traceability", shown=review.shown(
        record, ["system", "code", "started_on", "ended_on"]))
    return record
