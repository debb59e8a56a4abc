"""The reference lists a row is checked against (districts, communes, product groups, subject
types, standards), loaded once per import, and the keys under which typed names match them."""

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from ocop_portal import text, units
from ocop_portal.models import Commune, District
from ocop_portal.text import clean_text, fold
from products.models import CriteriaVersion, ProductGroup, Standard
from subjects.models import SubjectType

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_UNIT_PREFIXES = ("thanh pho ", "tp ", "thi xa ", "tx ", "huyen ", "h ", "thi tran ", "tt ",
                  "phuong ", "p ", "xa ", "x ")
_STANDARD_ALIASES = {"huuco": Standard.ORGANIC, "tcvn11041": Standard.ORGANIC}
_NUMBER_TEXT = re.compile(r"^-?\d+([.,]\d+)?$")
IMPORTABLE_STANDARDS = [s for s in Standard if s != Standard.OTHER]


@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """ocop_portal.text.name_key, remembered: an import asks for the key of the same names
    again and again (a producer's, once for each row of its products), 60,000 times for
    5,000 rows."""
    return text.name_key(name)


def decision_key(number: str) -> str:
    """One decision however its number is typed: “101/QĐ-UBND” is “101 / qd-ubnd”."""
    return _SPACES.sub("", fold(number))


def plain_key(text) -> str:
    """Folded, punctuation as spaces: “TP. Bắc Kạn” is “tp bac kan”."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(str(text)))).strip()


def place_key(text) -> str:
    """The name of an administrative unit without its kind: “Huyện Chợ Đồn” is “cho don”."""
    key = plain_key(text)
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return key


def standard_key(text) -> str:
    key = re.sub(r"[:\-]\s*(19|20)\d\d\s*$", "", fold(str(text)))  # "ISO 22000:2018"
    return re.sub(r"[\W_]", "", key)


def code_text(value, width) -> str:
    """A code typed in a number cell lost its leading zeros: 64 is “064”."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    return text.zfill(width) if text.isdigit() else text


def quoted(value) -> str:
    """A cell's value as shown in a message: numbers bare, text in quotes."""
    if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        return value.strip()
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float | Decimal):
        return str(value).replace(".", ",")
    return f"“{clean_text(value)}”"


class References:
    """The lookups a row needs, loaded once per import."""

    def __init__(self):
        self.districts = list(District.objects.select_related("province"))
        self.district_by_key = {}
        for district in self.districts:
            for key in (district.code, place_key(district.name), place_key(district.full_name)):
                self.district_by_key.setdefault(key, district)
        # Communes of every period: a name or a code may stand for several units (codes were
        # reused, names kept), and the row's date picks among them (RowChecker.commune).
        self.communes_by_code: dict[str, list[Commune]] = {}
        self.communes_by_district: dict[tuple[int, str], list[Commune]] = {}
        self.communes_by_name: dict[str, list[Commune]] = {}
        self.thai_nguyen_by_key: dict[str, list[Commune]] = {}
        self.successions = units.Successions()
        for commune in Commune.objects.select_related("district", "province"):
            self.communes_by_code.setdefault(commune.code, []).append(commune)
            # A commune of Thái Nguyên is found under each former district that gave it a
            # predecessor: the file names the one the place was in.
            districts = units.former_districts(commune, self.successions)
            for key in {place_key(commune.name), place_key(commune.full_name)}:
                for district_id in districts:
                    self.communes_by_district.setdefault((district_id, key), []).append(commune)
                self.communes_by_name.setdefault(key, []).append(commune)
                if commune.outside_districts:
                    self.thai_nguyen_by_key.setdefault(key, []).append(commune)
            if commune.outside_districts:
                self.thai_nguyen_by_key.setdefault(commune.code, []).append(commune)
        self.groups = list(ProductGroup.objects.filter(
            criteria_version=CriteriaVersion.QD_148_2023, parent__isnull=True))
        self.group_by_key = {place_key(group.name): group for group in self.groups}
        self.subject_type_by_key = {}
        for value, label in SubjectType.choices:
            self.subject_type_by_key[name_key(label)] = value
            self.subject_type_by_key[value] = value
        self.standard_by_key = dict(_STANDARD_ALIASES)
        for standard in IMPORTABLE_STANDARDS:
            self.standard_by_key[standard_key(standard.label)] = standard.value
            self.standard_by_key[standard_key(standard.value)] = standard.value
