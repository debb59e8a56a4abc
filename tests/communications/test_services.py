import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communications.models import MediaItem, MediaKind, Outlet, OutletLevel
from communications.services import (
    DuplicateMediaItem,
    media_item_create,
    media_item_update,
    outlet_create,
    outlet_update,
)
from tests.communications.factories import MediaItemFactory, OutletFactory, local
from tests.factories import ProductFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet(reference_data):
    return OutletFactory(name="Báo Bắc Kạn", level=OutletLevel.PROVINCE)


def _create(user, outlet, **overrides):
    values = {"title": "Trà Shan tuyết  Bằng Phúc đạt 4 sao", "kind": MediaKind.ARTICLE,
              "outlet": outlet, "published_at": local(2024, 5, 20, 10, 0),
              "url": "https://baobackan.vn/ocop/tra-shan-tuyet.html", "author": "Ma Văn Đức"}
    values.update(overrides)
    return media_item_create(user=user, **values)


def test_province_staff_records_a_province_wide_item_with_its_keys(province_staff, outlet):
    item = _create(province_staff, outlet)
    item.refresh_from_db()
    assert item.district is None
    assert item.title == "Trà Shan tuyết Bằng Phúc đạt 4 sao"
    assert item.url_key == "baobackan.vn/ocop/tra-shan-tuyet.html"
    assert item.search_text == "tra shan tuyet bang phuc dat 4 sao bao bac kan ma van duc"
    assert item.created_by == province_staff
    assert item.history.count() == 1


@pytest.mark.parametrize("url", [
    "http://baobackan.vn/ocop/tra-shan-tuyet.html",
    "https://www.baobackan.vn/ocop/tra-shan-tuyet.html/",
    "https://BAOBACKAN.vn/ocop/tra-shan-tuyet.html?utm_source=facebook&fbclid=IwAR0x",
    "https://baobackan.vn/ocop/tra-shan-tuyet.html#top",
    "https://baobackan.vn:443/ocop/tra-shan-tuyet.html?zarsi=2",
])
def test_a_second_item_with_the_same_address_is_refused_and_nothing_saved(
        province_staff, outlet, url):
    first = _create(province_staff, outlet)
    with pytest.raises(DuplicateMediaItem) as caught:
        _create(province_staff, outlet, title="Bài khác", url=url)
    assert caught.value.existing == first
    assert "url" in caught.value.message_dict
    assert MediaItem.objects.count() == 1


def test_items_without_address_are_not_duplicates(province_staff, outlet):
    _create(province_staff, outlet, url="")
    _create(province_staff, outlet, url="", title="Phóng sự truyền hình")
    assert MediaItem.objects.filter(url_key="").count() == 2


def test_an_item_keeps_its_own_address_when_edited(province_staff, outlet):
    item = _create(province_staff, outlet)
    media_item_update(media_item=item, user=province_staff, title="Tiêu đề mới",
                      url="http://www.baobackan.vn/ocop/tra-shan-tuyet.html")
    item.refresh_from_db()
    assert item.title == "Tiêu đề mới"
    assert item.search_text.startswith("tieu de moi")


def test_editing_onto_another_items_address_is_refused(province_staff, outlet):
    _create(province_staff, outlet)
    other = _create(province_staff, outlet, url="https://baobackan.vn/ocop/mien-dong.html")
    with pytest.raises(DuplicateMediaItem):
        media_item_update(media_item=other, user=province_staff,
                          url="https://baobackan.vn/ocop/tra-shan-tuyet.html?utm_medium=zalo")
    other.refresh_from_db()
    assert other.url == "https://baobackan.vn/ocop/mien-dong.html"


def test_district_officer_records_items_of_their_district_only(district_officer, outlet,
                                                                cho_don, na_ri):
    item = _create(district_officer, outlet, district=cho_don)
    assert item.district == cho_don
    with pytest.raises(PermissionDenied):
        _create(district_officer, outlet, district=na_ri, url="https://a.vn/1")
    with pytest.raises(ValidationError) as caught:
        _create(district_officer, outlet, district=None, url="https://a.vn/2")
    assert "district" in caught.value.message_dict
    assert MediaItem.objects.count() == 1


