"""Journey 7: the session ends while a form is open; sending it leads to the login page, which
leads back to the form."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from subjects.models import Subject
from tests.e2e.journey import log_in, submit_login

pytestmark = pytest.mark.e2e


def end_session_on_server(page):
    """Delete the browser's session from the server's session store, as expiry does."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store().exists(cookie["value"])
    store(session_key=cookie["value"]).delete()
    assert not store().exists(cookie["value"])


def fill_subject(page, name):
    page.get_by_label("Tên chủ thể").fill(name)
    page.get_by_label("Loại hình").select_option(label="Hộ kinh doanh")


def test_form_sent_after_the_session_expired_leads_to_login_and_back_to_the_form(
        journey, page, district_officer):
    log_in(page, "can_bo_cho_don")
    page.goto("/subjects/new/")
    fill_subject(page, "Hộ kinh doanh Mật ong Yên Thịnh")
    journey.snap("bieu-mau")

    end_session_on_server(page)
    page.get_by_role("button", name="Lưu").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/subjects/new/$"))
    expect(page.get_by_text("Vui lòng đăng nhập để tiếp tục.")).to_be_visible()
    expect(page.locator("input[name=next]")).to_have_value("/subjects/new/")
    journey.snap("dang-nhap-lai")
    assert not Subject.objects.exists()

    submit_login(page, "can_bo_cho_don")
    expect(page).to_have_url(re.compile(r"/subjects/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm chủ thể OCOP")
    journey.snap("tro-lai-bieu-mau")

    fill_subject(page, "Hộ kinh doanh Mật ong Yên Thịnh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã thêm chủ thể “Hộ kinh doanh Mật ong Yên Thịnh”.")
    assert list(Subject.objects.values_list("name", "district__code")) == [
        ("Hộ kinh doanh Mật ong Yên Thịnh", "064")]
