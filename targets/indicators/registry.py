"""The indicator registry: one entry per code, holding everything about what it counts.

Codes:
- the seven indicators of plan 180 (DESIGN.md §4): `new_products_3star`, `consolidated_subjects`,
  `new_subjects`, `traceability_products`, `linkage_subjects`, `advanced_qm_products` (products
  or producers counted in the year), `media_items_monthly` (media items published in the year);
- breakdowns of the dashboards: `month:<m>` (media items of month m), `recognised` (products
  with a certificate in force in the year), `stars:<n>` (recognised products whose latest
  certificate in force in the year came with n stars), `group:<pk>` (recognised products of a
  top-level product group), `expired`, `expiring_30`, `expiring_90` (the expiry radar on the
  as-of day, whatever the year).

An entry gives the records it counts for (year, as-of day), which list shows them, its texts,
and for the appendix the evidence of each record. `Indicator` rows in the database carry the
same texts (load_backan_2024 writes them from here) and the plan's quotas refer to them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ocop_portal.domain import (
    DEFAULT_MEDIA_ITEMS_PER_MONTH,
    EXPIRY_WINDOWS_DAYS,
    RECOGNISED_STARS,
)
from products.models import ADVANCED_QM_STANDARDS, Standard
from targets.indicators import evidence, rules
from targets.indicators.rules import Period

PRODUCT, SUBJECT, MEDIA = "product", "subject", "media"
LIST_URLS = {PRODUCT: "/products/", SUBJECT: "/subjects/", MEDIA: "/communications/"}

RecordsRule = Callable[[Period], QuerySet[Any]]
Describe = Callable[[Any, Any], tuple[str, dt.date | None]]


class UnknownIndicator(ValueError):
    """A code that names no indicator or breakdown of the registry."""


@dataclass(frozen=True)
class Basis:
    """What makes a record count: related rows (through `lookup` from the record, `link` back
    to it) that must exist in the period. The same rows are the appendix's evidence."""

    lookup: str
    link: str
    rows: RecordsRule
    describe: Describe
    # False: the rows are evidence only (the first recognition), the base already decides.
    required: bool = True


@dataclass(frozen=True)
class IndicatorEntry:
    code: str
    kind: str  # PRODUCT, SUBJECT or MEDIA: what the records are
    name: str
    short_name: str
    unit: str
    appendix: int | None  # the plan's appendix that splits it by district; None: not split
    definition: str  # the plan's words
    counting_rule: str  # how the portal counts, shown beside every number
    base: RecordsRule
    basis: Basis | None = None

    def records(self, period: Period) -> QuerySet[Any]:
        """The records counted in the period, each once, for the whole province."""
        records = self.base(period)
        if self.basis is not None and self.basis.required:
            related = self.basis.rows(period).filter(**{self.basis.link: OuterRef("pk")})
            records = records.filter(Exists(related))
        return records

    def with_evidence(self, records: QuerySet[Any], period: Period) -> QuerySet[Any]:
        """`records` with their evidence in `record.evidence` (a list, earliest first)."""
        if self.basis is None:
            return records
        return records.prefetch_related(Prefetch(self.basis.lookup,
                                                 queryset=self.basis.rows(period),
                                                 to_attr="evidence"))

    def describe(self, record: Any) -> tuple[str, dt.date | None]:
        """What made `record` count, and its date, for the appendix's "Danh sách" sheet."""
        if self.basis is None:
            return "", None
        first = record.evidence[0] if record.evidence else None
        return self.basis.describe(record, first)


_ADVANCED_QM_LABELS = ", ".join(Standard(s).label for s in ADVANCED_QM_STANDARDS)

