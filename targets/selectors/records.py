"""Counting rules: for each code, the queryset of the records it counts (DESIGN.md §4).

Codes of `indicator_records`:
- the seven indicators: `new_products_3star`, `consolidated_subjects`, `new_subjects`,
  `traceability_products`, `linkage_subjects`, `advanced_qm_products` (products or subjects
  counted in the year), `media_items_monthly` (media items published in the year);
- `month:<m>`: media items published in month m (1-12) of the year;
- `recognised`: products recognised in the year (an OCOP certificate in force at some time in it);
- `stars:<n>` (3, 4, 5): recognised products whose latest certificate in force in the year came
  with n stars;
- `group:<pk>`: recognised products of the top-level product group pk (or one of its subgroups);
- `expired`, `expiring_30`, `expiring_90`: products whose current certificate has expired, or
  expires within 30 or 90 days (90 includes 30), counted on `today` whatever the year.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communications.models import MediaItem
from ocop_portal.models import District
from products.models import (
    ADVANCED_QM_STANDARDS,
    Certificate,
    CertificateStatus,
    Evaluation,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)
from subjects.models import Linkage, Subject, SupportRecord
from targets.models import Indicator

PRODUCT, SUBJECT, MEDIA = "product", "subject", "media"
MEDIA_CODE = "media_items_monthly"
RECOGNISED_STARS = (3, 4, 5)
EXPIRY_WINDOWS = {"expiring_30": 30, "expiring_90": 90}
LIST_URLS = {PRODUCT: "/products/", SUBJECT: "/subjects/", MEDIA: "/communications/"}
RECORD_LABELS = {
    "recognised": "Sản phẩm OCOP có giấy chứng nhận còn hiệu lực trong năm",
    "expired": "Sản phẩm có giấy chứng nhận OCOP đã hết hạn",
    "expiring_30": "Sản phẩm có giấy chứng nhận OCOP hết hạn trong 30 ngày tới",
    "expiring_90": "Sản phẩm có giấy chứng nhận OCOP hết hạn trong 90 ngày tới",
}


class UnknownIndicator(ValueError):
    """A code that names no indicator or breakdown of the engine."""


def year_span(year: int, until: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days of `year` counted: all of them, or those up to `until` (a monthly report counts
    the year to its month's end, not what was recorded for later months)."""
    end = dt.date(year, 12, 31)
    return dt.date(year, 1, 1), min(end, until) if until else end


# Counting rules, one function per indicator: the records of the whole province for the year.

def _first_recognised_in(year: int, until: dt.date | None = None) -> QuerySet:
    start, end = year_span(year, until)
    first_recognition = (Evaluation.objects.filter(product=OuterRef("pk"), stars__gte=3)
                         .order_by("decision_date", "pk").values("decision_date")[:1])
    return (Product.objects.alias(first_recognised_on=Subquery(first_recognition))
            .filter(first_recognised_on__range=(start, end)))


def recognised_in(year: int, until: dt.date | None = None) -> QuerySet:
    start, end = year_span(year, until)
    in_force = Certificate.objects.valid_during(start, end).filter(product=OuterRef("pk"))
    return Product.objects.filter(Exists(in_force))


def _consolidated_in(year: int, until: dt.date | None = None) -> QuerySet:
    start, end = year_span(year, until)
    recognised_before = Evaluation.objects.filter(product__subject=OuterRef("pk"), stars__gte=3,
                                                  decision_date__lt=start)
    consolidation = SupportRecord.objects.filter(
        subject=OuterRef("pk"), kind=SupportRecord.Kind.CONSOLIDATION, date__range=(start, end))
    return Subject.objects.filter(Exists(recognised_before), Exists(consolidation))


def _new_subjects_in(year: int, until: dt.date | None = None) -> QuerySet:
    # A subject's first year carries no date within the year: it counts from the year's start.
    return Subject.objects.filter(first_year_in_programme=year)


