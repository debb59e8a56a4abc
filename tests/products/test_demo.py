import pytest
from django.core.management import call_command

from products.models import Certificate, Evaluation, Product
from subjects.models import Subject


@pytest.mark.django_db
def test_demo_data_is_marked_and_loaded_once(settings, reference_data):
    settings.DEMO_DATA = True
    settings.LOCAL = True
    call_command("load_demo_data")
    products = Product.objects.count()
    evaluations = Evaluation.objects.count()
    call_command("load_demo_data")
    assert Product.objects.count() == products >= 20
    assert Evaluation.objects.count() == evaluations
    assert not Product.objects.filter(is_demo=False).exists()
    assert not Subject.objects.filter(is_demo=False).exists()
    assert Subject.objects.values("district").distinct().count() == 8
    assert Certificate.objects.exists()


@pytest.mark.django_db
def test_demo_quotas_add_up_to_the_provincial_totals(settings, reference_data):
    from targets.models import Quota
    from targets.selectors import quota_mismatches

    settings.DEMO_DATA = True
    settings.LOCAL = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    plan_quotas = Quota.objects.filter(plan__year=2024)
    assert plan_quotas.filter(district__isnull=False).count() == 48
    assert quota_mismatches(plan_quotas.first().plan) == []