ENTRIES: tuple[IndicatorEntry, ...] = (
    IndicatorEntry(
        code="new_products_3star", kind=PRODUCT, name="Sản phẩm mới đạt 3 sao trở lên",
        short_name="SP mới từ 3 sao", unit="sản phẩm", appendix=1,
        definition=("Phát triển ít nhất 20 sản phẩm mới (bình quân 2-3 sản phẩm/huyện, thành phố) "
                    "đạt 3 sao trở lên."),
        counting_rule=("Sản phẩm có quyết định công nhận đầu tiên đạt từ 3 sao trở lên ký trong "
                       "năm. Nâng hạng, đánh giá lại, cấp lại không phải sản phẩm mới. Tính cho "
                       "huyện nơi sản xuất sản phẩm."),
        base=rules.first_recognised,
        basis=Basis("evaluations", "product", rules.first_recognition_basis,
                    evidence.first_recognition, required=False),
    ),
    IndicatorEntry(
        code="consolidated_subjects", kind=SUBJECT,
        name="Chủ thể có sản phẩm OCOP được củng cố, phát triển", short_name="Chủ thể củng cố",
        unit="chủ thể", appendix=1,
        definition=("Củng cố, phát triển 8 chủ thể có sản phẩm OCOP đã được công nhận để mở rộng "
                    "quy mô sản xuất, tăng khả năng cạnh tranh trên thị trường."),
        counting_rule=("Chủ thể có sản phẩm được công nhận OCOP (từ 3 sao) trước năm và có hỗ trợ "
                       "loại “Củng cố, mở rộng quy mô sản xuất” ghi ngày trong năm. Mỗi chủ thể "
                       "tính một lần, cho huyện theo địa chỉ của chủ thể."),
        base=rules.consolidated,
        basis=Basis("supports", "subject", rules.consolidation_basis, evidence.consolidation),
    ),
    IndicatorEntry(
        code="new_subjects", kind=SUBJECT, name="Chủ thể mới có sản phẩm tham gia",
        short_name="Chủ thể mới", unit="chủ thể", appendix=1,
        definition=("Phấn đấu hỗ trợ 8 chủ thể mới có sản phẩm tham gia năm 2024 (bình quân 1 chủ "
                    "thể/huyện, thành phố)."),
        counting_rule=("Chủ thể có năm tham gia Chương trình OCOP là năm đang xem và có ít nhất "
                       "một sản phẩm trên cổng. Chủ thể chưa có sản phẩm nào không được tính. Tính "
                       "cho huyện theo địa chỉ của chủ thể."),
        base=rules.new_in_programme,
        basis=Basis("products", "subject", rules.products_basis, evidence.new_subject),
    ),
    IndicatorEntry(
        code="traceability_products", kind=PRODUCT, name="Sản phẩm OCOP có truy xuất nguồn gốc",
        short_name="SP truy xuất nguồn gốc", unit="sản phẩm", appendix=2,
        definition=("Củng cố nâng cao chất lượng sản phẩm OCOP đã được công nhận: có truy xuất "
                    "nguồn gốc (20 sản phẩm)."),
        counting_rule=("Sản phẩm có giấy chứng nhận OCOP còn hiệu lực vào một thời điểm trong năm "
                       "và có truy xuất nguồn gốc áp dụng vào một thời điểm trong năm. Tính cho "
                       "huyện nơi sản xuất sản phẩm."),
        base=rules.recognised,
        basis=Basis("traceability_records", "product", rules.traceability_basis,
                    evidence.traceability),
    ),
    IndicatorEntry(
        code="linkage_subjects", kind=SUBJECT,
        name="Chủ thể tham gia liên kết sản xuất và tiêu thụ sản phẩm",
        short_name="Chủ thể liên kết", unit="chủ thể", appendix=2,
        definition="Chủ thể tham gia liên kết trong sản xuất và tiêu thụ sản phẩm (25 chủ thể).",
        counting_rule=("Chủ thể có hợp đồng liên kết còn hiệu lực vào một thời điểm trong năm. Mỗi "
                       "chủ thể tính một lần, cho huyện theo địa chỉ của chủ thể."),
        base=rules.every_subject,
        basis=Basis("linkages", "subject", rules.linkage_basis, evidence.linkage),
    ),
    IndicatorEntry(
        code="advanced_qm_products", kind=PRODUCT,
        name="Sản phẩm OCOP áp dụng quản lý chất lượng tiên tiến",
        short_name="SP quản lý chất lượng", unit="sản phẩm", appendix=2,
        definition=("Củng cố nâng cao chất lượng sản phẩm OCOP đã được công nhận: quản lý chất "
                    "lượng tiên tiến (37 sản phẩm)."),
        counting_rule=("Sản phẩm có giấy chứng nhận OCOP còn hiệu lực vào một thời điểm trong năm "
                       f"và có chứng nhận {_ADVANCED_QM_LABELS} còn hiệu lực vào một thời điểm "
                       "trong năm. Tính cho huyện nơi sản xuất sản phẩm."),
        base=rules.recognised,
        basis=Basis("quality_certifications", "product", rules.advanced_qm_basis,
                    evidence.quality),
    ),
    IndicatorEntry(
        code="media_items_monthly", kind=MEDIA,
        name="Tin, bài, phóng sự tuyên truyền về Chương trình OCOP",
        short_name="Tin, bài truyền thông", unit="tin, bài/tháng", appendix=None,
        definition=(f"Có ít nhất {DEFAULT_MEDIA_ITEMS_PER_MONTH} tin, bài, phóng sự/tháng tuyên "
                    "truyền về Chương trình OCOP trên các phương tiện truyền thông trung ương và "
                    "địa phương."),
        counting_rule=("Tin, bài đăng trong từng tháng của năm (giờ Việt Nam), tính đến ngày số "
                       "liệu; một tháng đạt khi có từ số tin, bài của chỉ tiêu trở lên. Kết quả "
                       "toàn tỉnh là số tháng đạt trên 12 tháng. Theo huyện: số tin, bài gắn với "
                       "huyện trong năm; tin, bài không gắn với huyện nào chỉ tính vào toàn tỉnh."),
        base=rules.media_items,
    ),
)
REGISTRY: dict[str, IndicatorEntry] = {entry.code: entry for entry in ENTRIES}
MEDIA_CODE = "media_items_monthly"
INDICATOR_CODES = tuple(REGISTRY)
# The radar's windows by code: expiring_30, expiring_90.
EXPIRING_WINDOWS = {f"expiring_{days}": days for days in EXPIRY_WINDOWS_DAYS}
RADAR_CODES = ("expired", *EXPIRING_WINDOWS)


