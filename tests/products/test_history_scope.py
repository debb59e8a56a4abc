"""The history a district officer reads names nothing outside their district."""

import pytest
from django.test import Client

from products.services import product_update
from tests.factories import ProductFactory, SubjectFactory, district, office_user

pytestmark = pytest.mark.django_db


def test_a_producer_of_another_district_is_not_named_in_the_history(district_officer,
                                                                    province_staff):
    # A Chợ Đồn product once made by a Na Rì producer (producers and products may lie in
    # different districts), now by a Chợ Đồn one.
    elsewhere = SubjectFactory(name="Hợp tác xã Bí Mật Na Rì", district=district("066"))
    product = ProductFactory(subject=elsewhere, district=district("064"))
    here = SubjectFactory(name="Hợp tác xã Chợ Đồn Xanh", district=district("064"))
    product_update(product, user=office_user(), name=product.name, subject=here,
                   group=product.group, district=product.district, commune=product.commune,
                   first_cycle_year=product.first_cycle_year, description="")
    officer = Client()
    officer.force_login(district_officer)
    html = officer.get(f"/products/{product.pk}/").content.decode()
    assert "Bí Mật Na Rì" not in html
    assert "Chủ thể: một chủ thể ngoài phạm vi xem → Hợp tác xã Chợ Đồn Xanh" in html
    # Province staff see every district: the name is there.
    staff = Client()
    staff.force_login(province_staff)
    assert "Chủ thể: Hợp tác xã Bí Mật Na Rì → Hợp tác xã Chợ Đồn Xanh" in staff.get(
        f"/products/{product.pk}/").content.decode()
