"""Who may see and change what: the one place later apps ask.

Province staff, leaders and administrators see every district; a district officer sees only their
own. Province staff, administrators and district officers (their own district) write; leaders
only read. Selectors call `scope_to_user` so that the lookup itself is the permission check:
a record outside the user's reach is a 404, a record they may see but not change is a 403.
"""

from django.core.exceptions import PermissionDenied


def _district_id(district):
    return getattr(district, "pk", district)


def _is_authenticated(user):
    return bool(user and user.is_authenticated and user.is_active)


def can_view_district(user, district) -> bool:
    """May the user read records of this district?"""
    if not _is_authenticated(user):
        return False
    if user.sees_all_districts:
        return True
    return district is not None and user.district_id == _district_id(district)


def can_edit_district(user, district) -> bool:
    """May the user create or change records of this district?"""
    if not _is_authenticated(user) or not user.can_write_records:
        return False
    if user.sees_all_districts:
        return True
    return district is not None and user.district_id == _district_id(district)


def scope_to_user(queryset, user, district_field="district"):
    """Records of `queryset` this user may see; `district_field` is the path to the district."""
    if not _is_authenticated(user):
        return queryset.none()
    if user.sees_all_districts:
        return queryset
    return queryset.filter(**{f"{district_field}_id": user.district_id})


def visible_districts(user):
    """The districts a user may read, for filter options and form choices."""
    from ocop_portal.models import District

    districts = District.objects.order_by("code")
    if not _is_authenticated(user):
        return districts.none()
    if user.sees_all_districts:
        return districts
    return districts.filter(pk=user.district_id)


def editable_districts(user):
    """The districts a user may write records for, for form choices."""
    if not _is_authenticated(user) or not user.can_write_records:
        return visible_districts(None)
    return visible_districts(user)


def require_write(user):
    """Refuse (403) a user whose role never writes records."""
    if not _is_authenticated(user) or not user.can_write_records:
        raise PermissionDenied("Vai trò của bạn chỉ được xem, không được thay đổi dữ liệu.")


def require_edit_district(user, district):
    """Refuse (403) a change to a district's record the user may see but not change."""
    if not can_edit_district(user, district):
        raise PermissionDenied("Bạn không có quyền thay đổi dữ liệu của huyện này.")


def require_plan_manager(user):
    """Refuse (403) anyone but province staff and administrators."""
    if not _is_authenticated(user) or not user.can_manage_plan:
        raise PermissionDenied(
            "Chỉ cán bộ Văn phòng Điều phối tỉnh và quản trị hệ thống được thực hiện thao tác này."
        )