# Breakdowns: families of codes with an argument, and the radar.

@dataclass(frozen=True)
class BreakdownRule:
    """A breakdown code of the dashboards (name and argument) with the rule of its records."""

    name: str
    argument: int | None
    kind: str
    rule: RecordsRule


def _stars(stars: int) -> RecordsRule:
    return lambda period: rules.with_stars(period, stars)


def _group(pk: int) -> RecordsRule:
    return lambda period: rules.recognised(period).alias(top_group=rules.top_group()).filter(
        top_group=pk)


def _month(month: int) -> RecordsRule:
    return lambda period: rules.media_items(period).filter(published_at__month=month)


def _radar(name: str) -> RecordsRule:
    if name == "expired":
        return rules.expired
    return rules.expiring_within(EXPIRING_WINDOWS[name])


def _parse(code: str) -> tuple[str, int | None]:
    name, _, argument = str(code).partition(":")
    if not argument:
        return name, None
    try:
        return name, int(argument)
    except ValueError:
        raise UnknownIndicator(code) from None


def resolve(code: str) -> IndicatorEntry | BreakdownRule:
    """The registry entry or the breakdown a code names; UnknownIndicator for any other."""
    name, argument = _parse(code)
    if argument is None and name in REGISTRY:
        return REGISTRY[name]
    if argument is None and name == "recognised":
        return BreakdownRule(name, None, PRODUCT, rules.recognised)
    if argument is None and name in RADAR_CODES:
        return BreakdownRule(name, None, PRODUCT, _radar(name))
    if name == "stars" and argument in RECOGNISED_STARS:
        return BreakdownRule(name, argument, PRODUCT, _stars(argument))
    if name == "group" and argument is not None and argument > 0:
        return BreakdownRule(name, argument, PRODUCT, _group(argument))
    if name == "month" and argument is not None and 1 <= argument <= 12:
        return BreakdownRule(name, argument, MEDIA, _month(argument))
    raise UnknownIndicator(code)


def records_for(code: str, period: Period) -> QuerySet[Any]:
    """The province's records behind the number of `code` in the period."""
    target = resolve(code)
    if isinstance(target, IndicatorEntry):
        return target.records(period)
    return target.rule(period)


def entry_for(code: str) -> IndicatorEntry:
    """The registry entry of an indicator code; UnknownIndicator for a breakdown or nonsense."""
    try:
        return REGISTRY[code]
    except KeyError:
        raise UnknownIndicator(code) from None
