"""Checking each data row of template v1 and resolving its references (district, commune,
product group, standards), collecting every error with its row and column."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from ocop_portal import units
from ocop_portal.domain import FIRST_PROGRAMME_YEAR, year_span
from ocop_portal.models import Commune, District
from ocop_portal.permissions import can_edit_district
from ocop_portal.text import clean_text, fold
from ocop_portal.units import former_districts
from products import rules
from products.imports import columns
from products.imports.columns import title
from products.imports.reader import FORMULA
from products.imports.references import (
    IMPORTABLE_STANDARDS,
    References,
    code_text,
    decision_key,
    name_key,
    place_key,
    plain_key,
    quoted,
    standard_key,
)
from products.imports.report import Issue
from products.models import (
    QD_148_EFFECTIVE,
    CycleStage,
    EvaluationLevel,
    ProductGroup,
    criteria_version_on,
)
from subjects.models import SubjectType

MAX_TEXT = {"product_name": 255, "subject_name": 255, "registration_number": 50,
            "decision_number": 100}
_LEVELS = {"huyen": EvaluationLevel.DISTRICT, "cap huyen": EvaluationLevel.DISTRICT,
           "tinh": EvaluationLevel.PROVINCE, "cap tinh": EvaluationLevel.PROVINCE,
           "trung uong": EvaluationLevel.CENTRAL, "cap trung uong": EvaluationLevel.CENTRAL,
           "quoc gia": EvaluationLevel.CENTRAL}
_YES_NO = {"co": True, "khong": False}
_STAGES = {fold(label): stage for stage, label in CycleStage.choices}
_STAGES.update({fold(stage): stage for stage in CycleStage.values})
_PARTS = ("score_a", "score_b", "score_c")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")


class CellError(Exception):
    """A cell's value is not acceptable; the message says why and what is."""


@dataclass
class RowData:
    """One valid row, its references resolved."""

    row: int
    product_name: str
    subject_name: str
    subject_type: str
    registration_number: str
    registration_was_number: bool
    district: District
    commune: Commune | None
    group: ProductGroup
    stars: int | None
    score: Decimal | None
    level: str | None
    level_given: bool
    decision_number: str
    decision_date: dt.date | None
    first_year: int | None
    traceability: bool | None
    standards: list[str] = field(default_factory=list)
    cycle_year: int | None = None
    stage: str | None = None
    score_a: Decimal | None = None
    score_b: Decimal | None = None
    score_c: Decimal | None = None
    # The days the row's administrative units are taken on (row_span).
    unit_span: tuple[dt.date, dt.date] | None = None

    @property
    def product_key(self):
        return (name_key(self.subject_name), self.district.pk, name_key(self.product_name))

    @property
    def decision_key(self) -> str:
        return decision_key(self.decision_number)


def _distance(commune: Commune, span) -> int:
    """How many days `commune`'s period lies from `span`: the unit nearest in time to the row
    is the one its refusal names."""
    start, end = span
    if commune.valid_to is not None and commune.valid_to < start:
        return (start - commune.valid_to).days
    return max((commune.valid_from - end).days, 0)


def row_span(decision_date, cycle_year, first_year, today) -> tuple[dt.date, dt.date]:
    """The row's date, which picks its administrative units: the decision's day, else the
    cycle's or the programme's year, else today."""
    if decision_date:
        return decision_date, decision_date
    year = cycle_year or first_year
    if year:
        return year_span(year)
    return today, today


