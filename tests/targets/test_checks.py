"""An indicator in the database that the registry cannot count fails the system checks."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from targets.checks import indicators_have_registry_entries
from targets.indicators import REGISTRY
from targets.models import Indicator


def test_every_loaded_indicator_has_a_registry_entry(reference_data):
    assert set(Indicator.objects.values_list("code", flat=True)) == set(REGISTRY)
    assert indicators_have_registry_entries(databases=["default"]) == []
    call_command("check", databases=["default"])


def test_an_indicator_without_an_entry_fails_the_check(reference_data):
    Indicator.objects.create(code="organic_products", name="Sản phẩm hữu cơ", short_name="Hữu cơ",
                             unit="sản phẩm", definition="x", counting_rule="x")
    errors = indicators_have_registry_entries(databases=["default"])
    assert [error.id for error in errors] == ["targets.E001"]
    assert "organic_products" in errors[0].msg
    with pytest.raises(SystemCheckError, match="organic_products"):
        call_command("check", databases=["default"])


def test_the_check_needs_the_database_asked_for():
    # Without --database the checks do not touch the database (e.g. before it is migrated).
    assert indicators_have_registry_entries(databases=None) == []
