import pytest
from django.core.files.base import ContentFile

from communications.models import OutletLevel
from tests.communications.factories import MediaItemFactory, OutletFactory, local


@pytest.fixture
def outlet(reference_data):
    return OutletFactory(name="Báo Bắc Kạn", level=OutletLevel.PROVINCE)


@pytest.fixture
def items(cho_don, na_ri, outlet):
    """One item of Chợ Đồn, one of Na Rì and one about the whole province, each with a file."""
    made = {}
    for key, district in (("cho_don", cho_don), ("na_ri", na_ri), ("province", None)):
        item = MediaItemFactory(
            title=f"Tin “{key}”: Trà Shan tuyết đạt 4 sao", outlet=outlet, district=district,
            published_at=local(2024, 5, 10, 9, 0),
            url=f"https://baobackan.vn/ocop/{key}.html")
        item.attachment.save(f"{key}.pdf", ContentFile(b"%PDF-1.4 " + key.encode()), save=True)
        made[key] = item
    return made
