"""The OCOP ranking rules of QĐ 148/2023 (and 1048/2019), as pure functions.

Star bands are half-open: "from 50 to under 70 points" is 3 stars (DOMAIN.md §1.4).
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from products.models import EvaluationLevel

# (lowest score, stars), highest band first.
STAR_BANDS = [(Decimal(90), 5), (Decimal(70), 4), (Decimal(50), 3), (Decimal(30), 2),
              (Decimal(0), 1)]
BAND_LABELS = {
    5: "từ 90 đến 100 điểm",
    4: "từ 70 đến dưới 90 điểm",
    3: "từ 50 đến dưới 70 điểm",
    2: "từ 30 đến dưới 50 điểm",
    1: "dưới 30 điểm",
}
RECOGNISED_STARS = (3, 4, 5)
CERTIFICATE_MONTHS = 36

# Under QĐ 148 the district recognises 3 stars, the province 4 and the central council 5.
EXPECTED_LEVEL = {3: EvaluationLevel.DISTRICT, 4: EvaluationLevel.PROVINCE,
                  5: EvaluationLevel.CENTRAL}


def stars_for_score(score) -> int:
    """The star rank of a total score between 0 and 100."""
    score = Decimal(str(score))
    if score < 0 or score > 100:
        raise ValueError(f"Điểm {score} nằm ngoài thang 0–100.")
    for lowest, stars in STAR_BANDS:
        if score >= lowest:
            return stars
    raise AssertionError("unreachable")  # pragma: no cover


def grants_certificate(stars: int) -> bool:
    return stars in RECOGNISED_STARS


def certificate_valid_to(decision_date: dt.date) -> dt.date:
    """A certificate is valid 36 months from its decision date (29/02 ends on 28/02)."""
    return decision_date + relativedelta(months=CERTIFICATE_MONTHS)


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
