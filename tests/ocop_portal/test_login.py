import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from ocop_portal.demo import DEMO_PASSWORD, demo_accounts_create
from ocop_portal.models import Role, User


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_is_in_vietnamese():
    html = Client().get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html


def test_wrong_password_shows_a_vietnamese_error(district_officer):
    response = _login(Client(), district_officer.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_login_lands_on_home_and_logout_returns_to_login(district_officer):
    client = Client()
    response = _login(client, district_officer.username, "mat-khau-thu-2024")
    assert response.status_code == 302
    assert response["Location"] == "/"
    # An officer lands on their own district's dashboard.
    assert client.get("/")["Location"] == "/dashboard/district/064/"
    assert client.get("/dashboard/district/064/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_login_follows_next_url(district_officer):
    client = Client()
    response = client.post("/accounts/login/?next=/accounts/password/", {
        "username": district_officer.username, "password": "mat-khau-thu-2024",
        "next": "/accounts/password/"})
    assert response["Location"] == "/accounts/password/"


def test_sixth_wrong_password_locks_the_account_with_a_vietnamese_message(district_officer):
    client = Client()
    for attempt in range(1, 5):
        response = _login(client, district_officer.username, f"sai-{attempt}")
        assert response.status_code == 200, f"attempt {attempt} should only be refused"
    _login(client, district_officer.username, "sai-5")
    response = _login(client, district_officer.username, "sai-6")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tài khoản tạm thời bị khoá" in html
    assert "15 phút" in html
    # Even the right password is refused while the lock lasts.
    response = _login(client, district_officer.username, "mat-khau-thu-2024")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_touch_other_accounts(district_officer, other_district_officer):
    client = Client()
    for attempt in range(6):
        _login(client, district_officer.username, f"sai-{attempt}")
    response = _login(Client(), other_district_officer.username, "mat-khau-thu-2024")
    assert response.status_code == 302


def test_password_change_page_is_in_vietnamese(district_officer):
    client = Client()
    client.force_login(district_officer)
    html = client.get("/accounts/password/").content.decode()
    assert "Đổi mật khẩu" in html
    assert "Mật khẩu cũ" in html
    response = client.post("/accounts/password/", {
        "old_password": "mat-khau-thu-2024", "new_password1": "Ocop-BacKan-2025!",
        "new_password2": "Ocop-BacKan-2025!"})
    assert response["Location"] == "/accounts/password/done/"
    district_officer.refresh_from_db()
    assert district_officer.check_password("Ocop-BacKan-2025!")


def test_load_demo_data_creates_one_account_per_role(settings, reference_data):
    settings.DEMO_DATA = True
    settings.LOCAL = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    accounts = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    assert set(accounts) == {"demo_tinh", "demo_cho_don", "demo_na_ri", "demo_lanh_dao",
                             "demo_admin"}
    assert accounts["demo_cho_don"].role == Role.DISTRICT_OFFICER
    assert accounts["demo_cho_don"].district.code == "064"
    assert accounts["demo_na_ri"].district.code == "066"
    assert accounts["demo_tinh"].role == Role.PROVINCE_STAFF
    assert accounts["demo_lanh_dao"].role == Role.LEADER
    assert accounts["demo_admin"].role == Role.ADMIN
    assert all(user.check_password(DEMO_PASSWORD) for user in accounts.values())
    staff = {username for username, user in accounts.items() if user.is_staff}
    assert staff == {"demo_tinh", "demo_admin"}


def test_load_demo_data_refuses_when_debug_is_off(settings, reference_data):
    settings.DEMO_DATA = False
    with pytest.raises(CommandError, match="DJANGO_DEMO_DATA=True"):
        call_command("load_demo_data")
    with pytest.raises(ImproperlyConfigured):
        demo_accounts_create()
    assert not User.objects.filter(username__startswith="demo_").exists()


NAVIGATION_BY_ACCOUNT = {
    "demo_tinh": ["Tổng quan", "Sản phẩm", "Chủ thể", "Truyền thông", "Kế hoạch", "Xác nhận",
                  "Việc cần làm", "Báo cáo"],
    "demo_cho_don": ["Tổng quan", "Sản phẩm", "Chủ thể", "Truyền thông", "Kế hoạch", "Xác nhận",
                     "Việc cần làm"],
    "demo_na_ri": ["Tổng quan", "Sản phẩm", "Chủ thể", "Truyền thông", "Kế hoạch", "Xác nhận",
                   "Việc cần làm"],
    "demo_lanh_dao": ["Tổng quan", "Sản phẩm", "Chủ thể", "Truyền thông", "Kế hoạch", "Xác nhận",
                  "Việc cần làm", "Báo cáo"],
    "demo_admin": ["Tổng quan", "Sản phẩm", "Chủ thể", "Truyền thông", "Kế hoạch", "Xác nhận",
                  "Việc cần làm", "Báo cáo"],
}


def test_each_demo_account_logs_in_and_sees_navigation_fitting_its_role(settings,
                                                                        reference_data):
    settings.DEMO_DATA = True
    settings.LOCAL = True
    demo_accounts_create()
    for username, expected in NAVIGATION_BY_ACCOUNT.items():
        client = Client()
        response = _login(client, username, DEMO_PASSWORD)
        assert response.status_code == 302, username
        page = client.get("/", follow=True)
        assert page.status_code == 200
        labels = [item["label"] for item in page.context["nav_items"]]
        assert labels == expected, username
        html = page.content.decode()
        assert ('href="/admin/"' in html) is (username in ("demo_tinh", "demo_admin")), username
