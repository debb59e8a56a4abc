"""Administrative units over time: which unit a record takes on its date, what a unit not valid
then became (or came from), and the crosswalk from Thái Nguyên's communes of 01/07/2025 to the
former districts that the plan's quotas are set for.

The layers (DESIGN.md §3, ocop_portal.services.administrative_units_load):
- until 31/01/2020, the 122 communes before Nghị quyết 855/NQ-UBTVQH14;
- 01/02/2020 - 30/06/2025, the 108 communes of the 8 districts;
- from 01/07/2025, the 37 communes and wards of Thái Nguyên (Nghị quyết 1683/NQ-UBTVQH15),
  without districts.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Q

from ocop_portal.models import (  # noqa: F401 - re-exported: the units' reads in one place
    Commune,
    District,
    Successions,
    UnitKind,
    UnitSuccession,
    former_districts,
    refusal,
    span_text,
    unit_names,
)
from ocop_portal.text import name_key, search_terms

MERGER_2020 = dt.date(2020, 2, 1)
DISTRICTS_END = dt.date(2025, 6, 30)
THAI_NGUYEN_FROM = dt.date(2025, 7, 1)

CROSSWALK_RULE = (
    "Từ 01/07/2025 không còn cấp huyện. Để so với chỉ tiêu của các huyện trong kế hoạch, hồ sơ "
    "ghi xã, phường mới được tính cho huyện cũ có nhiều xã, phường, thị trấn (cũ) hợp thành "
    "xã đó nhất (nếu hai huyện góp bằng nhau: huyện của đơn vị cũ mà xã mới giữ mã); hồ sơ "
    "ghi rõ một huyện cũ khác cũng có đơn vị hợp thành xã đó thì tính cho huyện ấy."
)


def crosswalk_district(predecessors: Iterable[Commune], kept_code: str) -> District:
    """The former district a commune of 01/07/2025 is counted in (CROSSWALK_RULE): the one
    that gave most of its predecessors; on a tie, the district of the predecessor whose code
    the new commune keeps (else the lowest district code)."""
    predecessors = list(predecessors)
    votes = Counter(p.district_id for p in predecessors)
    most = max(votes.values())
    leading = {district_id for district_id, n in votes.items() if n == most}
    kept = next((p for p in predecessors if p.code == kept_code and p.district_id in leading),
                None)
    if kept is not None:
        return kept.district
    return min((p.district for p in predecessors if p.district_id in leading),
               key=lambda d: d.code)


def history_text(commune: Commune, successions: Successions | None = None) -> str:
    """The units before and after `commune`, for its record's page: "trước 01/07/2025: thị
    trấn Phủ Thông, huyện Bạch Thông" for a commune of Thái Nguyên (its predecessor of the
    same name, else all of them), "từ 01/02/2020: xã Đồng Thắng; từ 01/07/2025: xã Bạch
    Thông (tỉnh Thái Nguyên)" for one that ceased."""
    successions = successions or Successions()
    parts = []
    came = successions.preceding(commune)
    if came:
        predecessors = [s.predecessor for s in came]
        same = [p for p in predecessors if p.name == commune.name] or predecessors
        districts = {p.district_id: p.district for p in same}
        names = unit_names(same)
        if len(districts) == 1:
            names += f", {_district_name(next(iter(districts.values())))}"
        parts.append(f"trước {came[0].on:%d/%m/%Y}: {names}")
    unit, seen = commune, {commune.pk}
    while True:
        later = [s for s in successions.following(unit) if s.successor_id not in seen]
        if not later:
            break
        successors = [s.successor for s in later]
        parts.append(f"từ {later[0].on:%d/%m/%Y}: {unit_names(successors)}")
        unit = successors[0]
        seen.update(s.pk for s in successors)
    return "; ".join(parts)


def _district_name(district: District) -> str:
    return f"{district.get_kind_display().lower()} {district.name}"


def related_commune_ids(commune_ids: Iterable[int]) -> set[int]:
    """These communes, the units they came from (and those came from) and the units they
    became (and those became): a search for a unit's name finds the records of its old and
    new units. Not their siblings: xã Rã Bản leads to Đồng Thắng and then xã Bạch Thông, but
    not to Dương Phong, which merged into Bạch Thông beside it."""
    pairs = list(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    start = set(commune_ids)
    found = set(start)
    for forward in (True, False):
        frontier = set(start)
        while frontier:
            step = ({b for a, b in pairs if a in frontier} if forward
                    else {a for a, b in pairs if b in frontier})
            frontier = step - found
            found |= step
    return found


def thai_nguyen_commune_ids() -> dict[int, int]:
    """Each commune's unit from 01/07/2025 (by id), through its successions: a commune of
    Thái Nguyên is its own; one of 2020-2025 the one it became; one that ceased in 2020 the
    unit its successor became (the first part of a split commune)."""
    pairs = list(UnitSuccession.objects.order_by("successor__code")
                 .values_list("predecessor_id", "successor_id"))
    next_of: dict[int, int] = {}
    for predecessor, successor in pairs:
        next_of.setdefault(predecessor, successor)
    new = set(Commune.objects.filter(province__isnull=False).values_list("pk", flat=True))
    mapping = {}
    for commune_id in set(next_of) | new:
        unit, steps = commune_id, 0
        while unit not in new and unit in next_of and steps < 5:
            unit, steps = next_of[unit], steps + 1
        if unit in new:
            mapping[commune_id] = unit
    return mapping


def unit_with_history(commune: Commune | None, successions: Successions | None = None) -> str:
    """A record's unit as its page shows it: the full place name and, after a dash, the units
    before and after it (history_text): "Xã Phủ Thông, tỉnh Thái Nguyên — trước 01/07/2025:
    thị trấn Phủ Thông, huyện Bạch Thông". One query (the successions) when the commune's
    district and province are read with it."""
    if commune is None:
        return ""
    history = history_text(commune, successions)
    return f"{commune.place_name} — {history}" if history else commune.place_name


# A search shorter than this is not matched against unit names (a few letters are in many).
UNIT_SEARCH_MIN = 3


def communes_matching(query: str) -> set[int]:
    """The communes (ids) a search finds records of by their unit: those whose name holds the
    whole query, folded as the search folds ("ra ban" and "Rã Bản" find xã Rã Bản; "xã Rã Bản"
    too, the kind then having to agree), with the units they came from and became
    (related_commune_ids). None for a query of fewer than UNIT_SEARCH_MIN characters. Two
    queries, whatever the number of records."""
    key, kind = name_key(query), None
    for value, label in sorted(UnitKind.choices, key=lambda c: -len(c[1])):
        label = name_key(label)
        if key.startswith(f"{label} "):
            key, kind = key[len(label) + 1:], value
            break
    if len(key) < UNIT_SEARCH_MIN:
        return set()
    found = {pk for pk, name, unit_kind in Commune.objects.values_list("pk", "name", "kind")
             if key in name_key(name) and kind in (None, unit_kind)}
    return related_commune_ids(found) if found else set()


def search_with_units(query: str) -> Q:
    """A list's search (every word in the record's `search_text`), widened to the records whose
    `commune` is, came from or became a unit the query names (communes_matching). Only the
    text match is widened: the caller's queryset keeps the user's scope."""
    condition = Q()
    for word in search_terms(query):
        condition &= Q(search_text__contains=word)
    communes = communes_matching(query)
    return condition | Q(commune_id__in=sorted(communes)) if communes else condition
