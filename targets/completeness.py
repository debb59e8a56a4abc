"""The dossiers' completeness on the dashboards: for each district, the average score of its
products' and its producers' dossiers (products.completeness, subjects.completeness), with the
link to the list of its records still incomplete.

Rules, as the province's office reads them:
- The records counted are those in use (not archived), today: a dossier is as complete as it is
  now, whatever year the dashboard shows (as the expiry radar).
- A product is counted in the district of its production, a producer in that of its address (the
  portal's rule for every figure). Like the other figures of the dashboards, these are the
  province's, the same for every user; the list a number opens is the user's own scope.
- The average is the mean of the records' scores (each a whole percent, as the lists show it),
  rounded down, so that 100% means every record of the district is complete. A district without
  records has no average ("–").
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse

from ocop_portal.completeness import COMPLETE
from ocop_portal.figures_cache import cached
from ocop_portal.models import District
from products import completeness as product_completeness
from products.models import Product
from subjects import completeness as subject_completeness
from subjects.models import Subject

# Raised when the cached figures' classes change (see targets.dashboard.FIGURES_SHAPE).
COMPLETENESS_SHAPE = 1


@dataclass(frozen=True)
class Tally:
    """The dossiers of some records: how many, their scores' sum, how many are incomplete."""

    records: int = 0
    score_total: int = 0
    incomplete: int = 0

    @property
    def average(self) -> int | None:
        return self.score_total // self.records if self.records else None

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.records + other.records, self.score_total + other.score_total,
                     self.incomplete + other.incomplete)


@dataclass(frozen=True)
class Tallies:
    """Tallies by district id; `total` over the province (records of any district)."""

    by_district: dict[int, Tally] = field(default_factory=dict)

    def of(self, district_id: int) -> Tally:
        return self.by_district.get(district_id, Tally())

    @property
    def total(self) -> Tally:
        return sum(self.by_district.values(), Tally())


def _tallies(annotated: QuerySet, district_id: int | None) -> Tallies:
    if district_id is not None:
        annotated = annotated.filter(district_id=district_id)
    rows = (annotated.order_by().values("district_id")
            .annotate(records=Count("pk"), score_total=Sum("completeness"),
                      incomplete=Count("pk", filter=Q(completeness__lt=COMPLETE))))
    return Tallies({row["district_id"]: Tally(row["records"], row["score_total"] or 0,
                                              row["incomplete"]) for row in rows})


def completeness_tallies(district_id: int | None = None) -> dict[str, Tallies]:
    """The products' and the producers' tallies by district (two queries), for one district
    when `district_id` is given."""
    return {
        "products": _tallies(product_completeness.with_completeness(Product.listed()),
                             district_id),
        "subjects": _tallies(subject_completeness.with_completeness(Subject.listed()),
                             district_id),
    }


def incomplete_url(kind: str, district_code: str | None = None) -> str:
    """The list of the incomplete records of a district (of the user's scope without one)."""
    params = {"district": district_code} if district_code else {}
    return f"{reverse(f'{kind}:list')}?{urlencode({**params, 'complete': '0'})}"


def _cells(tallies: dict[str, Tally], district: District | None) -> list[dict]:
    return [{"kind": kind, "tally": tally, "average": tally.average,
             "url": incomplete_url(kind, district.code if district else None)}
            for kind, tally in tallies.items()]


def completeness_context(*, year: int, today: dt.date, districts: list[District],
                         district: District | None) -> dict:
    """The dashboard's completeness table: a row per district on the province's page, the
    district's figures on its own; the tallies go through the figures cache."""
    tallies = cached(f"completeness:{COMPLETENESS_SHAPE}",
                     lambda: completeness_tallies(district.pk if district else None),
                     year=year, today=today, district_code=district.code if district else None)
    products, subjects = tallies["products"], tallies["subjects"]
    shown = [district] if district else districts
    return {
        "rows": [{"district": d, "cells": _cells({"products": products.of(d.pk),
                                                  "subjects": subjects.of(d.pk)}, d)}
                 for d in shown],
        "total": (None if district else _cells({"products": products.total,
                                                "subjects": subjects.total}, None)),
        "today": today,
    }
