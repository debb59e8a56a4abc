import datetime as dt
from decimal import Decimal

import pytest

from products import rules
from products.models import EvaluationLevel


@pytest.mark.parametrize(("score", "stars"), [
    ("0", 1), ("29.99", 1), ("30", 2), ("49.99", 2), ("50", 3), ("69.99", 3), ("70", 4),
    ("89.99", 4), ("90", 5), ("100", 5),
])
def test_stars_follow_the_half_open_score_bands(score, stars):
    assert rules.stars_for_score(Decimal(score)) == stars


@pytest.mark.parametrize("score", ["-0.01", "100.01", "150"])
def test_a_score_outside_0_to_100_has_no_stars(score):
    with pytest.raises(ValueError, match="ngoài thang"):
        rules.stars_for_score(Decimal(score))


@pytest.mark.parametrize(("stars", "grants"), [(1, False), (2, False), (3, True), (4, True),
                                               (5, True)])
def test_only_3_to_5_stars_grant_a_certificate(stars, grants):
    assert rules.grants_certificate(stars) is grants


@pytest.mark.parametrize(("decision", "valid_to"), [
    (dt.date(2024, 2, 29), dt.date(2027, 2, 28)),
    (dt.date(2024, 6, 15), dt.date(2027, 6, 15)),
    (dt.date(2021, 12, 29), dt.date(2024, 12, 29)),
    (dt.date(2023, 1, 31), dt.date(2026, 1, 31)),
])
def test_certificate_is_valid_36_months_from_the_decision(decision, valid_to):
    assert rules.certificate_valid_to(decision) == valid_to


@pytest.mark.parametrize(("stars", "level", "warns"), [
    (3, EvaluationLevel.DISTRICT, False),
    (4, EvaluationLevel.PROVINCE, False),
    (5, EvaluationLevel.CENTRAL, False),
    (3, EvaluationLevel.PROVINCE, True),
    (4, EvaluationLevel.DISTRICT, True),
    (5, EvaluationLevel.PROVINCE, True),
    (2, EvaluationLevel.DISTRICT, False),
])
def test_level_differing_from_qd_148_is_a_warning(stars, level, warns):
    warning = rules.level_warning(stars, level)
    assert (warning is not None) is warns
    if warns:
        assert "QĐ 148" in warning


def test_no_level_warning_for_records_ranked_under_qd_1048():
    assert rules.level_warning(3, EvaluationLevel.PROVINCE, "1048/2019") is None
    assert rules.level_warning(3, EvaluationLevel.PROVINCE, "148/2023") is not None
