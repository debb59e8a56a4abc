"""The public pages never show a field outside the card's list (issue 15, deliverable 1): every
private field of the product, its producer, evaluations, certificates, standards, traceability,
linkages and support is seeded with a marker, and no public response contains one."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from products.models import Evaluation, Product, QualityCertification, Standard, Traceability
from products.services import certificate_revoke
from subjects.models import Linkage, SupportRecord
from tests.catalogue.conftest import recognised
from tests.factories import ProductFactory, office_user, recognise

pytestmark = pytest.mark.django_db

MARKER = "ZQXMARK"


def mark(name: str) -> str:
    return f"{MARKER}{name}"


@pytest.fixture
def seeded(make_product, today):
    """A certified product, a revoked one, an archived one and a 2-star one, all marked."""
    product = make_product("Miến dong Tài Hoan", months_ago=20, stars=4)
    product.description = mark("description")
    product.save()
    subject = product.subject
    subject.registration_number = mark("tax")
    subject.legal_representative = mark("representative")
    subject.representative_position = mark("position")
    subject.phone = "0912 777 333"
    subject.email = f"{MARKER.lower()}@example.vn"
    subject.website = f"https://{MARKER.lower()}.example.vn"
    subject.address = mark("address")
    subject.main_markets = mark("markets")
    subject.note = mark("subjectnote")
    subject.contact_public = False
    subject.save()
    Evaluation.objects.filter(product=product).update(
        note=mark("evaluationnote"), total_score=Decimal("87.65"), score_a=Decimal("31.17"))
    QualityCertification.objects.create(
        product=product, standard=Standard.VIETGAP, number=mark("qcnumber"),
        issuer=mark("issuer"), issued_on=today - dt.timedelta(days=30))
    Traceability.objects.create(product=product, system=mark("tracesystem"),
                                code=mark("tracecode"), started_on=today - dt.timedelta(days=9))
    Linkage.objects.create(subject=subject, partner=mark("partner"),
                           contract_number=mark("contract"), note=mark("linkagenote"),
                           valid_from=today - dt.timedelta(days=9))
    SupportRecord.objects.create(subject=subject, kind=SupportRecord.Kind.choices[0][0],
                                 date=today - dt.timedelta(days=9), content=mark("support"),
                                 funding_source=mark("funding"))
    # An upgrade: the first certificate is superseded, the second is current.
    recognise(product, stars=5, decision_date=today - dt.timedelta(days=20))
    revoked = make_product("Mật ong Bạch Thông")
    certificate_revoke(revoked.current_certificate, user=office_user(), revoked_on=today,
                       decision="7/QĐ-UBND", reason=mark("revocationreason"))
    archived = recognised(mark("archivedproduct"), decided=today - dt.timedelta(days=60))
    Product.all_objects.filter(pk=archived.pk).update(
        archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), archive_reason=mark("archive"))
    low = ProductFactory(name=mark("twostars"))
    recognise(low, stars=2, decision_date=today - dt.timedelta(days=60))
    product.refresh_from_db()
    return product


def public_paths(product) -> list[str]:
    paths = ["/catalogue/", "/catalogue/?q=mien", "/catalogue/?q=archivedproduct",
             "/catalogue/?q=twostars", "/catalogue/?page=2",
             f"/catalogue/{product.pk}/"]
    for other in Product.all_objects.all():
        paths.append(f"/catalogue/{other.pk}/")
        paths.extend(f"/verify/{c.verify_token}/" for c in other.certificates.all())
    return paths


def test_public_pages_show_no_private_field(seeded, settings):
    settings.CATALOGUE_RATE = settings.VERIFY_RATE = "1000/m"
    client = Client()
    seen = 0
    for path in public_paths(seeded):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        html = response.content.decode()
        for leak in (MARKER, MARKER.lower(), "0912 777 333", "87.65", "87,65", "31,17",
                     "31.17"):
            assert leak not in html, f"{path} shows {leak}"
        seen += response.status_code == 200
    assert seen >= 6  # the catalogue, the card and the check pages really answered


def test_the_markers_would_be_seen_on_the_staff_page(seeded, province_staff):
    """The marker test can fail: the product page behind the login shows the same markers."""
    client = Client()
    client.force_login(province_staff)
    html = client.get(f"/products/{seeded.pk}/").content.decode()
    assert len(set(re.findall(MARKER + r"\w+", html))) >= 3
