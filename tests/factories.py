"""Factories for registry records. Records with rules (evaluations, certificates) are made through
the real services, so tests see what users would produce."""

import datetime as dt
import itertools

import factory

from ocop_portal.models import Commune, District, Role, User
from ocop_portal.text import name_key, search_key
from ocop_portal.units import DISTRICTS_END
from products.models import CriteriaVersion, Product, ProductGroup
from products.services import evaluation_record
from subjects.models import Subject, SubjectType

_sequence = itertools.count(1)


def district(code="064"):
    return District.objects.get(code=code)


def top_group(code="1", version=CriteriaVersion.QD_148_2023):
    return ProductGroup.objects.get(criteria_version=version, code=code)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    name = factory.Sequence(lambda n: f"Hợp tác xã Nông sản số {n}")
    subject_type = SubjectType.COOPERATIVE
    district = factory.LazyFunction(lambda: district("064"))
    commune = factory.LazyAttribute(lambda o: commune_of(o.district.code))
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))
    search_text = factory.LazyAttribute(lambda o: search_key(o.name))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    subject = factory.SubFactory(SubjectFactory)
    district = factory.LazyAttribute(lambda o: o.subject.district)
    commune = factory.LazyAttribute(lambda o: commune_of(o.district.code))
    group = factory.LazyFunction(lambda: ProductGroup.objects.get(
        criteria_version=CriteriaVersion.QD_148_2023, code="1.3"))
    first_cycle_year = 2024
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))
    search_text = factory.LazyAttribute(lambda o: search_key(o.name, o.subject.name))


def office_user():
    """A province-staff user to act as the author of records made in tests."""
    user, _ = User.objects.get_or_create(username="factory_office",
                                         defaults={"role": Role.PROVINCE_STAFF})
    return user


def recognise(product, stars=3, decision_date=dt.date(2024, 6, 15), *, score=None, level=None,
              decision_number=None, cycle_year=None):
    """Record a recognition (or, below 3 stars, an evaluation) through the real service."""
    levels = {1: "huyen", 2: "huyen", 3: "huyen", 4: "tinh", 5: "trung_uong"}
    return evaluation_record(
        product=product, user=office_user(), cycle_year=cycle_year or decision_date.year,
        level=level or levels[stars], stars=stars, total_score=score,
        decision_number=decision_number or f"{next(_sequence)}/QĐ-UBND",
        decision_date=decision_date,
    )


def commune_of(district_code):
    return (Commune.objects.valid_on(DISTRICTS_END).filter(district__code=district_code)
            .order_by("code").first())
