import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ocop_portal.figures_cache import retire_version
from products.models import Certificate
from products.services import certificate_revoke
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise


@pytest.fixture(autouse=True)
def _fresh_throttle_counters(cache_of_its_own):
    """Each test starts with no request counted (the counts live in the cache)."""
    retire_version()


@pytest.fixture
def today():
    return timezone.localdate()


def recognised(name, *, decided: dt.date, stars=3, district_code="064", subject=None):
    """A product recognised on `decided`, with its certificate (36 months from that day)."""
    subject = subject or SubjectFactory(name=f"HTX {name}", district=district(district_code))
    product = ProductFactory(name=name, subject=subject)
    recognise(product, stars=stars, decision_date=decided)
    product.refresh_from_db()
    return product


@pytest.fixture
def make_product(reference_data, today):
    def make(name, *, months_ago=3, **kwargs):
        return recognised(name, decided=today - relativedelta(months=months_ago), **kwargs)
    return make


@pytest.fixture
def five_statuses(make_product, today):
    """One certificate in each status the check page tells: name → certificate."""
    active = make_product("Miến dong Tài Hoan", months_ago=3).current_certificate
    expiring = make_product("Mật ong Bạch Thông", months_ago=35).current_certificate
    expired = make_product("Chè Shan tuyết", months_ago=40).current_certificate
    revoked_product = make_product("Gạo nếp Khẩu nua", months_ago=6)
    revoked = certificate_revoke(revoked_product.current_certificate, user=office_user(),
                                 revoked_on=today - dt.timedelta(days=1),
                                 decision="12/QĐ-UBND", reason="Vi phạm an toàn thực phẩm")
    upgraded = make_product("Tương ớt Ba Bể", months_ago=20)
    superseded = upgraded.current_certificate
    recognise(upgraded, stars=4, decision_date=today - relativedelta(months=2))
    superseded.refresh_from_db()
    upgraded.refresh_from_db()
    return {"active": active, "expiring": expiring, "expired": expired,
            "revoked": Certificate.objects.get(pk=revoked.pk), "superseded": superseded,
            "current": upgraded.current_certificate}
