"""Records of two districts and API clients for the personas."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from tests.communications.factories import MediaItemFactory, OutletFactory
from tests.factories import ProductFactory, SubjectFactory, recognise

ROLES = ["anonymous", "district_officer", "other_district_officer", "leader", "province_staff",
         "admin_user"]
READERS = ROLES[1:]
WRITERS_OF_CHO_DON = ["district_officer", "province_staff", "admin_user"]


@pytest.fixture(autouse=True)
def _fresh_throttles(cache_of_its_own):
    """Each test starts with no request counted (the counts live in the cache)."""


@pytest.fixture
def records(cho_don, na_ri):
    """A recognised product and a producer in Chợ Đồn and in Na Rì, and a media item each."""
    cho_don_subject = SubjectFactory(name="HTX Miến dong Côn Minh", district=cho_don)
    na_ri_subject = SubjectFactory(name="HTX Chè Hảo Nghĩa", district=na_ri)
    cho_don_product = ProductFactory(name="Miến dong Chợ Đồn", subject=cho_don_subject)
    na_ri_product = ProductFactory(name="Chè shan tuyết Na Rì", subject=na_ri_subject)
    recognise(cho_don_product, stars=4)
    recognise(na_ri_product, stars=3)
    outlet = OutletFactory()
    cho_don_item = MediaItemFactory(outlet=outlet, district=cho_don, title="Tin Chợ Đồn",
                                    products=[cho_don_product])
    na_ri_item = MediaItemFactory(outlet=outlet, district=na_ri, title="Tin Na Rì",
                                  products=[na_ri_product])
    return {"cho_don": cho_don_product, "na_ri": na_ri_product,
            "cho_don_subject": cho_don_subject, "na_ri_subject": na_ri_subject,
            "cho_don_item": cho_don_item, "na_ri_item": na_ri_item}


def token_client(user) -> APIClient:
    """A client that sends the user's personal token (none for an anonymous caller)."""
    client = APIClient()
    if user is not None:
        _, key = api_token_create(user=user, name="thử nghiệm")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_as(request):
    """`api_as("leader")`: (client with the persona's token, user)."""

    def make(role):
        user = request.getfixturevalue(role)
        return token_client(user), user

    return make
