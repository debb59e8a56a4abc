"""The counting rules: for a period (a year counted up to an as-of day), the records each rule
counts and, where the appendix shows it, the related rows that made each record count.

A rule is written once here. The registry (targets.indicators.registry) names which rule makes
which indicator; the engine, the appendices, the monthly report, the drill-through lists and the
media calendar all take their records from it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from communications.models import MediaItem
from ocop_portal.collation import vietnamese
from ocop_portal.domain import RECOGNITION_MIN_STARS, overlaps, year_span
from products.models import (
    ADVANCED_QM_STANDARDS,
    Certificate,
    Evaluation,
    Product,
    QualityCertification,
    Traceability,
)
from subjects.models import Linkage, Subject, SupportRecord


@dataclass(frozen=True)
class Period:
    """The days of `year` counted on `as_of`: what is dated after it is not counted yet, so a
    report rebuilt later says what its month said."""

    year: int
    as_of: dt.date

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """The first and the last day counted (the last before the first: nothing yet)."""
        return year_span(self.year, self.as_of)

    @property
    def before_start(self) -> bool:
        return self.as_of < dt.date(self.year, 1, 1)


def recognitions() -> QuerySet[Evaluation]:
    """Evaluations that recognise a product in use (not archived) as OCOP (3 stars or more)."""
    return Evaluation.objects.filter(stars__gte=RECOGNITION_MIN_STARS,
                                     product__archived_at__isnull=True)


# Products

def recognised(period: Period) -> QuerySet[Product]:
    """Products holding a certificate in force at some time in the period."""
    in_force = Certificate.objects.valid_during(*period.span).filter(product=OuterRef("pk"))
    return Product.objects.filter(Exists(in_force))


def first_recognised(period: Period) -> QuerySet[Product]:
    """Products whose first recognition (3 stars or more) is dated in the period: one in the
    period and none before it."""
    start, end = period.span
    own = recognitions().filter(product=OuterRef("pk"))
    return Product.objects.filter(Exists(own.filter(decision_date__range=(start, end))),
                                  ~Exists(own.filter(decision_date__lt=start)))


def first_recognition_basis(period: Period) -> QuerySet[Evaluation]:
    """A product's recognitions, earliest first: the first is the one that made it new."""
    return recognitions().order_by("decision_date", "pk")


def traceability_basis(period: Period) -> QuerySet[Traceability]:
    """Traceability in place at some time in the period."""
    return Traceability.objects.filter(overlaps("started_on", "ended_on", *period.span)).order_by(
        "started_on", "pk")


def advanced_qm_basis(period: Period) -> QuerySet[QualityCertification]:
    """Advanced quality-management certifications valid at some time in the period."""
    return QualityCertification.objects.filter(
        overlaps("issued_on", "expires_on", *period.span),
        standard__in=ADVANCED_QM_STANDARDS).order_by("issued_on", "pk")


def rank(period: Period) -> Subquery:
    """The stars of a product's latest certificate in force in the period."""
    return Subquery(Certificate.objects.valid_during(*period.span).filter(product=OuterRef("pk"))
                    .order_by("-valid_from", "-pk").values("evaluation__stars")[:1])


def top_group():
    """A product's top-level group: its group's parent, or the group itself."""
    return Coalesce("group__parent_id", "group_id")


def _latest_certificate(day: dt.date) -> QuerySet[Certificate]:
    return Certificate.objects.filter(product=OuterRef("pk"), valid_from__lte=day).order_by(
        "-valid_from", "-pk")


def _with_latest_certificate(day: dt.date) -> QuerySet[Product]:
    """Products with the end dates of the latest certificate they had been granted by `day`:
    the radar reads the certificate as it stood that day, not the current one."""
    latest = _latest_certificate(day)
    return Product.objects.alias(
        lapses_on=Subquery(latest.values("valid_to")[:1]),
        cut_on=Subquery(latest.values("ended_on")[:1]),
    ).filter(Q(cut_on__isnull=True) | Q(cut_on__gt=day))


def with_certificate_on(products: QuerySet[Product], day: dt.date) -> QuerySet[Product]:
    """`products` with the number, stars and end of the latest certificate each had been
    granted by `day` (`certificate_number`, `certificate_stars`, `certificate_valid_to`)."""
    latest = _latest_certificate(day)
    return products.annotate(
        certificate_number=Subquery(latest.values("number")[:1]),
        certificate_stars=Subquery(latest.values("evaluation__stars")[:1]),
        certificate_valid_to=Subquery(latest.values("valid_to")[:1]),
    )


def expiring_within(days: int):
    """The rule "in force on the as-of day and lapsing within `days` days of it"."""

    def records(period: Period) -> QuerySet[Product]:
        day = period.as_of
        return _with_latest_certificate(day).filter(  # type: ignore[misc]  # an alias
            lapses_on__range=(day, day + dt.timedelta(days=days)))

    return records


def expired(period: Period) -> QuerySet[Product]:
    """Products whose latest certificate by the as-of day had run out by then, without a
    revocation or a newer recognition (a revoked certificate is off the radar)."""
    return _with_latest_certificate(period.as_of).filter(  # type: ignore[misc]  # an alias
        lapses_on__lt=period.as_of)


# Producers

def consolidated(period: Period) -> QuerySet[Subject]:
    """Producers with a product recognised before the year (the base the basis narrows)."""
    recognised_before = recognitions().filter(product__subject=OuterRef("pk"),
                                              decision_date__lt=dt.date(period.year, 1, 1))
    return Subject.objects.filter(Exists(recognised_before))


def consolidation_basis(period: Period) -> QuerySet[SupportRecord]:
    """Consolidation support (củng cố, mở rộng quy mô sản xuất) dated in the period."""
    return SupportRecord.objects.filter(kind=SupportRecord.Kind.CONSOLIDATION,
                                        date__range=period.span).order_by("date", "pk")


def new_in_programme(period: Period) -> QuerySet[Subject]:
    """Producers whose first year in the programme is the year (it carries no date within the
    year, so they count from its first day)."""
    if period.before_start:
        return Subject.objects.none()
    return Subject.objects.filter(first_year_in_programme=period.year)


def products_basis(period: Period) -> QuerySet[Product]:
    """A producer's products: plan 180 counts new producers "có sản phẩm tham gia"."""
    return Product.objects.order_by(vietnamese("name"), "pk")


def linkage_basis(period: Period) -> QuerySet[Linkage]:
    """Linkage contracts in force at some time in the period."""
    return Linkage.objects.filter(overlaps("valid_from", "valid_to", *period.span)).order_by(
        "valid_from", "pk")


def every_subject(period: Period) -> QuerySet[Subject]:
    return Subject.objects.all()


# Media

def media_items(period: Period) -> QuerySet[MediaItem]:
    """Items published in the year up to the as-of day, days and months those of
    Asia/Ho_Chi_Minh (the current time zone): 23:30 on 31/05 local time is May."""
    items = MediaItem.objects.filter(published_at__year=period.year)
    if period.as_of < dt.date(period.year, 12, 31):
        items = items.filter(published_at__date__lte=period.as_of)
    return items
