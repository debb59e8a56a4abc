import pytest
from django.test import Client

from communications.models import MediaItem
from tests.communications.factories import MediaItemFactory, OutletFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _add_data(outlet, url):
    return {"title": "Bánh khảo Na Rì", "kind": "bai", "outlet": outlet.pk,
            "published_at_0": "20/05/2024", "published_at_1": "23:30:00", "url": url,
            "author": "", "district": "", "note": "", "products": "", "subjects": ""}


@pytest.mark.parametrize("persona", ["province_staff", "admin_user"])
def test_back_office_lists_searches_and_shows_history(request, persona):
    item = MediaItemFactory(title="Trà Shan tuyết đạt 4 sao")
    client = _client(request.getfixturevalue(persona))
    assert client.get("/admin/communications/mediaitem/", {"q": "Shan"}).status_code == 200
    assert client.get("/admin/communications/mediaitem/", {"kind__exact": "tin"}).status_code \
        == 200
    assert client.get(f"/admin/communications/mediaitem/{item.pk}/history/").status_code == 200
    assert client.get("/admin/communications/outlet/", {"q": "Báo"}).status_code == 200


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_back_office_is_closed_to_officers_and_leaders(request, persona):
    response = _client(request.getfixturevalue(persona)).get("/admin/communications/mediaitem/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_back_office_keeps_the_keys_and_refuses_a_duplicate_address(admin_user):
    outlet = OutletFactory(name="Báo Bắc Kạn")
    client = _client(admin_user)
    response = client.post("/admin/communications/mediaitem/add/",
                           _add_data(outlet, "https://www.baobackan.vn/ocop/banh-khao/"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = MediaItem.objects.get()
    assert item.url_key == "baobackan.vn/ocop/banh-khao"
    assert item.search_text == "banh khao na ri bao bac kan"
    assert item.created_by == admin_user
    response = client.post("/admin/communications/mediaitem/add/",
                           _add_data(outlet, "http://baobackan.vn/ocop/banh-khao?utm_source=x"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert MediaItem.objects.count() == 1


def test_renaming_an_outlet_in_the_back_office_keeps_items_searchable(admin_user):
    item = MediaItemFactory(outlet=OutletFactory(name="Bao cu"))
    response = _client(admin_user).post(
        f"/admin/communications/outlet/{item.outlet.pk}/change/",
        {"name": "Báo Bắc Kạn", "level": "tinh", "website": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert "bao bac kan" in item.search_text
