"""How complete a producer's dossier (hồ sơ chủ thể) is: the items the province's OCOP office
expects a producer's record to carry and when each applies, as SQL conditions on its row (the
score and its machinery are ocop_portal.completeness's).

- **Mã số thuế/ĐKKD**: for every type of producer but the cooperation group (tổ hợp tác). A
  cooperative, an enterprise or a business household is registered and has the number; a
  production establishment takes part in OCOP as a registered household business (QĐ
  148/QĐ-TTg: "hộ sản xuất có đăng ký kinh doanh"). A cooperation group is founded by a contract
  authenticated by the commune, with no tax or business registration number of its own.
- **Người đại diện**: the legal representative; always.
- **Điện thoại**: always.
- **Địa chỉ (thôn, bản và xã)**: always; both the village part and the commune, since the address
  on a certificate and a letter needs both.
"""

from django.db.models import Q, QuerySet

from ocop_portal.completeness import Dossier, DossierItem, annotate, dossier_of
from subjects.models import Subject, SubjectType

SUBJECT_ITEMS: tuple[DossierItem, ...] = (
    DossierItem("registration_number", "Mã số thuế/ĐKKD",
                ~Q(subject_type=SubjectType.COOPERATIVE_GROUP), ~Q(registration_number="")),
    DossierItem("representative", "Người đại diện", None, ~Q(legal_representative="")),
    DossierItem("phone", "Điện thoại", None, ~Q(phone="")),
    DossierItem("address", "Địa chỉ (thôn, bản và xã)", None,
                ~Q(address="") & Q(commune__isnull=False)),
)


def with_completeness(queryset: QuerySet) -> QuerySet:
    """Producers of `queryset` annotated with their dossier's items and score."""
    return annotate(queryset, SUBJECT_ITEMS)


def subject_dossier(subject: Subject) -> Dossier:
    """The dossier of one producer (one query), as the lists count it."""
    annotated = with_completeness(Subject.all_objects.filter(pk=subject.pk)).get()
    return dossier_of(annotated, SUBJECT_ITEMS)
