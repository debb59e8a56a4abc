"""Reads of the product registry. The district filter lives here: the lookup is the check."""

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, F, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from simple_history.models import DeletedObject

from ocop_portal import review, units
from ocop_portal.permissions import can_view_district, scope_to_user
from products import completeness, rules
from products.models import (
    OPEN_STAGES,
    STAGE_DATE_FIELDS,
    Certificate,
    CertificateStatus,
    CycleOutcome,
    CycleParticipation,
    CycleStage,
    Evaluation,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)

NO_CERTIFICATE = "none"


# What a product's list row and page show, read with the product in one query.
PRODUCT_SHOWN_WITH = ("subject", "district", "commune", "group", "group__parent",
                      "current_certificate", "current_certificate__evaluation")


# A list page joins what differs row by row and reads the small reference tables of its 50 rows
# apart: PostgreSQL spent 8 ms planning the eight-table join of a page it ran in 1 ms, against
# 0.3 ms for four tables (the joins' orders to weigh grow with every table).
LIST_JOINS = ("subject", "current_certificate", "current_certificate__evaluation")


def product_list_for_user(user, *, archived: bool = False) -> QuerySet:
    """Products the user may see, with what a list row shows, in a fixed number of queries;
    with `archived`, the archived ones instead of those in use."""
    return scope_to_user(Product.listed(archived=archived), user).select_related(
        *LIST_JOINS).prefetch_related(
            "district", "commune", Prefetch("group", queryset=ProductGroup.objects.select_related(
                "parent")))


def product_get_for_user(user, pk) -> Product:
    """One product the user may see, archived or not, or 404."""
    products = scope_to_user(Product.all_objects.all(), user).select_related(
        *PRODUCT_SHOWN_WITH, "commune__district", "commune__province")  # the unit's place name
    return get_object_or_404(products, pk=pk)


def product_detail(product: Product, user) -> dict:
    """What the product page shows beside the product: history, certificates, standards, ...;
    the producer's linkages only when the user may see the producer's district."""
    evaluations = list(
        product.evaluations.select_related("certificate", "created_by")
        .order_by("-decision_date", "-cycle_year", "-pk")
    )
    for evaluation in evaluations:
        warning = rules.level_warning(evaluation.stars, evaluation.level,
                                     evaluation.criteria_version)
        evaluation.level_warning = warning  # type: ignore[attr-defined]
    subject = product.subject
    certificates = list(product.certificates.select_related("evaluation", "superseded_by")
                        .order_by("-valid_from", "-pk"))
    quality_certifications = list(product.quality_certifications.all())
    traceability_records = list(product.traceability_records.all())
    # What awaits the province's review, for the badges and the notice (one query).
    pending_changes = review.annotate_records(
        [product, *evaluations, *certificates, *quality_certifications, *traceability_records])
    return {
        "evaluations": evaluations,
        "certificates": certificates,
        "quality_certifications": quality_certifications,
        "traceability_records": traceability_records,
        "pending_changes": pending_changes,
        "subject_visible": can_view_district(user, subject.district_id),
        "linkages": (list(subject.linkages.all())
                     if can_view_district(user, subject.district_id) else []),
        "participations": list(product.participations.select_related("evaluation")
                               .order_by("-cycle_year", "-pk")),
        "history": product_history(product, user=user),
        # its commune's full name with the units before and after it (one query)
        "commune_text": units.unit_with_history(product.commune),
        "dossier": completeness.product_dossier(product),
    }


