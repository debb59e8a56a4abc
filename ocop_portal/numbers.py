"""Numbers as the portal writes them, the same on every page, workbook, report and message.

The rule for a share, stated once: **a percentage is rounded to a whole percent, a half rounded
up** (5/8 = 62,5% is written 63%), as a spreadsheet displays it and as an official would round
it by hand; only a share not reached is kept below 100% (199/200 is 99%, never "100%" beside
"chưa đạt"). Python's own `round()` rounds a half to the even number (62), which is why the
dashboard once read 62% where Phụ lục 1 read 63%. Decimals use the Vietnamese comma and
thousands a dot: 79,50; 1.250.000.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import numberformat

Ratio = float | Fraction | Decimal | int


def _decimal(value: Ratio) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    # str() of a float is its shortest exact reading: 0.625 stays 0.625, not 0.62499…
    return Decimal(str(value))


def whole_percent(ratio: Ratio | None) -> int | None:
    """The ratio as a whole percent, a half rounded up: 0.625 → 63; None stays None."""
    if ratio is None:
        return None
    share = _decimal(ratio)
    percent = int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return 99 if percent == 100 and share < 1 else percent


def percent_ratio(ratio: Ratio | None) -> float | None:
    """The ratio rounded as `whole_percent` rounds it, for a workbook cell formatted 0%: the cell
    then holds exactly what it shows (0.63 for 5/8), and a sum or a chart of it agrees."""
    percent = whole_percent(ratio)
    return None if percent is None else percent / 100


def percent_text(ratio: Ratio | None, empty: str = "–") -> str:
    """"63%" for 5/8; `empty` when there is no ratio (no quota)."""
    percent = whole_percent(ratio)
    return empty if percent is None else f"{number_text(percent)}%"


def number_text(value: Ratio | None, places: int | None = None, empty: str = "") -> str:
    """A number as Vietnamese writes it: 79,50 with `places`=2; 1.250.000."""
    if value is None:
        return empty
    number = _decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return numberformat.format(number, decimal_sep=",", decimal_pos=places, grouping=3,
                               thousand_sep=".", force_grouping=True)
