import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from communications.models import MediaItem, OutletLevel
from communications.selectors import media_items_for_product
from targets.indicators import media_month_counts
from tests.communications.factories import MediaItemFactory, OutletFactory, local
from tests.factories import ProductFactory, SubjectFactory
from tests.helpers import external_references

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _titles(response):
    return [item.title for item in response.context["page_obj"]]


# List and filters


def test_search_ignores_diacritics_and_case_over_title_outlet_and_author(province_staff):
    by_title = MediaItemFactory(title="Trà Shan tuyết Bằng Phúc đạt 4 sao")
    by_outlet = MediaItemFactory(outlet=OutletFactory(name="Báo Nông nghiệp Việt Nam"))
    by_author = MediaItemFactory(author="Nông Văn Đức")
    client = _client(province_staff)
    assert _titles(client.get("/communications/", {"q": "TRA SHAN tuyet"})) == [by_title.title]
    assert _titles(client.get("/communications/", {"q": "nong nghiep"})) == [by_outlet.title]
    assert _titles(client.get("/communications/", {"q": "văn đức"})) == [by_author.title]


def test_list_filters_by_year_month_kind_level_and_district(province_staff, cho_don, na_ri):
    central = OutletFactory(name="Báo Nhân Dân", level=OutletLevel.CENTRAL)
    match = MediaItemFactory(published_at=local(2024, 5, 31, 23, 30), kind="phong_su",
                             outlet=central, district=cho_don)
    MediaItemFactory(published_at=local(2024, 6, 1, 0, 30), kind="phong_su", outlet=central,
                     district=cho_don)
    MediaItemFactory(published_at=local(2024, 5, 2, 8, 0), kind="tin", outlet=central,
                     district=cho_don)
    MediaItemFactory(published_at=local(2024, 5, 3, 8, 0), kind="phong_su", district=cho_don)
    MediaItemFactory(published_at=local(2024, 5, 4, 8, 0), kind="phong_su", outlet=central,
                     district=na_ri)
    MediaItemFactory(published_at=local(2023, 5, 4, 8, 0), kind="phong_su", outlet=central,
                     district=cho_don)
    response = _client(province_staff).get("/communications/", {
        "year": 2024, "month": 5, "kind": "phong_su", "outlet_level": "trung_uong",
        "district": "064"})
    assert _titles(response) == [match.title]


def test_list_filters_by_product(province_staff, cho_don):
    product = ProductFactory(subject=SubjectFactory(district=cho_don), name="Miến dong Côn Minh")
    featured = MediaItemFactory(products=[product])
    MediaItemFactory()
    response = _client(province_staff).get("/communications/", {"product": product.pk})
    assert _titles(response) == [featured.title]
    assert "Sản phẩm: Miến dong Côn Minh" in response.content.decode()


def test_list_is_paginated_by_25_newest_first(province_staff):
    for day in range(1, 31):
        MediaItemFactory(published_at=local(2024, 4, day, 8, 0), title=f"Tin ngày {day:02d}")
    client = _client(province_staff)
    first = client.get("/communications/")
    assert len(first.context["page_obj"]) == 25
    assert _titles(first)[0] == "Tin ngày 30"
    second = client.get("/communications/", {"page": 2})
    assert _titles(second) == [f"Tin ngày {day:02d}" for day in range(5, 0, -1)]


def test_district_filter_offers_only_the_officers_district(district_officer, province_staff):
    officer_choices = _client(district_officer).get("/communications/").context[
        "filter"].form.fields["district"].queryset
    assert [d.code for d in officer_choices] == ["064"]
    staff_choices = _client(province_staff).get("/communications/").context[
        "filter"].form.fields["district"].queryset
    assert len(staff_choices) == 8


def test_a_crafted_district_filter_shows_no_other_districts_items(district_officer, cho_don,
                                                                   na_ri):
    own = MediaItemFactory(district=cho_don)
    MediaItemFactory(district=na_ri)
    MediaItemFactory(district=None)
    response = _client(district_officer).get("/communications/", {"district": "066"})
    assert response.status_code == 200
    # Na Rì is not the officer's to see: nothing is listed, not even their own items.
    assert _titles(response) == []
    assert "district" in response.context["filter"].form.errors
    assert _titles(_client(district_officer).get("/communications/")) == [own.title]