def product_history(product: Product, limit: int = 50, *, user=None) -> list[dict]:
    """The product's and its evaluations' changes, newest first: who, when, what. A record of
    another district than `user` may see (a producer it was once attached to) is not named."""
    entries = []
    records = list(product.history.select_related("history_user")
                   .order_by("-history_date")[:limit])
    for newer, older in zip(records, [*records[1:], None], strict=False):
        entry = _history_entry(newer, older, "sản phẩm", user)
        # Changes to derived fields only (the current certificate) are not worth a line.
        if entry["changes"] or newer.history_type != "~":
            entries.append(entry)
    evaluation_records = list(
        Evaluation.history.filter(product_id=product.pk).select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    for record in evaluation_records:
        label = f"đánh giá {record.stars} sao"
        if record.decision_number:
            label += f", quyết định {record.decision_number}"
        entries.append(_history_entry(record, None, label, user))
    participation_records = list(
        CycleParticipation.history.filter(product_id=product.pk).select_related("history_user")
        .order_by("id", "history_date", "history_id")[:limit * 4])
    previous: dict[int, object] = {}
    for record in participation_records:
        older = previous.get(record.id)
        entries.append(_history_entry(record, older, f"tham gia chu trình {record.cycle_year}",
                                      user))
        previous[record.id] = record
    entries.sort(key=lambda entry: (entry["when"], entry["order"]), reverse=True)
    return entries[:limit]


_HISTORY_TYPES = {"+": "Tạo mới", "~": "Sửa", "-": "Xoá"}


def _history_entry(record, previous, what: str, user=None) -> dict:
    changes = []
    if previous is not None and record.history_type == "~":
        delta = record.diff_against(previous, foreign_keys_are_objs=True)
        for change in delta.changes:
            field = record.instance_type._meta.get_field(change.field)
            old, new = _display(field, change.old, user), _display(field, change.new, user)
            changes.append(f"{field.verbose_name}: {old} → {new}")
    return {
        "when": record.history_date,
        "who": record.history_user,
        "action": _HISTORY_TYPES.get(record.history_type, record.history_type),
        "what": what,
        "changes": changes,
        "reason": record.history_change_reason or "",
        "order": record.history_id,
    }


def _display(field, value, user=None) -> str:
    district_id = getattr(value, "district_id", None)
    if district_id is not None and user is not None and not can_view_district(user, district_id):
        return f"một {value._meta.verbose_name.lower()} ngoài phạm vi xem"
    if isinstance(value, DeletedObject):
        # A related record since deleted (or none): the history keeps only its id.
        return "(trống)" if value.pk is None else f"({value.model._meta.verbose_name} đã xoá)"
    if value in (None, ""):
        return "(trống)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def filter_certificate_status(queryset: QuerySet, status: str, today: dt.date | None = None):
    """Products whose current certificate has `status` today ('none': never recognised)."""
    if status == NO_CERTIFICATE:
        return queryset.filter(current_certificate__isnull=True)
    certificates = Certificate.objects.with_status(status, today)
    return queryset.filter(current_certificate__in=certificates)


def filter_expiring_within(queryset: QuerySet, days: int, today: dt.date | None = None):
    """Products whose current certificate is in force and expires within `days` days."""
    today = today or timezone.localdate()
    certificates = Certificate.objects.with_status(CertificateStatus.ACTIVE, today).filter(
        valid_to__lte=today + dt.timedelta(days=days))
    return queryset.filter(current_certificate__in=certificates)


def filter_group(queryset: QuerySet, group: ProductGroup):
    """Products of a group or of any of its subgroups."""
    return queryset.filter(Q(group=group) | Q(group__parent=group))


def filter_standard(queryset: QuerySet, standard: str):
    return queryset.filter(pk__in=QualityCertification.objects.filter(standard=standard)
                           .values("product_id"))


def filter_traceability(queryset: QuerySet, present: bool, today: dt.date | None = None):
    """Products with (or without) traceability in place today."""
    today = today or timezone.localdate()
    in_place = Traceability.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)).values("product_id")
    return queryset.filter(pk__in=in_place) if present else queryset.exclude(pk__in=in_place)


def filter_cycle_year(queryset: QuerySet, year: int):
    """Products taking part in the cycle of `year`: joined it then, or evaluated in it."""
    evaluated = Evaluation.objects.filter(cycle_year=year).values("product_id")
    return queryset.filter(Q(first_cycle_year=year) | Q(pk__in=evaluated))


def filter_stars(queryset: QuerySet, stars: int):
    """Products whose current certificate was granted with `stars` stars."""
    return queryset.filter(current_certificate__evaluation__stars=stars)


def participations_on(day: dt.date) -> QuerySet[Any]:
    """Cycle participations registered by `day`, each annotated with its `position` on that day:
    how it ended when it had ended by then (an outcome), else the furthest stage it had reached.
    The pipeline counts and the product list's `?stage=` both read this one rule."""
    whens = [When(ended_on__lte=day, then=F("outcome"))]
    whens += [When(**{f"{STAGE_DATE_FIELDS[stage]}__lte": day}, then=Value(stage.value))
              for stage in reversed(OPEN_STAGES)]
    # An archived product has left the pipeline as it has left every count.
    in_use = CycleParticipation.objects.filter(product__archived_at__isnull=True)
    return in_use.filter(registered_on__lte=day).annotate(
        position=Case(*whens, default=Value(CycleStage.REGISTERED.value),
                      output_field=CharField()))


def filter_cycle(queryset: QuerySet, *, cycle_year: int | None, position: str | None,
                 kind: str | None = None, day: dt.date | None = None) -> QuerySet:
    """Products taking part in the cycle of `cycle_year` (any cycle when None), as `kind` (new,
    upgrade, re-evaluation) when given, whose position on `day` is `position` (an open stage,
    an outcome, or "dang_tham_gia": any open stage), all in one participation."""
    participations = participations_on(day or timezone.localdate())
    if cycle_year is not None:
        participations = participations.filter(cycle_year=cycle_year)
    if kind:
        participations = participations.filter(kind=kind)
    if position == CycleOutcome.OPEN:
        participations = participations.filter(position__in=[s.value for s in OPEN_STAGES])
    elif position:
        participations = participations.filter(position=position)
    return queryset.filter(pk__in=participations.values("product_id"))