def _traceable_in(year: int, until: dt.date | None = None) -> QuerySet:
    start, end = year_span(year, until)
    in_place = Traceability.objects.filter(product=OuterRef("pk"), started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    return recognised_in(year, until).filter(Exists(in_place))


def _linked_in(year: int, until: dt.date | None = None) -> QuerySet:
    start, end = year_span(year, until)
    in_force = Linkage.objects.filter(subject=OuterRef("pk"), valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    return Subject.objects.filter(Exists(in_force))


def _advanced_qm_in(year: int, until: dt.date | None = None) -> QuerySet:
    start, end = year_span(year, until)
    certified = QualityCertification.objects.filter(
        product=OuterRef("pk"), standard__in=ADVANCED_QM_STANDARDS, issued_on__lte=end,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=start))
    return recognised_in(year, until).filter(Exists(certified))


def _media_in(year: int, month: int | None = None, until: dt.date | None = None) -> QuerySet:
    # Year and month in Asia/Ho_Chi_Minh, as communications.selectors.media_month_counts counts.
    items = MediaItem.objects.filter(published_at__year=year)
    if until and until < dt.date(year, 12, 31):
        items = items.filter(published_at__date__lte=until)
    return items.filter(published_at__month=month) if month else items


COUNTED: dict[str, tuple[str, Callable[[int, dt.date | None], QuerySet]]] = {
    "new_products_3star": (PRODUCT, _first_recognised_in),
    "consolidated_subjects": (SUBJECT, _consolidated_in),
    "new_subjects": (SUBJECT, _new_subjects_in),
    "traceability_products": (PRODUCT, _traceable_in),
    "linkage_subjects": (SUBJECT, _linked_in),
    "advanced_qm_products": (PRODUCT, _advanced_qm_in),
}
INDICATOR_CODES = (*COUNTED, MEDIA_CODE)


def rank_in(year: int, until: dt.date | None = None) -> Subquery:
    """The stars of a product's latest certificate in force in the year."""
    start, end = year_span(year, until)
    return Subquery(Certificate.objects.valid_during(start, end).filter(product=OuterRef("pk"))
                    .order_by("-valid_from", "-pk").values("evaluation__stars")[:1])


def top_group():
    return Coalesce("group__parent_id", "group_id")


def radar_q(code: str, today: dt.date) -> Q:
    """Products whose current certificate has expired on `today`, or expires within the window.
    Dates decide, as Certificate.status_on does: a revoked certificate is off the radar, and
    one that the daily check has not yet marked expired is expired all the same."""
    lapsing = Q(current_certificate__status__in=[CertificateStatus.ACTIVE,
                                                 CertificateStatus.EXPIRED])
    if code == "expired":
        return lapsing & Q(current_certificate__valid_to__lt=today)
    days = EXPIRY_WINDOWS[code]
    return lapsing & Q(current_certificate__valid_to__range=(
        today, today + dt.timedelta(days=days)))


def _parse_code(code: str) -> tuple[str, int | None]:
    name, _, argument = str(code).partition(":")
    if not argument:
        return name, None
    try:
        return name, int(argument)
    except ValueError:
        raise UnknownIndicator(code) from None


def indicator_record_kind(code: str) -> str:
    """What `indicator_records(code, ...)` lists: "product", "subject" or "media"."""
    name, argument = _parse_code(code)
    if name in COUNTED and argument is None:
        return COUNTED[name][0]
    if (name == MEDIA_CODE and argument is None) or (name == "month" and argument in range(1, 13)):
        return MEDIA
    if name in ("recognised", "expired", *EXPIRY_WINDOWS) and argument is None:
        return PRODUCT
    if (name == "stars" and argument in RECOGNISED_STARS) or (name == "group" and argument):
        return PRODUCT
    raise UnknownIndicator(code)


def _province_records(code: str, year: int, today: dt.date) -> QuerySet:
    indicator_record_kind(code)  # refuses unknown codes
    name, argument = _parse_code(code)
    # What is dated after `today` is not counted yet (nothing, on the real today).
    if name in COUNTED:
        return COUNTED[name][1](year, today)
    if name == MEDIA_CODE:
        return _media_in(year, until=today)
    if name == "month":
        return _media_in(year, argument, until=today)
    if name == "recognised":
        return recognised_in(year, today)
    if name == "stars":
        return recognised_in(year, today).alias(rank=rank_in(year, today)).filter(rank=argument)
    if name == "group":
        return recognised_in(year, today).alias(top_group=top_group()).filter(
            top_group=argument)
    return Product.objects.filter(radar_q(name, today))


def _district_filter(queryset: QuerySet, district) -> QuerySet:
    if district is None:
        return queryset
    if isinstance(district, District):
        return queryset.filter(district_id=district.pk)
    return queryset.filter(district__code=str(district))


def indicator_records(code: str, *, year: int, district=None,
                      today: dt.date | None = None) -> QuerySet:
    """The records behind the number of `code` for `year` (a District, a district code or None
    for the whole province): Product, Subject or MediaItem rows, each once."""
    today = today or timezone.localdate()
    return _district_filter(_province_records(code, year, today), district)


def indicator_records_url(code: str, *, year: int, district_code: str | None = None) -> str:
    """The list page that shows `indicator_records(code, ...)` (media: the list's own filters)."""
    kind = indicator_record_kind(code)
    name, argument = _parse_code(code)
    if kind == MEDIA:
        params = {"year": year, "month": argument} if name == "month" else {"year": year}
    else:
        params = {"indicator": code, "year": year}
    if district_code:
        params["district"] = district_code
    return f"{LIST_URLS[kind]}?{urlencode(params)}"


def counts_by_district(queryset: QuerySet) -> Counter:
    """How many rows of `queryset` each district has (by district id), in one query."""
    rows = queryset.values("district_id").annotate(n=Count("pk")).order_by()
    return Counter({row["district_id"]: row["n"] for row in rows})


def indicator_records_label(code: str, *, year: int, district=None) -> str:
    """What a list filtered by `code` shows, in words, for its heading."""
    indicator_record_kind(code)  # refuses unknown codes
    name, argument = _parse_code(code)
    if name in INDICATOR_CODES:
        indicator = Indicator.objects.filter(code=name).first()
        what = indicator.name if indicator else name
    elif name == "month":
        what = f"Tin, bài đăng trong tháng {argument}"
    elif name == "stars":
        what = f"Sản phẩm OCOP {argument} sao"
    elif name == "group":
        group = ProductGroup.objects.filter(pk=argument).first()
        what = f"Sản phẩm OCOP nhóm {group.name if group else argument}"
    else:
        what = RECORD_LABELS[name]
    if name in EXPIRY_WINDOWS or name == "expired":
        label = f"{what} (tính đến hôm nay)"
    else:
        label = f"{what}, năm {year}" if name != "month" else f"{what}/{year}"
    if district is not None:
        unit = district if isinstance(district, District) else District.objects.filter(
            code=str(district)).first()
        label += f" – {unit.full_name if unit else district}"
    return label
