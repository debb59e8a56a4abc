"""Writes of shared reference data."""

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ocop_portal import units
from ocop_portal.models import (
    Commune,
    District,
    Province,
    SuccessionKind,
    UnitKind,
    UnitSuccession,
)

DATA = Path(__file__).resolve().parent / "data"
ADMIN_UNITS_CSV = DATA / "backan-admin-units-2024.csv"
DISTRICTS_HISTORY_CSV = DATA / "backan-districts-history.csv"
CHANGES_2020_CSV = DATA / "backan-communes-2020-changes.csv"
THAI_NGUYEN_2025_CSV = DATA / "thai-nguyen-2025-communes-from-backan.csv"
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


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def administrative_units_load(path: Path = ADMIN_UNITS_CSV) -> LoadResult:
    """Load the administrative units of Bắc Kạn as they were on each date, in three layers:
    the 2020-2025 layout (province 06, its 8 districts with the dates they existed, 108
    communes); the 26 communes that ceased on 01/02/2020 (Nghị quyết 855/NQ-UBTVQH14); and
    the 37 communes and wards of Thái Nguyên (province 19) formed from them on 01/07/2025
    (Nghị quyết 1683/NQ-UBTVQH15), each counted in the former district that gave most of its
    predecessors. The successions between them are records. A unit is found again by its
    code and the day its period ends, so a second run changes nothing and nothing is deleted.
    """
    result = LoadResult()
    rows = _rows(path)
    history = {row["code"]: row for row in _rows(DISTRICTS_HISTORY_CSV)}
    changes = _rows(CHANGES_2020_CSV)
    thai_nguyen = _rows(THAI_NGUYEN_2025_CSV)

    # The 2020-2025 layout: the province and its districts over the dates they existed.
    province_row = next(r for r in rows if r["level"] == "province")
    districts_start = min(dt.date.fromisoformat(r["valid_from"]) for r in history.values())
    bac_kan = upsert(Province, {"code": province_row["code"], "valid_to": units.DISTRICTS_END},
                     {"name": province_row["name"], "kind": UnitKind.PROVINCE,
                      "valid_from": districts_start}, result)
    districts = {}
    for row in (r for r in rows if r["level"] == "district"):
        span = history[row["code"]]
        districts[row["code"]] = upsert(
            District, {"code": row["code"], "valid_to": dt.date.fromisoformat(span["valid_to"])},
            {"name": row["name"], "kind": _KIND_BY_LABEL[row["kind"]], "province": bac_kan,
             "valid_from": dt.date.fromisoformat(span["valid_from"])}, result)

    # Its communes: those formed on 01/02/2020 begin then; the others (among them the three
    # that went on enlarged) had existed since their district did.
    formed_2020 = ({r["successor_code"] for r in changes}
                   - {r["successor_code"] for r in changes
                      if r["relation"] == "continues_enlarged"})
    layout = {}
    for row in (r for r in rows if r["level"] == "commune"):
        district = districts[row["parent_code"]]
        start = units.MERGER_2020 if row["code"] in formed_2020 else district.valid_from
        layout[row["code"]] = upsert(
            Commune, {"code": row["code"], "valid_to": units.DISTRICTS_END},
            {"name": row["name"], "kind": _KIND_BY_LABEL[row["kind"]], "district": district,
             "province": None, "valid_from": start}, result)

    # The communes that ceased on 01/02/2020, and what followed them.
    ceased = {}
    for row in changes:
        if row["relation"] == "continues_enlarged":
            continue
        key = (row["old_code"], row["old_name"])
        if key not in ceased:
            district = districts[row["district_code"]]
            ceased[key] = upsert(
                Commune, {"code": row["old_code"],
                          "valid_to": dt.date.fromisoformat(row["valid_to"])},
                {"name": row["old_name"], "kind": _KIND_BY_LABEL[row["old_kind"]],
                 "district": district, "province": None, "valid_from": district.valid_from},
                result)
        upsert(UnitSuccession, {"predecessor": ceased[key],
                                "successor": layout[row["successor_code"]]},
               {"kind": SuccessionKind(row["relation"]), "on": units.MERGER_2020,
                "basis": "Nghị quyết 855/NQ-UBTVQH14", "confidence": row["confidence"]},
               result)

    # Thái Nguyên's communes and wards from 01/07/2025 and their predecessors.
    province_code = {r["province_code"] for r in thai_nguyen}.pop()
    thai_nguyen_province = upsert(Province, {"code": province_code, "valid_to": None},
                                  {"name": "Thái Nguyên", "kind": UnitKind.PROVINCE,
                                   "valid_from": units.THAI_NGUYEN_FROM}, result)
    for row in thai_nguyen:
        predecessors = [layout[code] for code in row["predecessor_codes"].split(";")]
        commune = upsert(
            Commune, {"code": row["code"], "valid_to": None},
            {"name": row["name"], "kind": _KIND_BY_LABEL[row["kind"]],
             "province": thai_nguyen_province,
             "district": units.crosswalk_district(predecessors, row["code"]),
             "valid_from": dt.date.fromisoformat(row["valid_from"])}, result)
        kind = SuccessionKind.MERGED if len(predecessors) > 1 else SuccessionKind.REORGANISED
        for predecessor in predecessors:
            upsert(UnitSuccession, {"predecessor": predecessor, "successor": commune},
                   {"kind": kind, "on": units.THAI_NGUYEN_FROM,
                    "basis": "Nghị quyết 1683/NQ-UBTVQH15", "confidence": row["confidence"]},
                   result)
    return result
