"""The base of the portal's list filters."""

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet

from ocop_portal.drillthrough import DrillThrough, drill_through
from ocop_portal.forms import use_portal_text_rules


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that lists nothing when a value is not acceptable (a district outside the
    user's reach, a malformed year), instead of silently dropping that filter and listing
    records the user did not ask for. The form shows what was wrong."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_portal_text_rules", False):
            use_portal_text_rules(form)  # a NUL in the search box gets a Vietnamese message
            form._portal_text_rules = True
        return form

    def filter_queryset(self, queryset):
        if self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)


class DrillThroughFilterSet(StrictFilterSet):
    """A list's filters that also understand a dashboard number's drill-through
    (ocop_portal.drillthrough): `?indicator=<code>&year=<Y>` narrows the list to the records
    behind that number, on top of the other filters. An unknown code is a 404."""

    record_kind: ClassVar[str]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.drill_through: DrillThrough | None = drill_through(data or {},
                                                                kind=self.record_kind)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.drill_through is not None:
            queryset = self.drill_through.apply(queryset)
        return queryset
