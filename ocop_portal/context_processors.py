from django.urls import reverse

from ocop_portal.models import Role
from ocop_portal.views import dashboard_url_for

EVERYONE = tuple(Role)

# (label, url name, Bootstrap icon, roles that see the entry), in menu order.
NAVIGATION = [
    ("Tổng quan", "dashboard:province", "speedometer2", EVERYONE),
    ("Sản phẩm", "products:list", "box-seam", EVERYONE),
    ("Chủ thể", "subjects:list", "people", EVERYONE),
    ("Truyền thông", "communications:list", "megaphone", EVERYONE),
    ("Kế hoạch", "targets:plan_detail", "clipboard-check", EVERYONE),
    ("Xác nhận", "review:list", "patch-check", EVERYONE),
    ("Việc cần làm", "todo:list", "list-check", EVERYONE),
    ("Báo cáo", "reports:list", "file-earmark-spreadsheet",
     (Role.PROVINCE_STAFF, Role.ADMIN, Role.LEADER)),
]


def navigation_for(user, path="/"):
    if not user or not user.is_authenticated:
        return []
    role = user.effective_role
    items = []
    for label, name, icon, roles in NAVIGATION:
        if role not in roles:
            continue
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        if name == "dashboard:province":
            # The officer's own district first; the province's figures are one click away.
            url = dashboard_url_for(user)
        items.append({"label": label, "url": url, "icon": icon, "active": active})
    return items


def portal(request):
    return {
        "nav_items": navigation_for(getattr(request, "user", None), request.path),
        "portal_name": "Cổng quản lý OCOP tỉnh Bắc Kạn",
    }
