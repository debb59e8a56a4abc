"""Personas and reference data shared by every test.

The personas of STYLE.md: province staff, a district officer of Chợ Đồn (064), another of Na Rì
(066), a leader, an administrator, and an anonymous visitor.
"""

import uuid

import pytest
from django.test import Client

from ocop_portal.celery import app as celery_app
from ocop_portal.models import Commune, District, Role, User
from ocop_portal.services import administrative_units_load
from ocop_portal.units import DISTRICTS_END
from products.models import ProductGroup
from products.taxonomy import product_groups_load
from targets.services import plan_180_load

CHO_DON = "064"
NA_RI = "066"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Celery tasks run in-process in tests, as in the embedded setup, even when REDIS_URL is set
    (as in CI); the tests about the worker itself are marked `celery_worker` and use Redis."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_figures_cache():
    """Each test starts from a registry version of its own: figures cached by an earlier test
    (whose rows were rolled back) are never read."""
    from ocop_portal.figures_cache import retire_version

    retire_version()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once for the whole session, as load_backan_2024 does."""
    with django_db_blocker.unblock():
        load_reference_data()


def load_reference_data():
    administrative_units_load()
    product_groups_load()
    plan_180_load()


@pytest.fixture
def cache_of_its_own(settings):
    """A cache in memory for this test alone, for tests that count in the cache (throttles):
    clearing the shared one instead would wipe what the tests running beside it in other
    processes keep there (CI's Redis is one for all of them)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture
def reference_data(db):
    """The reference data, reloaded when a transactional test has flushed the tables."""
    if not Commune.objects.exists() or not ProductGroup.objects.exists():
        load_reference_data()


@pytest.fixture
def cho_don(reference_data):
    return District.objects.get(code=CHO_DON)


@pytest.fixture
def na_ri(reference_data):
    return District.objects.get(code=NA_RI)


@pytest.fixture
def cho_don_commune(cho_don):
    return Commune.objects.valid_on(DISTRICTS_END).get(code="02020")  # Thị trấn Bằng Lũng


@pytest.fixture
def na_ri_commune(na_ri):
    return Commune.objects.valid_on(DISTRICTS_END).get(code="02146")  # Xã Kim Hỷ


def _user(username, role, district=None):
    return User.objects.create_user(
        username=username, password="mat-khau-thu-2024", role=role, district=district,
        first_name=username.replace("_", " ").title(),
    )


@pytest.fixture
def province_staff(reference_data):
    return _user("tinh", Role.PROVINCE_STAFF)


@pytest.fixture
def district_officer(cho_don):
    return _user("can_bo_cho_don", Role.DISTRICT_OFFICER, cho_don)


@pytest.fixture
def other_district_officer(na_ri):
    return _user("can_bo_na_ri", Role.DISTRICT_OFFICER, na_ri)


@pytest.fixture
def leader(reference_data):
    return _user("lanh_dao", Role.LEADER)


@pytest.fixture
def admin_user(reference_data):
    return _user("quan_tri", Role.ADMIN)


@pytest.fixture
def anonymous():
    return None


PERSONAS = ["anonymous", "province_staff", "district_officer", "other_district_officer",
            "leader", "admin_user"]


@pytest.fixture
def persona_client(request):
    """A client logged in as the persona named by the test's `persona` parameter."""

    def make(name):
        client = Client()
        user = request.getfixturevalue(name)
        if user is not None:
            client.force_login(user)
        return client, user

    return make
