"""The back office keeps the portal's rules: each admin form submitted with a value that breaks a
rule of the services is refused with the reason on the form and nothing saved; models without a
service are read-only there."""

import datetime as dt

import pytest
from django import forms
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from communications.models import MediaItem, Outlet
from ocop_portal.models import Commune
from products.models import Certificate, Evaluation, Product
from subjects.models import Subject
from tests.communications.factories import MediaItemFactory, OutletFactory
from tests.factories import ProductFactory, SubjectFactory, district, recognise

pytestmark = pytest.mark.django_db


def _value(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return timezone.localtime(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, tuple)) or hasattr(value, "__iter__") and not isinstance(
            value, str):
        return [_value(v) for v in value]
    return "" if value is None else value


def _form_data(client: Client, url: str, **changes) -> dict:
    """What the admin page's form would send unchanged, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200, url
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue  # no new file: the current one is kept
        value = _value(form[name].value())
        if isinstance(value, dt.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%d/%m/%Y}", f"{value:%H:%M:%S}"
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for name, value in changes.items():
        data.pop(f"{name}_0", None)
        data.pop(f"{name}_1", None)
        data[name] = value
    return data


@pytest.fixture
def office(province_staff):
    client = Client()
    client.force_login(province_staff)
    return client


def _refused(response, field=None):
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors, "the form should have been refused"
    if field:
        assert field in errors, errors
    return errors


def test_a_valid_product_change_in_the_admin_is_saved_through_the_service(office):
    product = ProductFactory(name="Miến dong")
    url = f"/admin/products/product/{product.pk}/change/"
    response = office.post(url, _form_data(office, url, name="  Miến   dong Na Rì "))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Miến dong Na Rì"  # cleaned by the service, as on the portal
    assert product.search_text.startswith("mien dong na ri")


def test_a_product_moved_to_a_commune_of_another_district_is_refused(office):
    product = ProductFactory()
    url = f"/admin/products/product/{product.pk}/change/"
    foreign = Commune.objects.filter(district__code="066").first()
    _refused(office.post(url, _form_data(office, url, commune=foreign.pk)))
    product.refresh_from_db()
    assert product.commune.district.code == "064"


def test_a_product_added_in_the_admin_with_a_foreign_commune_is_not_saved(office):
    subject = SubjectFactory()
    data = {"name": "Chè Shan tuyết", "subject": subject.pk,
            "group": ProductFactory().group.pk, "district": district("064").pk,
            "commune": Commune.objects.filter(district__code="066").first().pk,
            "first_cycle_year": "", "description": "",
            **{f"{p}-{k}": 0 for p in ("evaluations", "quality_certifications",
                                       "traceability_records")
               for k in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")}}
    before = Product.objects.count()
    _refused(office.post("/admin/products/product/add/", data))
    assert Product.objects.count() == before


def test_a_producer_with_another_producers_tax_number_is_refused(office):
    SubjectFactory(name="HTX Tài Hoan", registration_number="4700111222")
    other = SubjectFactory(name="HTX Bằng Phúc", registration_number="4700333444")
    url = f"/admin/subjects/subject/{other.pk}/change/"
    _refused(office.post(url, _form_data(office, url, registration_number="4700111222")))
    other.refresh_from_db()
    assert other.registration_number == "4700333444"
    assert Subject.objects.filter(registration_number="4700111222").count() == 1


def test_an_evaluation_corrected_to_a_future_decision_date_is_refused(office):
    outcome = recognise(ProductFactory(), 3, dt.date(2024, 6, 15))
    url = f"/admin/products/evaluation/{outcome.evaluation.pk}/change/"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _refused(office.post(url, _form_data(office, url, decision_date=f"{tomorrow:%d/%m/%Y}")),
             "decision_date")
    evaluation = Evaluation.objects.get(pk=outcome.evaluation.pk)
    assert evaluation.decision_date == dt.date(2024, 6, 15)
    assert Certificate.objects.get(pk=outcome.certificate.pk).valid_from == dt.date(2024, 6, 15)


def test_a_recognition_corrected_without_its_decision_number_is_refused(office):
    outcome = recognise(ProductFactory(), 3, dt.date(2024, 6, 15), decision_number="12/QĐ")
    url = f"/admin/products/evaluation/{outcome.evaluation.pk}/change/"
    _refused(office.post(url, _form_data(office, url, decision_number="")), "decision_number")
    assert Evaluation.objects.get(pk=outcome.evaluation.pk).decision_number == "12/QĐ"


def test_a_media_item_dated_in_the_future_is_refused_in_the_admin(office):
    outlet = OutletFactory(name="Báo Bắc Kạn")
    later = timezone.localtime() + dt.timedelta(days=3)
    data = {"title": "Hội chợ OCOP", "kind": "tin", "outlet": outlet.pk,
            "published_at_0": f"{later:%d/%m/%Y}", "published_at_1": "08:00:00",
            "url": "https://baobackan.vn/hoi-cho", "author": "", "district": "", "note": "",
            "products": "", "subjects": ""}
    _refused(office.post("/admin/communications/mediaitem/add/", data), "published_at")
    assert not MediaItem.objects.exists()
    item = MediaItemFactory(title="Tin cũ")
    url = f"/admin/communications/mediaitem/{item.pk}/change/"
    data = _form_data(office, url)
    data.update({"published_at_0": f"{later:%d/%m/%Y}", "published_at_1": "08:00:00"})
    _refused(office.post(url, data), "published_at")
    item.refresh_from_db()
    assert item.published_at < timezone.now()


def test_an_outlet_named_as_another_is_refused(office):
    OutletFactory(name="Báo Bắc Kạn")
    other = OutletFactory(name="Đài PT-TH Bắc Kạn")
    url = f"/admin/communications/outlet/{other.pk}/change/"
    _refused(office.post(url, _form_data(office, url, name="báo  bắc kạn")), "name")
    assert Outlet.objects.filter(name="Đài PT-TH Bắc Kạn").exists()


READ_ONLY = ["products/qualitycertification", "products/traceability", "subjects/linkage",
             "subjects/supportrecord", "targets/quota", "targets/plan", "targets/indicator",
             "targets/plantask", "products/certificate", "products/evaluation"]


@pytest.mark.parametrize("model", READ_ONLY)
def test_models_without_a_service_cannot_be_added_in_the_admin(office, model):
    response = office.post(f"/admin/{model}/add/", {"note": "x"})
    assert response.status_code == 403


def test_records_written_by_the_portal_only_cannot_be_changed_in_the_admin(office):
    product = ProductFactory()
    outcome = recognise(product, 3, dt.date(2024, 6, 15))
    certificate = outcome.certificate
    response = office.post(f"/admin/products/certificate/{certificate.pk}/change/",
                           {"number": "SỬA", "revocation_reason": "x"})
    assert response.status_code == 403
    assert Certificate.objects.get(pk=certificate.pk).number == certificate.number
