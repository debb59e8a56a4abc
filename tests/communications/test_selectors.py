import datetime as dt

import pytest
from django.http import Http404

from communications.selectors import (
    media_item_get_for_user,
    media_item_list_for_user,
    media_items_for_product,
)
from ocop_portal.domain import DEFAULT_MEDIA_ITEMS_PER_MONTH as MEDIA_MONTHLY_QUOTA
from targets.indicators import media_month_counts
from targets.selectors import media_calendar_for_user
from tests.communications.factories import MediaItemFactory, local
from tests.factories import ProductFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_an_item_late_on_the_last_day_of_may_counts_in_may(province_staff):
    # 23:30 on 31/05 in Vietnam is 16:30 UTC the same day; 00:30 on 01/06 is 17:30 UTC on 31/05.
    MediaItemFactory(published_at=local(2024, 5, 31, 23, 30))
    MediaItemFactory(published_at=local(2024, 6, 1, 0, 30))
    counts = media_month_counts(year=2024)
    assert counts == {(None, 5): 1, (None, 6): 1}
    months = media_calendar_for_user(province_staff, year=2024, today=dt.date(2024, 12, 31))
    assert months[4].count == 1
    assert months[5].count == 1


def test_an_item_of_new_years_eve_counts_in_the_old_year():
    MediaItemFactory(published_at=local(2024, 12, 31, 23, 59))
    MediaItemFactory(published_at=local(2025, 1, 1, 6, 0))
    assert media_month_counts(year=2024) == {(None, 12): 1}
    assert media_month_counts(year=2025) == {(None, 1): 1}


def test_month_counts_are_keyed_by_district(cho_don, na_ri):
    MediaItemFactory.create_batch(2, district=cho_don, published_at=local(2024, 3, 2, 8, 0))
    MediaItemFactory(district=na_ri, published_at=local(2024, 3, 20, 8, 0))
    MediaItemFactory(published_at=local(2024, 4, 1, 8, 0))
    assert media_month_counts(year=2024) == {(cho_don.pk, 3): 2, (na_ri.pk, 3): 1, (None, 4): 1}


def test_month_counts_take_one_query_whatever_the_number_of_items(
        django_assert_num_queries, cho_don):
    MediaItemFactory.create_batch(30, district=cho_don)
    with django_assert_num_queries(1):
        media_month_counts(year=2024)


def test_province_calendar_sums_every_district_and_province_wide_items(
        province_staff, district_officer, cho_don, na_ri):
    MediaItemFactory(district=cho_don, published_at=local(2024, 3, 2, 8, 0))
    MediaItemFactory(district=na_ri, published_at=local(2024, 3, 3, 8, 0))
    MediaItemFactory(published_at=local(2024, 3, 4, 8, 0))
    MediaItemFactory(district=na_ri, published_at=local(2024, 4, 4, 8, 0))
    today = dt.date(2024, 4, 10)
    province = media_calendar_for_user(province_staff, year=2024, today=today)
    district = media_calendar_for_user(district_officer, year=2024, today=today)
    counts = media_month_counts(year=2024)
    for cell in province:
        assert cell.count == sum(n for (_, month), n in counts.items() if month == cell.month)
    for cell in district:
        assert cell.count == counts.get((cho_don.pk, cell.month), 0)
    assert [cell.count for cell in province[:4]] == [0, 0, 3, 1]
    assert [cell.count for cell in district[:4]] == [0, 0, 1, 0]


def test_months_are_met_missed_under_way_or_not_yet_begun(province_staff):
    MediaItemFactory.create_batch(2, published_at=local(2024, 1, 5, 8, 0))
    MediaItemFactory(published_at=local(2024, 2, 5, 8, 0))
    MediaItemFactory(published_at=local(2024, 5, 2, 8, 0))
    MediaItemFactory.create_batch(3, published_at=local(2024, 6, 1, 8, 0))
    months = media_calendar_for_user(province_staff, year=2024, today=dt.date(2024, 5, 20))
    statuses = [cell.status for cell in months]
    # Items dated after `today` are not counted yet, as on the dashboard: June is still ahead.
    assert statuses == ["met", "missed", "missed", "missed", "current", "future",
                        "future", "future", "future", "future", "future", "future"]
    assert months[5].count == 0
    assert months[4].still_needed == MEDIA_MONTHLY_QUOTA - 1
    assert months[3].still_needed == MEDIA_MONTHLY_QUOTA
    assert months[0].still_needed == 0


def test_district_officer_sees_only_their_districts_items(district_officer, cho_don, na_ri):
    own = MediaItemFactory(district=cho_don)
    MediaItemFactory(district=na_ri)
    MediaItemFactory(district=None)
    assert list(media_item_list_for_user(district_officer)) == [own]


@pytest.mark.parametrize("persona", ["province_staff", "leader", "admin_user"])
def test_province_roles_see_every_item(request, persona, cho_don, na_ri):
    MediaItemFactory(district=cho_don)
    MediaItemFactory(district=na_ri)
    MediaItemFactory(district=None)
    assert media_item_list_for_user(request.getfixturevalue(persona)).count() == 3


def test_items_are_listed_newest_first(province_staff):
    old = MediaItemFactory(published_at=local(2024, 1, 1, 8, 0))
    new = MediaItemFactory(published_at=local(2024, 9, 1, 8, 0))
    assert list(media_item_list_for_user(province_staff)) == [new, old]


def test_an_item_outside_the_officers_district_is_not_found(district_officer, na_ri):
    foreign = MediaItemFactory(district=na_ri)
    province_wide = MediaItemFactory(district=None)
    for item in (foreign, province_wide):
        with pytest.raises(Http404):
            media_item_get_for_user(district_officer, item.pk)


def test_anonymous_sees_nothing(anonymous, cho_don):
    MediaItemFactory(district=cho_don)
    assert not media_item_list_for_user(anonymous).exists()


def test_product_coverage_lists_the_items_featuring_it_within_the_users_scope(
        province_staff, district_officer, cho_don):
    product = ProductFactory(subject=SubjectFactory(district=cho_don))
    district_item = MediaItemFactory(district=cho_don, products=[product],
                                     published_at=local(2024, 8, 1, 8, 0))
    province_item = MediaItemFactory(district=None, products=[product],
                                     published_at=local(2024, 9, 1, 8, 0))
    MediaItemFactory(district=cho_don)
    assert list(media_items_for_product(province_staff, product)) == [province_item,
                                                                      district_item]
    assert list(media_items_for_product(district_officer, product)) == [district_item]
