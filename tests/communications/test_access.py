"""The scoping matrix: every page of media coverage against every persona, with the database
state after each request."""

import pytest
from django.test import Client

from communications.models import MediaItem
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

WRITERS = {"province_staff", "admin_user", "district_officer", "other_district_officer"}
# Which item each district officer may reach; everyone else but the anonymous reaches all.
OWN_ITEM = {"district_officer": "cho_don", "other_district_officer": "na_ri"}


def _client(request, persona):
    client = Client()
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    return client, user


def _sees(persona, target):
    if persona in OWN_ITEM:
        return OWN_ITEM[persona] == target
    return True


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", ["/communications/", "/communications/calendar/",
                                  "/communications/calendar/?year=2024",
                                  "/communications/export.xlsx", "/communications/outlets/"])
def test_pages_of_the_whole_scope(request, persona, path, items):
    client, _ = _client(request, persona)
    response = client.get(path)
    if persona == "anonymous":
        _assert_login_redirect(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["cho_don", "na_ri", "province"])
@pytest.mark.parametrize("page", ["", "attachment/", "open/"])
def test_pages_of_one_item(request, persona, target, page, items):
    client, _ = _client(request, persona)
    item = items[target]
    response = client.get(f"/communications/{item.pk}/{page}")
    if persona == "anonymous":
        _assert_login_redirect(response)
    elif not _sees(persona, target):
        assert response.status_code == 404
    elif page == "attachment/":
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 " + target.encode()
        assert response["Content-Disposition"].startswith("attachment;")
    elif page == "open/":
        assert response.status_code == 302
        assert response["Location"] == item.url
    else:
        assert response.status_code == 200
        assert item.title in response.content.decode()


def _form_data(outlet, district, **overrides):
    data = {"title": "Miến dong Côn Minh vào siêu thị", "kind": "tin", "outlet": outlet.pk,
            "published_on": "20/05/2024", "published_time": "21:15",
            "url": "https://nongnghiep.vn/mien-dong-con-minh.html", "author": "Lương Thị Hoa",
            "district": district.pk if district else "", "note": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_form(request, persona, items):
    client, _ = _client(request, persona)
    response = client.get("/communications/new/")
    if persona == "anonymous":
        _assert_login_redirect(response)
    elif persona in WRITERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_post(request, persona, items, outlet, cho_don, na_ri):
    client, user = _client(request, persona)
    district = {"other_district_officer": na_ri}.get(persona, cho_don)
    before = MediaItem.objects.count()
    response = client.post("/communications/new/", _form_data(outlet, district))
    if persona == "anonymous":
        _assert_login_redirect(response)
    elif persona in WRITERS:
        created = MediaItem.objects.get(title="Miến dong Côn Minh vào siêu thị")
        assert response.status_code == 302
        assert response["Location"] == f"/communications/{created.pk}/"
        assert created.district == district
        assert created.created_by == user
        assert created.url_key == "nongnghiep.vn/mien-dong-con-minh.html"
        return
    else:
        assert response.status_code == 403
    assert MediaItem.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["cho_don", "na_ri", "province"])
def test_edit_form(request, persona, target, items):
    client, _ = _client(request, persona)
    response = client.get(f"/communications/{items[target].pk}/edit/")
    if persona == "anonymous":
        _assert_login_redirect(response)
    elif not _sees(persona, target):
        assert response.status_code == 404
    elif persona in WRITERS:
        assert response.status_code == 200
        assert items[target].title in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["cho_don", "na_ri", "province"])
def test_edit_post(request, persona, target, items, outlet):
    client, _ = _client(request, persona)
    item = items[target]
    versions = item.history.count()
    response = client.post(f"/communications/{item.pk}/edit/", _form_data(
        outlet, item.district, title="Tiêu đề đã sửa", url=item.url))
    item.refresh_from_db()
    if persona == "anonymous":
        _assert_login_redirect(response)
    elif not _sees(persona, target):
        assert response.status_code == 404
    elif persona in WRITERS:
        assert response.status_code == 302
        assert item.title == "Tiêu đề đã sửa"
        assert item.history.count() == versions + 1
        return
    else:
        assert response.status_code == 403
    assert item.title.startswith("Tin “")
    assert item.history.count() == versions


@pytest.mark.parametrize("persona", PERSONAS)
def test_outlet_pages_are_for_province_staff_and_admins(request, persona, outlet):
    client, _ = _client(request, persona)
    responses = [
        client.get("/communications/outlets/new/"),
        client.post("/communications/outlets/new/", {"name": "Báo Nhân Dân",
                                                     "level": "trung_uong"}),
        client.get(f"/communications/outlets/{outlet.pk}/edit/"),
        client.post(f"/communications/outlets/{outlet.pk}/edit/",
                    {"name": "Báo Bắc Kạn điện tử", "level": "tinh"}),
    ]
    outlet.refresh_from_db()
    if persona == "anonymous":
        for response in responses:
            _assert_login_redirect(response)
    elif persona in ("province_staff", "admin_user"):
        assert [r.status_code for r in responses] == [200, 302, 200, 302]
        assert outlet.name == "Báo Bắc Kạn điện tử"
        assert MediaItem.objects.count() == 0
        assert outlet.__class__.objects.filter(name="Báo Nhân Dân", level="trung_uong").exists()
        return
    else:
        assert [r.status_code for r in responses] == [403] * 4
    assert outlet.name == "Báo Bắc Kạn"
    assert not outlet.__class__.objects.filter(name="Báo Nhân Dân").exists()
