"""How complete a product's dossier (hồ sơ) is: the items a provincial office expects a product's
record to carry and when each applies, as SQL conditions on the product's row.

The items, as the province's OCOP office checks a dossier:

- **Xã sản xuất**: the production commune; always (a product belongs to its commune's district,
  and the figures by Thái Nguyên's new communes read it).
- **Nhóm sản phẩm (đến phân nhóm)**: always; the group must be a sub-group (phân nhóm), or a group
  that has none, since the criteria a council scores by are those of the sub-group. A group left
  at its top level (as the Excel import records one) is missing. This is the product form's own
  rule for a new product.
- **Ảnh sản phẩm**: always.
- **Bản chụp quyết định công nhận**: for a recognised product (one with a current certificate),
  the scan of the decision that granted its current certificate. Older decisions are history; the
  one in force is what the dossier must show.
- **Tiêu chuẩn chất lượng có ngày cấp, ngày hết hạn**: when the product has quality
  certifications. Each standard it holds needs one certification with both its dates: the issue
  date is always recorded, so what is looked for is the expiry date, without which the portal
  takes the certification to be in force for ever (and counts it for `advanced_qm_products`). A
  standard declared through the Excel import has no expiry date; recording the certificate
  itself (with its dates) completes it.
- **Hồ sơ truy xuất nguồn gốc có ngày áp dụng**: where traceability is declared (the product has a
  traceability record), one record naming its system with the day it applies from. The Excel
  import's “Có” records an unnamed system dated from the decision, a declaration rather than the
  record itself.

The score and its machinery are ocop_portal.completeness's.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from ocop_portal.completeness import Dossier, DossierItem, annotate, dossier_of
from products.imports.apply import TRACEABILITY_SYSTEM
from products.models import Product, ProductGroup, QualityCertification, Traceability

# The taxonomy has two levels: a group without sub-groups is a sub-group or a group alone.
_has_subgroups = Exists(ProductGroup.objects.filter(parent=OuterRef("group_id")))
_standards = QualityCertification.objects.filter(product=OuterRef("pk"))
# A standard of the product none of whose certifications has an expiry date.
_standard_without_dates = _standards.filter(expires_on__isnull=True).exclude(
    Exists(QualityCertification.objects.filter(product=OuterRef("product_id"),
                                               standard=OuterRef("standard"),
                                               expires_on__isnull=False)))
_traceability = Traceability.objects.filter(product=OuterRef("pk"))

PRODUCT_ITEMS: tuple[DossierItem, ...] = (
    DossierItem("commune", "Xã sản xuất", None, Q(commune__isnull=False)),
    DossierItem("group", "Nhóm sản phẩm (đến phân nhóm)", None,
                ~_has_subgroups),
    DossierItem("photo", "Ảnh sản phẩm", None, ~Q(photo="")),
    DossierItem("decision_scan", "Bản chụp quyết định công nhận",
                Q(current_certificate__isnull=False),
                ~Q(current_certificate__evaluation__decision_scan="")),
    DossierItem("standards", "Tiêu chuẩn chất lượng có ngày cấp, ngày hết hạn",
                Exists(_standards), ~Exists(_standard_without_dates)),
    DossierItem("traceability", "Hồ sơ truy xuất nguồn gốc có ngày áp dụng",
                Exists(_traceability),
                Exists(_traceability.exclude(system=TRACEABILITY_SYSTEM)
                       .filter(started_on__isnull=False))),
)


def with_completeness(queryset: QuerySet) -> QuerySet:
    """Products of `queryset` annotated with their dossier's items and score."""
    return annotate(queryset, PRODUCT_ITEMS)


def product_dossier(product: Product) -> Dossier:
    """The dossier of one product (one query), as the lists count it."""
    annotated = with_completeness(Product.all_objects.filter(pk=product.pk)).get()
    return dossier_of(annotated, PRODUCT_ITEMS)
