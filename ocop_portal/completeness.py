"""The machinery of the dossiers' completeness (hồ sơ đầy đủ), shared by products and producers:
a dossier is a list of items, each with when it applies and when it is present, written as SQL
conditions on the record's row, so that a list shows, filters and sorts by each row's score in
its one query, and a dashboard averages it in another. The items themselves are the apps'
(products.completeness, subjects.completeness).

The score is the items present over the items that apply, as a whole percent rounded down, so that
100% means nothing is missing and 99.6% is not shown as complete.
"""

from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce

COMPLETE = 100
# The lists' filter `?complete=0|1`.
COMPLETE_CHOICES = [("0", "Chưa đầy đủ"), ("1", "Đầy đủ")]


@dataclass(frozen=True)
class DossierItem:
    """One item of a dossier: its key, its label, when it applies (None: always) and when it is
    present, as conditions on the record's row."""

    key: str
    label: str
    applies: Q | Exists | None
    present: Q | Exists

    @property
    def annotation(self) -> str:
        return f"dossier_{self.key}"

    def flag(self) -> BaseExpression:
        """1 when present, 0 when missing, NULL when the item does not apply."""
        whens = [] if self.applies is None else [When(~self.applies, then=Value(None))]
        return Case(*whens, When(self.present, then=Value(1)), default=Value(0),
                    output_field=IntegerField())


@dataclass(frozen=True)
class DossierLine:
    label: str
    present: bool


@dataclass(frozen=True)
class Dossier:
    """A record's dossier as its annotations say: the items that apply, and the score."""

    lines: list[DossierLine]
    score: int

    @property
    def missing(self) -> list[str]:
        return [line.label for line in self.lines if not line.present]

    @property
    def complete(self) -> bool:
        return self.score == COMPLETE


def annotate(queryset: QuerySet, items: tuple[DossierItem, ...]) -> QuerySet:
    """`queryset` with each item's flag (`dossier_<key>`: 1, 0 or None) and `completeness`, the
    whole percent rounded down; the items that always apply keep the divisor above zero."""
    flags = {item.annotation: item.flag() for item in items}
    present: BaseExpression = Value(0)
    applicable: BaseExpression = Value(0)
    for name in flags:
        present = present + Coalesce(F(name), Value(0), output_field=IntegerField())
        applicable = applicable + Case(When(**{f"{name}__isnull": True}, then=Value(0)),
                                       default=Value(1), output_field=IntegerField())
    # Integers divided by integers: the database rounds down.
    return queryset.annotate(**flags).annotate(
        completeness=Value(COMPLETE) * present / applicable)


def dossier_of(record, items: tuple[DossierItem, ...]) -> Dossier:
    """The dossier of a record read through `annotate(...)`."""
    lines = [DossierLine(item.label, bool(getattr(record, item.annotation)))
             for item in items if getattr(record, item.annotation) is not None]
    return Dossier(lines=lines, score=record.completeness)


def filter_complete(queryset: QuerySet, complete: bool) -> QuerySet:
    """Records of an annotated `queryset` whose dossier is (or is not) complete."""
    if complete:
        return queryset.filter(completeness=COMPLETE)
    return queryset.filter(completeness__lt=COMPLETE)