class RowChecker:
    """Checks rows for one user: an officer's rows must be of their own district."""

    def __init__(self, user, references: References | None = None):
        self.user = user
        self.refs = references or References()
        self.today = timezone.localdate()

    # Cells -----------------------------------------------------------------------------------

    def text(self, values, key, required=False) -> str:
        value = values.get(key)
        if value is FORMULA:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = f"{value:%d/%m/%Y}"
        text = clean_text(value)
        if required and not text:
            raise CellError("bắt buộc, không được để trống.")
        limit = MAX_TEXT.get(key)
        if limit and len(text) > limit:
            raise CellError(f"dài {len(text)} ký tự, tối đa {limit} ký tự.")
        return text

    def subject_type(self, value) -> str:
        found = self.refs.subject_type_by_key.get(name_key(str(value)))
        if not found:
            labels = ", ".join(label for _, label in SubjectType.choices)
            raise CellError(f"{quoted(value)} không hợp lệ, chỉ nhận: {labels}.")
        return found

    def district(self, value) -> District:
        key = code_text(value, 3)
        district = self.refs.district_by_key.get(key) or self.refs.district_by_key.get(
            place_key(key))
        if district is None:
            raise CellError(
                f"{quoted(value)} không phải huyện, thành phố của tỉnh Bắc Kạn. Ghi tên (ví dụ "
                "“Chợ Đồn”, “Thành phố Bắc Kạn”) hoặc mã (ví dụ “064”).")
        if not can_edit_district(self.user, district):
            own = getattr(self.user, "district", None)
            raise CellError(
                f"{district} ngoài phạm vi của bạn: cán bộ {own} chỉ được nhập sản phẩm của "
                f"{own}.")
        return district

    def commune(self, value, district: District | None, span) -> Commune:
        """The commune the cell names that existed during `span` (the row's date): by code or
        by name, in `district`, or among Thái Nguyên's communes when the district is blank
        (rows dated from 01/07/2025). A unit that did not exist then is refused with what it
        became or came from."""
        code = code_text(value, 5)
        key = place_key(code)
        if code in self.refs.communes_by_code:
            candidates = self.refs.communes_by_code[code]
        elif district is None:
            candidates = self.refs.thai_nguyen_by_key.get(key, [])
        else:
            candidates = self.refs.communes_by_district.get((district.pk, key), [])
        if not candidates:
            elsewhere = [c for c in self.refs.communes_by_name.get(key, [])
                         if c.is_valid_during(*span)]
            if elsewhere and district is not None:
                place = elsewhere[0]
                if place.outside_districts:
                    raise CellError(f"{quoted(value)} ({place.place_name}) không có đơn vị cũ "
                                    f"nào thuộc {district}; xã này được tính cho "
                                    f"{place.district} (cũ).")
                raise CellError(f"{quoted(value)} ({place}) thuộc {place.district}, không "
                                f"thuộc {district}.")
            where = (f"của {district}" if district else
                     "của tỉnh Thái Nguyên (từ 01/07/2025) thuộc địa bàn tỉnh Bắc Kạn cũ")
            raise CellError(f"{quoted(value)} không có trong danh mục xã, phường, thị trấn "
                            f"{where}.")
        valid = [c for c in candidates if c.is_valid_during(*span)]
        if len(valid) > 1:
            raise CellError(f"{quoted(value)}: {district or 'danh mục'} có hai xã cùng tên này; "
                            "hãy ghi mã xã.")
        if not valid:
            nearest = min(candidates, key=lambda c: _distance(c, span))
            raise CellError(f"{quoted(value)}: " + units.refusal(
                nearest, *span, successions=self.refs.successions))
        commune = valid[0]
        if district is None:
            if not can_edit_district(self.user, commune.district):
                own = getattr(self.user, "district", None)
                raise CellError(
                    f"{commune.place_name} được tính cho {commune.district} (đơn vị cũ góp "
                    f"nhiều xã nhất vào xã này), ngoài phạm vi của bạn: cán bộ {own} chỉ được "
                    f"nhập sản phẩm của {own}.")
        elif district.pk not in former_districts(commune, self.refs.successions):
            # Found by its code: a code names one unit in one district.
            raise CellError(f"{quoted(value)} ({commune.place_name}) không thuộc {district}.")
        return commune

    def group(self, value) -> ProductGroup:
        group = self.refs.group_by_key.get(place_key(value))
        if group is None:
            names = "; ".join(group.name for group in self.refs.groups)
            raise CellError(f"{quoted(value)} không phải nhóm sản phẩm của QĐ 148/QĐ-TTg; "
                            f"chỉ nhận một trong sáu nhóm: {names}.")
        return group

    @staticmethod
    def stars(value) -> int:
        text = fold(str(value)).removesuffix("sao").strip().replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number not in (3, 4, 5):
            raise CellError(f"{quoted(value)} không hợp lệ, chỉ nhận 3, 4 hoặc 5.")
        return int(number)

    @staticmethod
    def score(value) -> Decimal:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise CellError(f"{quoted(value)} không phải là số; ghi điểm từ 0 đến 100, ví dụ "
                            "72,5.")
        if number < 0 or number > 100:
            raise CellError(f"{quoted(value)} nằm ngoài thang điểm từ 0 đến 100.")
        if number != number.quantize(Decimal("0.01")):
            raise CellError(f"{quoted(value)} có quá hai chữ số thập phân.")
        return number

    @staticmethod
    def level(value) -> str:
        level = _LEVELS.get(plain_key(value))
        if level is None:
            raise CellError(f"{quoted(value)} không hợp lệ, chỉ nhận Huyện, Tỉnh hoặc Trung "
                            "ương.")
        return level

    def date(self, value) -> dt.date:
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        else:
            match = _DATE_TEXT.match(clean_text(value))
            day = None
            if match:
                try:
                    day = dt.date(int(match[3]), int(match[2]), int(match[1]))
                except ValueError:
                    day = None
            if day is None:
                hint = (" (ô đang là số, không phải ngày)" if isinstance(value, int | float)
                        else "")
                raise CellError(f"{quoted(value)} không phải ngày hợp lệ{hint}; ghi theo dạng "
                                "dd/mm/yyyy, ví dụ 29/02/2024, hoặc dùng ô kiểu ngày của Excel.")
        if day > self.today:
            raise CellError(f"ngày {day:%d/%m/%Y} ở sau hôm nay ({self.today:%d/%m/%Y}).")
        if day.year < FIRST_PROGRAMME_YEAR:
            raise CellError(f"ngày {day:%d/%m/%Y} trước năm {FIRST_PROGRAMME_YEAR}, khi tỉnh "
                            "Bắc Kạn bắt đầu Chương trình OCOP.")
        return day

    def year(self, value) -> int:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise CellError(f"{quoted(value)} không phải năm; ghi bốn chữ số, ví dụ 2021.")
        if not FIRST_PROGRAMME_YEAR <= number <= self.today.year:
            raise CellError(f"năm {int(number)} không hợp lệ, chỉ nhận từ "
                            f"{FIRST_PROGRAMME_YEAR} đến {self.today.year}.")
        return int(number)

    def cycle_year(self, value) -> int:
        """A cycle may be next year's: producers register for it late in the year."""
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise CellError(f"{quoted(value)} không phải năm; ghi bốn chữ số, ví dụ 2024.")
        if not FIRST_PROGRAMME_YEAR <= number <= self.today.year + 1:
            raise CellError(f"năm {int(number)} không hợp lệ, chỉ nhận từ "
                            f"{FIRST_PROGRAMME_YEAR} đến {self.today.year + 1}.")
        return int(number)

    @staticmethod
    def stage(value) -> str:
        stage = _STAGES.get(fold(str(value)))
        if stage is None:
            labels = "; ".join(label for _, label in CycleStage.choices)
            raise CellError(f"{quoted(value)} không phải giai đoạn của chu trình OCOP; chỉ nhận: "
                            f"{labels}.")
        return stage

    @staticmethod
    def part(value) -> Decimal:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise CellError(f"{quoted(value)} không phải là số; ghi điểm, ví dụ 26,5.")
        if number != number.quantize(Decimal("0.01")):
            raise CellError(f"{quoted(value)} có quá hai chữ số thập phân.")
        return number

    @staticmethod
    def yes_no(value) -> bool:
        if isinstance(value, bool):
            return value
        answer = _YES_NO.get(fold(str(value)))
        if answer is None:
            raise CellError(f"{quoted(value)} không hợp lệ, chỉ nhận Có hoặc Không.")
        return answer

    def standards(self, value) -> list[str]:
        found, unknown = [], []
        for part in re.split(r"[,;\n]", str(value)):
            if not part.strip():
                continue
            standard = self.refs.standard_by_key.get(standard_key(part))
            if standard is None:
                unknown.append(f"“{clean_text(part)}”")
            elif standard not in found:
                found.append(standard)
        if unknown:
            names = ", ".join(s.label for s in IMPORTABLE_STANDARDS)
            raise CellError(f"{', '.join(unknown)} không có trong danh mục tiêu chuẩn; chỉ "
                            f"nhận: {names}.")
        return found

    # Rows ------------------------------------------------------------------------------------

    def _cell(self, issues, row, key, parse, values, *args):
        """Parse one cell, recording its error; blank and formula cells give None."""
        value = values.get(key)
        if value is None or value is FORMULA:
            return None
        try:
            return parse(value, *args)
        except CellError as error:
            issues.append(Issue(str(error), row, title(key)))
            return None

    def check(self, row: int, values: dict) -> tuple[RowData | None, list[Issue]]:
        """The row's data when every cell is acceptable, else None; and the errors found."""
        issues: list[Issue] = []
        texts = {}
        for key in ("product_name", "subject_name", "registration_number", "decision_number"):
            try:
                texts[key] = self.text(values, key, required=key in columns.REQUIRED_KEYS)
            except CellError as error:
                issues.append(Issue(str(error), row, title(key)))
        decision_date = self._cell(issues, row, "decision_date", self.date, values)
        first_year = self._cell(issues, row, "first_year", self.year, values)
        cycle_year = self._cell(issues, row, "cycle_year", self.cycle_year, values)
        span = row_span(decision_date, cycle_year, first_year, self.today)
        # From 01/07/2025 there are no districts: the commune alone may place the row.
        district_optional = span[0] >= units.THAI_NGUYEN_FROM and values.get("commune")
        for key in ("subject_type", "district", "group"):
            if values.get(key) is None and not (key == "district" and district_optional):
                issues.append(Issue("bắt buộc, không được để trống." if key != "district" else
                                    "bắt buộc, không được để trống (chỉ để trống được với dòng "
                                    "từ 01/07/2025 có ghi xã, phường).", row, title(key)))
        subject_type = self._cell(issues, row, "subject_type", self.subject_type, values)
        district = self._cell(issues, row, "district", self.district, values)
        commune = None
        if district or (district_optional and values.get("district") is None):
            commune = self._cell(issues, row, "commune", self.commune, values, district, span)
            if district is None and commune is not None:
                district = commune.district  # Thái Nguyên's commune, counted in this district
        group = self._cell(issues, row, "group", self.group, values)
        stars = self._cell(issues, row, "stars", self.stars, values)
        score = self._cell(issues, row, "score", self.score, values)
        level = self._cell(issues, row, "level", self.level, values)
        traceability = self._cell(issues, row, "traceability", self.yes_no, values)
        standards = self._cell(issues, row, "standards", self.standards, values) or []
        stage = self._cell(issues, row, "stage", self.stage, values)
        parts = {key: self._cell(issues, row, key, self.part, values) for key in _PARTS}
        issues += self._check_recognition(row, values, stars, score, texts)
        issues += self._check_cycle(row, values, stars, cycle_year, stage, decision_date)
        if not issues:
            part_issues, score = self._check_parts(row, values, stars, score, parts,
                                                   decision_date, cycle_year)
            issues += part_issues
        if issues or FORMULA in values.values():
            return None, issues
        if stars and level is None:
            level = default_level(stars, decision_date)
        return RowData(
            row=row, product_name=texts["product_name"], subject_name=texts["subject_name"],
            subject_type=subject_type, registration_number=texts["registration_number"],
            registration_was_number=isinstance(values.get("registration_number"), int | float),
            district=district, commune=commune, group=group, stars=stars, score=score,
            level=level, level_given=values.get("level") is not None,
            decision_number=texts["decision_number"], decision_date=decision_date,
            first_year=first_year, traceability=traceability, standards=standards,
            cycle_year=cycle_year, stage=stage, unit_span=span, **parts,
        ), []

    @staticmethod
    def _check_cycle(row, values, stars, cycle_year, stage, decision_date) -> list[Issue]:
        """A stage belongs to a cycle year; the decision stage comes only with a decision, and
        a decision only ends its cycle."""
        issues = []
        if values.get("stage") is not None and values.get("cycle_year") is None:
            issues.append(Issue("bắt buộc khi có Giai đoạn: ghi năm của chu trình OCOP, ví dụ "
                                "2024.", row, title("cycle_year")))
        if stage == CycleStage.DECISION and values.get("stars") is None:
            issues.append(Issue("“Quyết định công nhận” chỉ ghi cùng Số sao, Số quyết định và "
                                "Ngày quyết định của quyết định đó.", row, title("stage")))
        if stars and stage not in (None, CycleStage.DECISION):
            issues.append(Issue(
                f"dòng có Số sao (một quyết định công nhận) nhưng Giai đoạn ghi "
                f"“{CycleStage(stage).label}”; để trống hoặc ghi “Quyết định công nhận”.",
                row, title("stage")))
        if stars and cycle_year and decision_date and decision_date.year not in (
                cycle_year, cycle_year + 1):
            issues.append(Issue(
                f"quyết định ngày {decision_date:%d/%m/%Y} không thuộc chu trình năm "
                f"{cycle_year} (quyết định của chu trình phải trong năm {cycle_year} hoặc đầu "
                f"năm {cycle_year + 1}).", row, title("cycle_year")))
        return issues

    @staticmethod
    def _check_parts(row, values, stars, score, parts, decision_date,
                     cycle_year) -> tuple[list[Issue], Decimal | None]:
        """The three parts together or none, each within its maximum under the criteria of the
        decision's date, adding up to the total; the total, when blank, is their sum."""
        given = [key for key in _PARTS if parts[key] is not None]
        if not given:
            return [], score
        if not stars:
            return [], score  # reported by _check_recognition
        if len(given) < 3:
            missing = ", ".join(f"“{title(k)}”" for k in _PARTS if parts[k] is None)
            return [Issue(f"thiếu {missing}: ghi cả ba phần A, B, C hoặc để trống cả ba.", row,
                          title(given[0]))], score
        day = decision_date or dt.date(cycle_year or timezone.localdate().year, 12, 31)
        errors = rules.part_errors(criteria_version_on(day),
                                   {key[-1]: parts[key] for key in _PARTS})
        issues = [Issue(message, row, title(f"score_{part}")) for part, message in errors.items()]
        total = sum(parts[key] for key in _PARTS)
        if score is not None and abs(score - total) > Decimal("0.01"):
            issues.append(Issue(f"{quoted(values.get('score'))} không bằng tổng ba phần A + B + "
                                f"C = {str(total).replace('.', ',')}.", row, title("score")))
        elif score is None and not issues:
            band_stars = rules.stars_for_score(total)
            if band_stars != stars:
                issues.append(Issue(
                    f"tổng ba phần {str(total).replace('.', ',')} điểm thuộc hạng {band_stars} "
                    f"sao ({rules.BAND_LABELS[band_stars]}), không khớp {stars} sao ở cột "
                    f"“{title('stars')}”.", row, title("score_a")))
            score = total
        return issues, score

    @staticmethod
    def _check_recognition(row, values, stars, score, texts) -> list[Issue]:
        """Stars need a decision; a score must fall in the band of the stars; the columns of a
        recognition without stars are a mistake, not something to guess."""
        issues = []
        if values.get("stars") is None:
            filled = [title(key) for key in ("score", "level", "decision_number", "decision_date",
                                              *_PARTS)
                      if values.get(key) is not None]
            if filled:
                names = ", ".join(f"“{name}”" for name in filled)
                issues.append(Issue(
                    f"để trống nhưng dòng có {names}. Ghi số sao (3, 4 hoặc 5) của quyết định "
                    "công nhận, hoặc xoá các cột đó nếu sản phẩm chưa được công nhận.",
                    row, title("stars")))
            return issues
        if stars is None:
            return issues
        if not texts.get("decision_number") and values.get("decision_number") is None:
            issues.append(Issue("bắt buộc khi có Số sao: sản phẩm đạt 3 sao trở lên phải có "
                                "quyết định công nhận.", row, title("decision_number")))
        if values.get("decision_date") is None:
            issues.append(Issue("bắt buộc khi có Số sao: ghi ngày của quyết định công nhận "
                                "(dd/mm/yyyy).", row, title("decision_date")))
        if score is not None:
            band_stars = rules.stars_for_score(score)
            if band_stars != stars:
                shown = quoted(values.get("score"))
                issues.append(Issue(
                    f"{shown} điểm thuộc hạng {band_stars} sao ({rules.BAND_LABELS[band_stars]}),"
                    f" không khớp {stars} sao ở cột “{title('stars')}”: {stars} sao cần "
                    f"{rules.BAND_LABELS[stars]}.", row, title("score")))
        return issues


def default_level(stars: int, decision_date: dt.date) -> str:
    """The level that recognised the stars when the row does not say: under QĐ 1048 the province
    recognised 3 and 4 stars; under QĐ 148 the district 3, the province 4; 5 stars central."""
    if decision_date < QD_148_EFFECTIVE:
        return EvaluationLevel.CENTRAL if stars == 5 else EvaluationLevel.PROVINCE
    return rules.EXPECTED_LEVEL[stars]
