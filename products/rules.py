"""The OCOP ranking rules of QĐ 148/2023 (and 1048/2019), as pure functions.

Star bands are half-open: "from 50 to under 70 points" is 3 stars (DOMAIN.md §1.4).
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ocop_portal.domain import (
    CERTIFICATE_VALIDITY_MONTHS,
    MAX_SCORE,
    PART_MAXIMA,
    RECOGNITION_MIN_STARS,
    STAR_BAND_LABELS,
    STAR_BANDS,
)
from products.models import CriteriaVersion, EvaluationLevel, criteria_version_on

BAND_LABELS = STAR_BAND_LABELS

# Under QĐ 148 the district recognises 3 stars, the province 4 and the central council 5.
EXPECTED_LEVEL = {3: EvaluationLevel.DISTRICT, 4: EvaluationLevel.PROVINCE,
                  5: EvaluationLevel.CENTRAL}


def stars_for_score(score) -> int:
    """The star rank of a total score between 0 and 100."""
    score = Decimal(str(score))
    if score < 0 or score > MAX_SCORE:
        raise ValueError(f"Điểm {score} nằm ngoài thang 0–{MAX_SCORE}.")
    for lowest, stars in STAR_BANDS:
        if score >= lowest:
            return stars
    raise AssertionError("unreachable")  # pragma: no cover


def grants_certificate(stars: int) -> bool:
    return stars >= RECOGNITION_MIN_STARS


def certificate_valid_to(decision_date: dt.date) -> dt.date:
    """A certificate is valid 36 months from its decision date (29/02 ends on 28/02)."""
    return decision_date + relativedelta(months=CERTIFICATE_VALIDITY_MONTHS)


def level_warning(stars: int, level: str, criteria_version: str = "148/2023") -> str | None:
    """A warning when a QĐ 148 evaluation's level differs from what QĐ 148 expects for its stars.
    Not an error, and nothing for QĐ 1048 records, under which the province recognised 3 and
    4 stars."""
    expected = EXPECTED_LEVEL.get(stars)
    if criteria_version != "148/2023" or expected is None or expected == level:
        return None
    return (
        f"Theo QĐ 148/QĐ-TTg, sản phẩm {stars} sao do {expected.label.lower()} công nhận; "
        f"bản ghi này ghi {EvaluationLevel(level).label.lower()}. Hãy kiểm tra lại nếu quyết "
        f"định ban hành theo QĐ 148."
    )


def evaluation_criteria_version(criteria_version: str, *, decision_date: dt.date | None,
                                cycle_year: int) -> str:
    """The criteria version an evaluation was ranked under: the one given, else the one in force
    on its decision date (without one, on the last day of its cycle year)."""
    return criteria_version or criteria_version_on(decision_date or dt.date(cycle_year, 12, 31))


def _points(value: Decimal) -> str:
    # As a Vietnamese reader writes points: 38, 35,01 (no trailing zeros, decimal comma).
    return f"{value.normalize():f}".replace(".", ",")


def part_errors(criteria_version: str, parts: dict[str, Decimal | None]) -> dict[str, str]:
    """For each part ("a", "b", "c") of the scoring sheet above its maximum under
    `criteria_version`, or below 0, a message saying so; parts given as None are not checked."""
    maxima = PART_MAXIMA[criteria_version]
    version_name = CriteriaVersion(criteria_version).label
    errors = {}
    for part, value in parts.items():
        if value is None:
            continue
        points = Decimal(str(value))
        if points < 0:
            errors[part] = (f"Điểm phần {part.upper()} không được nhỏ hơn 0; "
                            f"đã nhập {_points(points)}.")
        elif points > maxima[part]:
            errors[part] = (f"Điểm phần {part.upper()} tối đa {maxima[part]} điểm theo "
                            f"{version_name}; đã nhập {_points(points)}.")
    return errors
