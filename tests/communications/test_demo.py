import pytest
from django.core.exceptions import ImproperlyConfigured

from communications.demo import PATTERN_2024, demo_media_create
from communications.models import MediaItem, Outlet, OutletLevel
from communications.reference import OUTLETS, outlets_load
from ocop_portal.demo import demo_accounts_create
from targets.selectors import media_calendar_for_user

pytestmark = pytest.mark.django_db


def test_demo_items_are_marked_and_created_once(settings, reference_data):
    settings.DEMO_DATA = True
    settings.LOCAL = True
    users = demo_accounts_create()
    created = demo_media_create()
    assert created == MediaItem.objects.count() > sum(PATTERN_2024)
    assert not MediaItem.objects.filter(is_demo=False).exists()
    assert demo_media_create() == 0
    assert MediaItem.objects.count() == created
    province_staff = next(user for user in users if user.username == "demo_tinh")
    months = media_calendar_for_user(province_staff, year=2024)
    assert [cell.count for cell in months] == PATTERN_2024
    assert {cell.status for cell in months} == {"met", "missed"}


def test_demo_items_are_refused_without_debug(settings, reference_data):
    settings.DEMO_DATA = False
    with pytest.raises(ImproperlyConfigured):
        demo_media_create()
    assert not MediaItem.objects.exists()


def test_common_outlets_load_once_and_keep_staff_changes(reference_data):
    first = outlets_load()
    assert first.created == len(OUTLETS)
    Outlet.objects.filter(name="Báo Bắc Kạn").update(level=OutletLevel.OTHER)
    second = outlets_load()
    assert (second.created, second.unchanged) == (0, len(OUTLETS))
    assert Outlet.objects.get(name="Báo Bắc Kạn").level == OutletLevel.OTHER
