"""The counting rules: for a period (a year counted up to an as-of day), the records each rule
counts and, where the appendix shows it, the related rows that made each record count.

A rule is written once here. The registry (targets.indicators.registry) names which rule makes
which indicator; the engine, the appendices, the monthly report, the drill-through lists and the
media calendar all take their records from it.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from communications.models import MediaItem
from ocop_portal.collation import vietnamese
from ocop_portal.domain import RECOGNITION_MIN_STARS, overlaps, year_span
from ocop_portal.review import counted, including_pending_now, pending_change_ids
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
    return counted(Evaluation.objects.filter(stars__gte=RECOGNITION_MIN_STARS,
                                             product__archived_at__isnull=True))


# Products

def recognised(period: Period) -> QuerySet[Product]:
    """Products holding a certificate in force at some time in the period."""
    in_force = counted(Certificate.objects.valid_during(*period.span)).filter(
        product=OuterRef("pk"))
    return Product.objects.filter(Exists(in_force))


def first_recognition_dates() -> QuerySet[Any]:
    """Each recognised product's first recognition day (`product_id`, `first_on`): one grouped
    aggregate over the evaluations, which the database computes once for all products rather
    than probing each product's evaluations (in the year, and before it) one product at a
    time."""
    return (recognitions().values("product_id").annotate(first_on=Min("decision_date"))
            .order_by())


def first_recognised_in(product: Any, year: Any) -> Q:
    """The condition "the product's first recognition is dated in the year", for a query of
    products in use that has the product and the year as expressions (the forecast's
    participations: their product and cycle year): a recognition in that year and none in a
    year before. (The query has left archived products out already, so the recognitions are
    not joined to their product again.)"""
    own = counted(Evaluation.objects.filter(stars__gte=RECOGNITION_MIN_STARS, product=product))
    return (Q(Exists(own.filter(decision_date__year=year)))
            & ~Q(Exists(own.filter(decision_date__year__lt=year))))


def first_recognised(period: Period) -> QuerySet[Product]:
    """Products whose first recognition (3 stars or more) is dated in the period: the earliest
    is in the period, so there is one in it and none before it."""
    firsts = first_recognition_dates().filter(Q(first_on__range=period.span))
    return Product.objects.filter(pk__in=firsts.values("product_id"))


def first_recognition_basis(period: Period) -> QuerySet[Evaluation]:
    """A product's recognitions, earliest first: the first is the one that made it new."""
    return recognitions().order_by("decision_date", "pk")


def traceability_basis(period: Period) -> QuerySet[Traceability]:
    """Traceability in place at some time in the period."""
    return counted(Traceability.objects.filter(
        overlaps("started_on", "ended_on", *period.span))).order_by("started_on", "pk")


def advanced_qm_basis(period: Period) -> QuerySet[QualityCertification]:
    """Advanced quality-management certifications valid at some time in the period."""
    return counted(QualityCertification.objects.filter(
        overlaps("issued_on", "expires_on", *period.span),
        standard__in=ADVANCED_QM_STANDARDS)).order_by("issued_on", "pk")


