import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ocop_portal.models import Commune
from ocop_portal.permissions import (
    can_edit_district,
    can_view_district,
    editable_districts,
    require_edit_district,
    require_plan_manager,
    scope_to_user,
    visible_districts,
)

# persona: (may view own, may view other, may edit own, may edit other)
# "own" is Chợ Đồn, the district of the `district_officer` persona; "other" is Na Rì.
EXPECTED = {
    "province_staff": (True, True, True, True),
    "district_officer": (True, False, True, False),
    "other_district_officer": (False, True, False, True),
    "leader": (True, True, False, False),
    "admin_user": (True, True, True, True),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_district_helpers_for_every_role(request, persona, cho_don, na_ri):
    user = request.getfixturevalue(persona)
    view_own, view_other, edit_own, edit_other = EXPECTED[persona]
    assert can_view_district(user, cho_don) is view_own
    assert can_view_district(user, na_ri) is view_other
    assert can_edit_district(user, cho_don) is edit_own
    assert can_edit_district(user, na_ri) is edit_other
    assert can_view_district(user, cho_don.pk) is view_own


@pytest.mark.parametrize("persona", EXPECTED)
def test_scope_to_user_keeps_only_visible_districts(request, persona, cho_don, na_ri):
    user = request.getfixturevalue(persona)
    view_own, view_other, *_ = EXPECTED[persona]
    communes = scope_to_user(Commune.objects.all(), user)
    assert communes.filter(district=cho_don).exists() is view_own
    assert communes.filter(district=na_ri).exists() is view_other
    assert (cho_don in visible_districts(user)) is view_own
    assert (na_ri in visible_districts(user)) is view_other


def test_district_officer_sees_and_edits_one_district_only(district_officer, cho_don):
    assert list(visible_districts(district_officer)) == [cho_don]
    assert list(editable_districts(district_officer)) == [cho_don]


def test_leader_edits_nothing(leader, cho_don):
    assert not editable_districts(leader).exists()
    with pytest.raises(PermissionDenied):
        require_edit_district(leader, cho_don)
    with pytest.raises(PermissionDenied):
        require_plan_manager(leader)


def test_anonymous_sees_nothing(cho_don):
    anonymous = AnonymousUser()
    assert not can_view_district(anonymous, cho_don)
    assert not can_edit_district(anonymous, cho_don)
    assert not scope_to_user(Commune.objects.all(), anonymous).exists()
    assert not visible_districts(anonymous).exists()


def test_inactive_officer_sees_nothing(district_officer, cho_don):
    district_officer.is_active = False
    assert not can_view_district(district_officer, cho_don)
    assert not scope_to_user(Commune.objects.all(), district_officer).exists()


@pytest.mark.parametrize(("persona", "allowed"), [
    ("province_staff", True), ("admin_user", True), ("district_officer", False),
    ("leader", False),
])
def test_only_office_and_admin_manage_the_plan(request, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        require_plan_manager(user)
    else:
        with pytest.raises(PermissionDenied):
            require_plan_manager(user)