def test_district_officer_cannot_move_an_item_to_another_district(district_officer, outlet,
                                                                   cho_don, na_ri):
    item = _create(district_officer, outlet, district=cho_don)
    with pytest.raises(PermissionDenied):
        media_item_update(media_item=item, user=district_officer, district=na_ri)
    assert MediaItem.objects.get().district == cho_don


def test_district_officer_cannot_edit_another_districts_item(other_district_officer, outlet,
                                                             cho_don):
    item = MediaItemFactory(district=cho_don, title="Tin Chợ Đồn")
    with pytest.raises(PermissionDenied):
        media_item_update(media_item=item, user=other_district_officer, title="Sửa trộm")
    assert MediaItem.objects.get().title == "Tin Chợ Đồn"


def test_leader_writes_nothing(leader, outlet):
    with pytest.raises(PermissionDenied):
        _create(leader, outlet)
    item = MediaItemFactory()
    with pytest.raises(PermissionDenied):
        media_item_update(media_item=item, user=leader, title="x")
    assert MediaItem.objects.count() == 1


def test_only_products_and_subjects_the_user_sees_can_be_featured(district_officer, outlet,
                                                                  cho_don, na_ri):
    own = ProductFactory(subject=SubjectFactory(district=cho_don))
    foreign = ProductFactory(subject=SubjectFactory(district=na_ri))
    item = _create(district_officer, outlet, district=cho_don, products=[own],
                   subjects=[own.subject])
    assert list(item.products.all()) == [own]
    assert list(item.subjects.all()) == [own.subject]
    with pytest.raises(ValidationError):
        _create(district_officer, outlet, district=cho_don, url="https://a.vn/3",
                products=[foreign])
    with pytest.raises(ValidationError):
        media_item_update(media_item=item, user=district_officer, subjects=[foreign.subject])
    assert list(item.subjects.all()) == [own.subject]


def test_a_publication_in_the_future_is_refused(province_staff, outlet):
    with pytest.raises(ValidationError) as caught:
        _create(province_staff, outlet, published_at=local(2204, 5, 20, 10, 0))
    assert "published_at" in caught.value.message_dict
    assert not MediaItem.objects.exists()


def test_an_attachment_must_be_a_pdf_or_an_image(province_staff, outlet):
    script = SimpleUploadedFile("bai-bao.html", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as caught:
        _create(province_staff, outlet, attachment=script)
    assert "attachment" in caught.value.message_dict
    pdf = SimpleUploadedFile("bài báo.pdf", b"%PDF-1.4 test")
    item = _create(province_staff, outlet, attachment=pdf)
    assert item.attachment.name.startswith("media-items/")
    assert item.attachment.name.endswith(".pdf")


def test_update_rejects_unknown_fields(province_staff):
    item = MediaItemFactory()
    with pytest.raises(TypeError):
        media_item_update(media_item=item, user=province_staff, url_key="x")


def test_province_staff_adds_an_outlet_once_whatever_the_spelling(province_staff, reference_data):
    outlet = outlet_create(user=province_staff, name="  Báo  Nông nghiệp Việt Nam ",
                           level=OutletLevel.CENTRAL)
    assert outlet.name == "Báo Nông nghiệp Việt Nam"
    with pytest.raises(ValidationError):
        outlet_create(user=province_staff, name="BÁO NÔNG NGHIỆP VIỆT NAM",
                      level=OutletLevel.CENTRAL)
    assert Outlet.objects.count() == 1


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_only_province_staff_and_admins_add_outlets(request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        outlet_create(user=user, name="Báo Bắc Kạn", level=OutletLevel.PROVINCE)
    assert not Outlet.objects.exists()


def test_renaming_an_outlet_keeps_its_items_searchable(admin_user):
    item = MediaItemFactory(outlet=OutletFactory(name="Bao Bac Kan cu"))
    outlet_update(outlet=item.outlet, user=admin_user, name="Báo Bắc Kạn điện tử",
                  level=OutletLevel.PROVINCE)
    item.refresh_from_db()
    assert "bao bac kan dien tu" in item.search_text
