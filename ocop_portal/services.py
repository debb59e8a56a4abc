"""Writes of shared reference data."""

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ocop_portal.models import Commune, District, Province, UnitKind

ADMIN_UNITS_CSV = Path(__file__).resolve().parent / "data" / "backan-admin-units-2024.csv"
# The layout of Nghị quyết 855/NQ-UBTVQH14 (effective 01/02/2020) lasted until the district level
# was abolished on 01/07/2025.
LAYOUT_VALID_FROM = dt.date(2020, 2, 1)
LAYOUT_VALID_TO = dt.date(2025, 6, 30)

_KIND_BY_LABEL = {label: value for value, label in UnitKind.choices}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: "LoadResult"):
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    def __str__(self):
        return f"{self.created} tạo mới, {self.updated} cập nhật, {self.unchanged} không đổi"


def upsert(model, lookup: dict, values: dict, result: LoadResult):
    """Create the row or bring it to `values`; a row already equal is left untouched."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


@transaction.atomic
def administrative_units_load(path: Path = ADMIN_UNITS_CSV) -> LoadResult:
    """Load province 06, its 8 districts and 108 communes from the reference CSV."""
    result = LoadResult()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    validity = {"valid_from": LAYOUT_VALID_FROM, "valid_to": LAYOUT_VALID_TO}
    parents = {}
    for level, model, parent_field in (
        ("province", Province, None),
        ("district", District, "province"),
        ("commune", Commune, "district"),
    ):
        for row in (r for r in rows if r["level"] == level):
            values = {"name": row["name"], "kind": _KIND_BY_LABEL[row["kind"]], **validity}
            if parent_field:
                values[parent_field] = parents[row["parent_code"]]
            parents[row["code"]] = upsert(model, {"code": row["code"]}, values, result)
    return result
