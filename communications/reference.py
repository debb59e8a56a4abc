"""The outlets that most often cover OCOP in Bắc Kạn, so that a first item can be recorded
without waiting for the province office to type them in."""

from django.db import transaction

from communications.models import Outlet, OutletLevel
from ocop_portal.services import LoadResult

OUTLETS = [
    ("Báo Nhân Dân", OutletLevel.CENTRAL),
    ("Báo Nông nghiệp Việt Nam", OutletLevel.CENTRAL),
    ("Đài Truyền hình Việt Nam (VTV)", OutletLevel.CENTRAL),
    ("Đài Tiếng nói Việt Nam (VOV)", OutletLevel.CENTRAL),
    ("Thông tấn xã Việt Nam", OutletLevel.CENTRAL),
    ("Báo Bắc Kạn", OutletLevel.PROVINCE),
    ("Đài Phát thanh và Truyền hình tỉnh Bắc Kạn", OutletLevel.PROVINCE),
    ("Cổng Thông tin điện tử tỉnh Bắc Kạn", OutletLevel.PROVINCE),
]


@transaction.atomic
def outlets_load() -> LoadResult:
    """Add the common outlets that are missing; outlets already there are left as staff set them."""
    result = LoadResult()
    for name, level in OUTLETS:
        _, created = Outlet.objects.get_or_create(name=name, defaults={"level": level})
        if created:
            result.created += 1
        else:
            result.unchanged += 1
    return result
