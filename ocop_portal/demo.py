"""Demo accounts (one per role) for a first run on a laptop. Never in production."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ocop_portal.models import District, Role, User

DEMO_PASSWORD = "demo-ocop-2024"  # noqa: S105 - published in the README, debug only

# username, role, district code, last name, first name, job title
DEMO_ACCOUNTS = [
    ("demo_tinh", Role.PROVINCE_STAFF, None, "Hoàng Thị", "Lan",
     "Văn phòng Điều phối nông thôn mới tỉnh"),
    ("demo_cho_don", Role.DISTRICT_OFFICER, "064", "Ma Văn", "Đức",
     "Phòng Nông nghiệp và PTNT huyện Chợ Đồn"),
    ("demo_na_ri", Role.DISTRICT_OFFICER, "066", "Lương Thị", "Hoa",
     "Phòng Nông nghiệp và PTNT huyện Na Rì"),
    ("demo_lanh_dao", Role.LEADER, None, "Nông Văn", "Quang", "UBND tỉnh Bắc Kạn"),
    ("demo_admin", Role.ADMIN, None, "Triệu Văn", "Minh", "Quản trị hệ thống"),
]


def ensure_demo_asked_for():
    """Demo data only when asked for in so many words: its accounts publish their password."""
    if not (settings.DEMO_DATA and settings.LOCAL):
        raise ImproperlyConfigured(
            "Không tạo dữ liệu mẫu khi chưa đặt DJANGO_DEMO_DATA=True, hay trên máy chủ chính "
            "thức (chỉ khi DJANGO_DEBUG hoặc DJANGO_EMBEDDED): tài khoản mẫu dùng mật khẩu công "
            "khai. (`make run` đặt sẵn.)"
        )


@transaction.atomic
def demo_accounts_create() -> list[User]:
    """Create (or reset) the demo accounts of DESIGN.md §6, all with the published password."""
    ensure_demo_asked_for()
    if not District.objects.exists():
        raise ImproperlyConfigured(
            "Chưa có danh mục đơn vị hành chính: "
            "hãy chạy `python manage.py load_backan_2024` trước."
        )
    users = []
    for username, role, district_code, last_name, first_name, job_title in DEMO_ACCOUNTS:
        district = District.objects.get(code=district_code) if district_code else None
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.district = district
        user.last_name = last_name
        user.first_name = first_name
        user.job_title = job_title
        user.email = f"{username}@example.invalid"
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users.append(user)
    return users