@pytest.mark.parametrize("count", [5, 60])
def test_list_query_count_does_not_grow_with_items(province_staff, django_assert_num_queries,
                                                   cho_don, count):
    MediaItemFactory.create_batch(count, district=cho_don)
    client = _client(province_staff)
    # Session, user, count, page of items, district choices.
    with django_assert_num_queries(5):
        response = client.get("/communications/", {"year": 2024, "q": "ocop"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count


def test_leader_sees_no_write_buttons(leader):
    item = MediaItemFactory()
    html = _client(leader).get("/communications/").content.decode()
    assert "/communications/new/" not in html
    assert f"/communications/{item.pk}/edit/" not in _client(leader).get(
        f"/communications/{item.pk}/").content.decode()


def test_pages_link_to_no_other_host(province_staff):
    item = MediaItemFactory(url="https://baobackan.vn/ocop/bai-viet.html")
    client = _client(province_staff)
    for path in ("/communications/", f"/communications/{item.pk}/",
                 f"/communications/{item.pk}/edit/", "/communications/calendar/?year=2024"):
        html = client.get(path).content.decode()
        assert external_references(html) == [], path
    assert f'href="/communications/{item.pk}/open/"' in client.get(
        f"/communications/{item.pk}/").content.decode()


def test_an_item_without_attachment_or_address_answers_404(province_staff):
    item = MediaItemFactory(url="")
    client = _client(province_staff)
    assert client.get(f"/communications/{item.pk}/attachment/").status_code == 404
    assert client.get(f"/communications/{item.pk}/open/").status_code == 404


# Calendar


def _calendar_counts(response):
    return [cell.count for cell in response.context["months"]]


def test_calendar_counts_the_last_evening_of_may_in_may(province_staff):
    MediaItemFactory(published_at=local(2024, 5, 31, 23, 30))
    MediaItemFactory(published_at=local(2024, 6, 1, 0, 30))
    response = _client(province_staff).get("/communications/calendar/", {"year": 2024})
    assert _calendar_counts(response) == [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]


def test_calendar_figures_equal_the_indicator_counts(province_staff, district_officer, cho_don,
                                                     na_ri):
    for month, district in [(1, cho_don), (1, na_ri), (1, None), (3, cho_don), (3, cho_don),
                            (7, None), (12, na_ri)]:
        MediaItemFactory(published_at=local(2024, month, 10, 8, 0), district=district)
    counts = media_month_counts(year=2024)
    province = _client(province_staff).get("/communications/calendar/", {"year": 2024})
    assert _calendar_counts(province) == [
        sum(n for (_, m), n in counts.items() if m == month) for month in range(1, 13)]
    district = _client(district_officer).get("/communications/calendar/", {"year": 2024})
    assert _calendar_counts(district) == [counts.get((cho_don.pk, m), 0) for m in range(1, 13)]
    assert "chỉ tính tin, bài gắn với" in district.content.decode()


@pytest.mark.parametrize("persona", ["province_staff", "district_officer"])
def test_each_month_links_to_a_list_with_the_same_count(request, persona, cho_don, na_ri):
    for month, district in [(2, cho_don), (2, na_ri), (2, None), (5, cho_don), (5, cho_don),
                            (5, None), (9, na_ri)]:
        MediaItemFactory(published_at=local(2024, month, 28, 22, 0), district=district)
    client = _client(request.getfixturevalue(persona))
    calendar = client.get("/communications/calendar/", {"year": 2024})
    html = calendar.content.decode()
    for cell in calendar.context["months"]:
        link = f"/communications/?indicator=month%3A{cell.month}&amp;year=2024"
        assert link in html
        listing = client.get("/communications/", {"indicator": f"month:{cell.month}",
                                                  "year": 2024})
        assert listing.context["page_obj"].paginator.count == cell.count


def test_calendar_marks_months_met_and_missed(province_staff):
    MediaItemFactory.create_batch(2, published_at=local(2024, 1, 10, 8, 0))
    MediaItemFactory(published_at=local(2024, 2, 10, 8, 0))
    response = _client(province_staff).get("/communications/calendar/", {"year": 2024})
    statuses = [cell.status for cell in response.context["months"]]
    assert statuses == ["met"] + ["missed"] * 11
    assert response.context["met_count"] == 1
    assert response.context["elapsed_count"] == 12
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "Không đạt (thiếu 1)" in html
    assert "border-success" in html


def test_calendar_of_an_unknown_year_shows_the_default_year(province_staff):
    response = _client(province_staff).get("/communications/calendar/", {"year": "abc"})
    assert response.status_code == 200
    # The plan in force (Kế hoạch 180 of 2024), as on the dashboard.
    assert response.context["year"] == 2024
    assert _client(province_staff).get("/communications/calendar/",
                                       {"year": 1900}).context["year"] != 1900


def test_the_current_month_says_how_many_are_still_needed(province_staff):
    today = timezone.localdate()
    MediaItemFactory(published_at=timezone.now())
    response = _client(province_staff).get("/communications/calendar/", {"year": today.year})
    current = response.context["current"]
    assert response.context["year"] == today.year
    assert current.month == today.month
    assert current.still_needed == 1
    assert "còn cần 1" in response.content.decode()


# Create and edit


def _form_data(outlet, district, **overrides):
    data = {"title": "Hồng không hạt Ba Bể", "kind": "bai", "outlet": outlet.pk,
            "published_on": "31/05/2024", "published_time": "23:30",
            "url": "https://baobackan.vn/ocop/hong-khong-hat.html", "author": "",
            "district": district.pk if district else "", "note": ""}
    data.update(overrides)
    return data


def test_publication_time_is_read_in_vietnam_time(province_staff, outlet):
    response = _client(province_staff).post("/communications/new/", _form_data(outlet, None))
    assert response.status_code == 302
    item = MediaItem.objects.get()
    assert item.published_at == local(2024, 5, 31, 23, 30)
    assert media_month_counts(year=2024) == {(None, 5): 1}


def test_form_offers_only_the_officers_district_products_and_subjects(district_officer,
                                                                       cho_don, na_ri):
    own = ProductFactory(subject=SubjectFactory(district=cho_don))
    ProductFactory(subject=SubjectFactory(district=na_ri))
    form = _client(district_officer).get("/communications/new/").context["form"]
    assert list(form.fields["district"].queryset) == [cho_don]
    assert list(form.fields["products"].queryset) == [own]
    assert list(form.fields["subjects"].queryset) == [own.subject]


def test_district_officer_cannot_post_another_district_or_none(district_officer, outlet, na_ri):
    client = _client(district_officer)
    for district in (na_ri, None):
        response = client.post("/communications/new/", _form_data(outlet, district))
        assert response.status_code == 200
        assert response.context["form"].errors["district"]
    assert not MediaItem.objects.exists()


@pytest.mark.parametrize("variant", [
    "http://baobackan.vn/ocop/hong-khong-hat.html",
    "https://www.baobackan.vn/ocop/hong-khong-hat.html/",
    "https://BAOBACKAN.VN/ocop/hong-khong-hat.html?utm_source=zalo&utm_medium=share",
    "https://baobackan.vn/ocop/hong-khong-hat.html?fbclid=IwAR0x#comments",
    "baobackan.vn/ocop/hong-khong-hat.html?gclid=1&zarsi=2",
])
def test_a_duplicate_address_is_refused_with_a_link_to_the_existing_item(province_staff,
                                                                          outlet, variant):
    existing = MediaItemFactory(url="https://baobackan.vn/ocop/hong-khong-hat.html",
                                title="Hồng không hạt đã đăng")
    response = _client(province_staff).post("/communications/new/",
                                            _form_data(outlet, None, url=variant))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đường dẫn này đã được ghi nhận" in html
    assert f'href="/communications/{existing.pk}/"' in html
    assert response.context["form"].errors["url"]
    assert MediaItem.objects.count() == 1


def test_a_duplicate_outside_the_officers_scope_is_named_without_a_link(district_officer,
                                                                        outlet, cho_don, na_ri):
    existing = MediaItemFactory(url="https://baobackan.vn/ocop/hong-khong-hat.html",
                                district=na_ri, title="Tin của Na Rì")
    response = _client(district_officer).post("/communications/new/",
                                              _form_data(outlet, cho_don))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ngoài phạm vi bạn được xem" in html
    assert f"/communications/{existing.pk}/" not in html
    assert "Tin của Na Rì" not in html
    assert MediaItem.objects.count() == 1


def test_editing_shows_the_local_publication_time(province_staff):
    item = MediaItemFactory(published_at=local(2024, 5, 31, 23, 30))
    form = _client(province_staff).get(f"/communications/{item.pk}/edit/").context["form"]
    assert str(form["published_on"].value()) == "2024-05-31"
    assert str(form["published_time"].value()) == "23:30:00"


def test_an_attachment_is_uploaded_replaced_and_cleared(province_staff, outlet):
    client = _client(province_staff)
    data = _form_data(outlet, None, attachment=SimpleUploadedFile("bài báo.pdf", b"%PDF-1.4 a"))
    assert client.post("/communications/new/", data).status_code == 302
    item = MediaItem.objects.get()
    with item.attachment.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 a"
    unchanged = _form_data(outlet, None, title="Tiêu đề mới")
    assert client.post(f"/communications/{item.pk}/edit/", unchanged).status_code == 302
    item.refresh_from_db()
    assert item.attachment
    assert item.title == "Tiêu đề mới"
    cleared = _form_data(outlet, None, **{"attachment-clear": "on"})
    assert client.post(f"/communications/{item.pk}/edit/", cleared).status_code == 302
    item.refresh_from_db()
    assert not item.attachment


def test_an_html_attachment_is_refused(province_staff, outlet):
    data = _form_data(outlet, None, attachment=SimpleUploadedFile("x.html", b"<script>"))
    response = _client(province_staff).post("/communications/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"]
    assert not MediaItem.objects.exists()


# Export


def _rows(response):
    """The header and the rows of the table: down to the blank row above the signatures, none
    when the table says "Không có"."""
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    body = []
    for row in rows[header + 1:]:
        if not any(row) or row[0] == "Không có":
            break
        body.append(row)
    return rows[header], body


def test_export_holds_only_the_officers_district_even_with_a_crafted_filter(
        district_officer, cho_don, na_ri):
    own = MediaItemFactory(district=cho_don, title="Trà Shan tuyết Bằng Phúc đạt 4 sao",
                           author="Ma Văn Đức")
    MediaItemFactory(district=na_ri, title="Miến dong Côn Minh")
    MediaItemFactory(district=None, title="Tin toàn tỉnh")
    crafted = _client(district_officer).get("/communications/export.xlsx", {"district": "066"})
    assert crafted.status_code == 200
    assert _rows(crafted)[1] == []
    response = _client(district_officer).get("/communications/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, rows = _rows(response)
    assert header[2] == "Tiêu đề"
    assert [row[2] for row in rows] == [own.title]
    assert rows[0][6] == "Chợ Đồn"
    assert rows[0][7] == "Ma Văn Đức"


def test_export_follows_the_list_filters(province_staff, cho_don, na_ri):
    MediaItemFactory(district=cho_don, published_at=local(2024, 5, 31, 23, 30),
                     title="Tháng năm")
    MediaItemFactory(district=na_ri, published_at=local(2024, 6, 1, 0, 30), title="Tháng sáu")
    client = _client(province_staff)
    _, rows = _rows(client.get("/communications/export.xlsx", {"year": 2024, "month": 5}))
    assert [row[2] for row in rows] == ["Tháng năm"]
    assert rows[0][1].strftime("%d/%m/%Y %H:%M") == "31/05/2024 23:30"
    _, rows = _rows(client.get("/communications/export.xlsx"))
    assert [row[2] for row in rows] == ["Tháng sáu", "Tháng năm"]


def test_export_keeps_formula_like_titles_as_text(province_staff):
    MediaItemFactory(title="=HYPERLINK(\"http://x\")")
    _, rows = _rows(_client(province_staff).get("/communications/export.xlsx"))
    assert rows[0][2] == "=HYPERLINK(\"http://x\")"


def test_export_query_count_does_not_grow_with_items(province_staff, django_assert_num_queries,
                                                     cho_don):
    product = ProductFactory(subject=SubjectFactory(district=cho_don))
    MediaItemFactory.create_batch(3, district=cho_don, products=[product])
    client = _client(province_staff)
    # Session, user, the count that decides between now and the background, items, featured
    # products and producers.
    with django_assert_num_queries(6):
        client.get("/communications/export.xlsx")
    MediaItemFactory.create_batch(20, district=cho_don, products=[product])
    with django_assert_num_queries(6):
        client.get("/communications/export.xlsx")


# Outlets


def test_outlet_list_counts_items(leader):
    outlet = OutletFactory(name="Đài Phát thanh và Truyền hình tỉnh Bắc Kạn")
    MediaItemFactory.create_batch(3, outlet=outlet)
    response = _client(leader).get("/communications/outlets/")
    assert response.status_code == 200
    assert [o.item_count for o in response.context["outlets"]] == [3]
    assert "/communications/outlets/new/" not in response.content.decode()


def test_a_duplicate_outlet_name_is_refused(province_staff):
    OutletFactory(name="Báo Bắc Kạn")
    response = _client(province_staff).post("/communications/outlets/new/",
                                            {"name": "BÁO BẮC KẠN", "level": "tinh"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


# Product page include


def test_product_coverage_include_lists_the_items_the_user_may_open(district_officer, cho_don):
    product = ProductFactory(subject=SubjectFactory(district=cho_don))
    own = MediaItemFactory(district=cho_don, products=[product], title="Phóng sự Chợ Đồn",
                           published_at=local(2024, 5, 31, 23, 30))
    MediaItemFactory(district=None, products=[product], title="Tin toàn tỉnh")
    html = render_to_string("communications/includes/product_coverage.html", {
        "coverage": media_items_for_product(district_officer, product)})
    assert f'href="/communications/{own.pk}/"' in html
    assert "Phóng sự Chợ Đồn" in html
    assert "31/05/2024" in html
    assert "Tin toàn tỉnh" not in html
    empty = render_to_string("communications/includes/product_coverage.html", {"coverage": []})
    assert "Chưa có tin, bài nào về sản phẩm này." in empty


def test_outlets_are_listed_central_first(leader):
    for name, level in [("Đài huyện", "huyen"), ("Báo tỉnh", "tinh"), ("Khác", "khac"),
                        ("Báo trung ương", "trung_uong")]:
        OutletFactory(name=name, level=level)
    response = _client(leader).get("/communications/outlets/")
    assert [o.name for o in response.context["outlets"]] == [
        "Báo trung ương", "Báo tỉnh", "Đài huyện", "Khác"]


# Another district's products and producers featured in an officer's item


def _featuring_na_ri(cho_don, na_ri):
    own = ProductFactory(name="Miến dong Côn Minh", subject=SubjectFactory(district=cho_don))
    hidden = ProductFactory(name="Gạo nếp Na Rì bí mật",
                            subject=SubjectFactory(district=na_ri, name="HTX Na Rì bí mật"))
    item = MediaItemFactory(district=cho_don, title="Hội chợ OCOP")
    item.products.set([own, hidden])
    item.subjects.set([own.subject, hidden.subject])
    return item, own, hidden


def test_item_page_hides_another_districts_products_and_producers_from_an_officer(
        district_officer, province_staff, cho_don, na_ri):
    item, own, _ = _featuring_na_ri(cho_don, na_ri)
    html = _client(district_officer).get(f"/communications/{item.pk}/").content.decode()
    assert own.name in html
    assert "Na Rì bí mật" not in html
    staff_html = _client(province_staff).get(f"/communications/{item.pk}/").content.decode()
    assert "Gạo nếp Na Rì bí mật" in staff_html
    assert "HTX Na Rì bí mật" in staff_html


def test_export_hides_another_districts_products_and_producers_from_an_officer(
        district_officer, cho_don, na_ri):
    _, own, _ = _featuring_na_ri(cho_don, na_ri)
    _, rows = _rows(_client(district_officer).get("/communications/export.xlsx"))
    assert [(row[9], row[10]) for row in rows] == [(own.name, own.subject.name)]


def test_an_officers_edit_keeps_the_products_and_producers_they_cannot_see(
        district_officer, outlet, cho_don, na_ri):
    item, own, hidden = _featuring_na_ri(cho_don, na_ri)
    data = _form_data(outlet, cho_don, title="Hội chợ OCOP (sửa)", url=item.url,
                      products=[own.pk], subjects=[own.subject.pk])
    response = _client(district_officer).post(f"/communications/{item.pk}/edit/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Hội chợ OCOP (sửa)"
    assert set(item.products.all()) == {own, hidden}
    assert set(item.subjects.all()) == {own.subject, hidden.subject}