def _latest_window(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """`certificates` narrowed to each product's latest (by validity start, then the later
    record) by one window function. Only read it (values, non-window annotations made
    before): a further filter would go inside the window and change which comes first."""
    return certificates.annotate(latest=Window(
        RowNumber(), partition_by=F("product_id"),
        order_by=[F("valid_from").desc(), F("pk").desc()])).filter(latest=1)


def latest_of(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Each product's latest certificate among `certificates`: one window function over them.
    A correlated subquery per product did the same row by row, and at national scale its
    planner cost set off PostgreSQL's JIT compilation, which alone took most of the dashboard's
    time. Filters added to the result narrow the chosen certificates (`pk__in` keeps them out
    of the window)."""
    return Certificate.objects.filter(pk__in=_latest_window(certificates).values("pk"))


def latest_values(certificates: QuerySet[Certificate], **columns: Any) -> QuerySet[Any]:
    """Each product's latest certificate among `certificates`, as rows of `columns` (names to
    expressions, computed on that certificate) for `targets.indicators.grouped_counts`. Filters
    on the product (in use, its district) may be in `certificates`: they keep or drop all of a
    product's certificates alike, so the latest stays the latest."""
    return _latest_window(certificates.annotate(**columns)).values(*columns)


def _in_force(period: Period) -> QuerySet[Certificate]:
    return counted(Certificate.objects.valid_during(*period.span)).filter(
        product__archived_at__isnull=True)


def ranking_certificates(period: Period) -> QuerySet[Certificate]:
    """The certificate that ranks each product in use recognised in the period: its latest in
    force in the period, whose stars are the product's stars for the year. One a product, so
    `rules.recognised(period)` has exactly as many products as this has certificates."""
    return latest_of(_in_force(period))


def ranking_values(period: Period, district_id: int | None = None) -> QuerySet[Any]:
    """The ranking certificates as rows (`district_id`, `stars`), one a recognised product,
    in one district when `district_id` is given."""
    certificates = _in_force(period)
    if district_id is not None:
        certificates = certificates.filter(product__district_id=district_id)
    return latest_values(certificates, district_id=F("product__district_id"),
                         stars=F("evaluation__stars"))


def with_stars(period: Period, stars: int) -> QuerySet[Product]:
    """Products recognised in the period whose ranking certificate came with `stars` stars."""
    ranking = ranking_certificates(period).filter(evaluation__stars=stars)
    return Product.objects.filter(pk__in=ranking.values("product_id"))


def top_group():
    """A product's top-level group: its group's parent, or the group itself."""
    return Coalesce("group__parent_id", "group_id")


def _latest_certificate(day: dt.date) -> QuerySet[Certificate]:
    return counted(Certificate.objects.filter(product=OuterRef("pk"),
                                              valid_from__lte=day)).order_by("-valid_from", "-pk")


def on_radar(day: dt.date, days: int | None) -> Q:
    """The radar's rule for a product's latest certificate granted by `day`: not cut by then
    (a revocation or a newer recognition takes it off the radar), and lapsed before `day`
    (`days` None: expired) or lapsing within `days` days of it. The radar reads the certificate
    as it stood that day, not the current one."""
    lapse = (Q(valid_to__lt=day) if days is None
             else Q(valid_to__range=(day, day + dt.timedelta(days=days))))
    return (Q(ended_on__isnull=True) | Q(ended_on__gt=day)) & lapse


def latest_granted_by(day: dt.date) -> QuerySet[Certificate]:
    """Each product's latest certificate granted by `day` (by validity start, then the later
    record): granted by then, with none granted later. Written as "no newer one" rather than a
    window over every certificate, so that a narrow radar (30 days) reads only the few
    certificates lapsing in it before checking that each is its product's latest."""
    granted = counted(Certificate.objects.filter(valid_from__lte=day))
    newer = granted.filter(product=OuterRef("product")).filter(
        Q(valid_from__gt=OuterRef("valid_from"))
        | Q(valid_from=OuterRef("valid_from"), pk__gt=OuterRef("pk")))
    return granted.filter(~Exists(newer))


def on_radar_products(day: dt.date, days: int | None) -> QuerySet[Product]:
    """Products in use whose latest certificate by `day` is on the radar (`on_radar`)."""
    flagged = latest_granted_by(day).filter(on_radar(day, days))
    return Product.objects.filter(pk__in=flagged.values("product_id"))


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
        return on_radar_products(period.as_of, days)

    return records


def expired(period: Period) -> QuerySet[Product]:
    """Products whose latest certificate by the as-of day had run out by then, without a
    revocation or a newer recognition (a revoked certificate is off the radar)."""
    return on_radar_products(period.as_of, None)


# Producers

def consolidated(period: Period) -> QuerySet[Subject]:
    """Producers with a product recognised before the year (the base the basis narrows)."""
    recognised_before = recognitions().filter(product__subject=OuterRef("pk"),
                                              decision_date__lt=dt.date(period.year, 1, 1))
    return Subject.objects.filter(Exists(recognised_before))


def consolidation_basis(period: Period) -> QuerySet[SupportRecord]:
    """Consolidation support (củng cố, mở rộng quy mô sản xuất) dated in the period."""
    return counted(SupportRecord.objects.filter(kind=SupportRecord.Kind.CONSOLIDATION,
                                                date__range=period.span)).order_by("date", "pk")


def new_in_programme(period: Period) -> QuerySet[Subject]:
    """Producers whose first year in the programme is the year (it carries no date within the
    year, so they count from its first day)."""
    if period.before_start:
        return Subject.objects.none()
    confirmed = Q(first_year_in_programme=period.year)
    if including_pending_now():
        # A first year awaiting review is the producer's first year once confirmed.
        return Subject.objects.filter(confirmed | Q(pk__in=pending_change_ids(
            "subject_first_year", first_year_in_programme=period.year)))
    return Subject.objects.filter(confirmed)


def products_basis(period: Period) -> QuerySet[Product]:
    """A producer's products: plan 180 counts new producers "có sản phẩm tham gia"."""
    return Product.objects.order_by(vietnamese("name"), "pk")


def linkage_basis(period: Period) -> QuerySet[Linkage]:
    """Linkage contracts in force at some time in the period."""
    return counted(Linkage.objects.filter(
        overlaps("valid_from", "valid_to", *period.span))).order_by("valid_from", "pk")


def every_subject(period: Period) -> QuerySet[Subject]:
    return Subject.objects.all()


# Media

def media_items(period: Period) -> QuerySet[MediaItem]:
    """Items published in the year up to the as-of day, days and months those of
    Asia/Ho_Chi_Minh (the current time zone): 23:30 on 31/05 local time is May."""
    items = counted(MediaItem.objects.filter(published_at__year=period.year))
    if period.as_of < dt.date(period.year, 12, 31):
        items = items.filter(published_at__date__lte=period.as_of)
    return items
