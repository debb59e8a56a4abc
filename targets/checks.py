"""System checks of the plan's reference data against the indicator registry."""

from django.core import checks
from django.db import DatabaseError

from targets.indicators import REGISTRY
from targets.models import Indicator


@checks.register(checks.Tags.database)
def indicators_have_registry_entries(app_configs=None, databases=None, **kwargs):
    """An Indicator row whose code the registry does not know would be counted by nothing and
    silently left off every dashboard: fail instead. Runs with the database checks (`migrate`,
    `check --database default`)."""
    if not databases:
        return []
    errors = []
    for database in databases:
        try:
            codes = list(Indicator.objects.using(database).values_list("code", flat=True))
        except DatabaseError:
            return []  # not migrated yet: nothing to compare
        errors.extend(
            checks.Error(
                f"Chỉ tiêu “{code}” có trong cơ sở dữ liệu nhưng không có trong danh mục chỉ tiêu "
                "của cổng (targets.indicators.registry): không có cách đếm cho chỉ tiêu này.",
                hint="Thêm mục cho mã này vào targets/indicators/registry.py, hoặc xoá chỉ tiêu.",
                obj=f"Indicator {code}", id="targets.E001")
            for code in codes if code not in REGISTRY)
    return errors
