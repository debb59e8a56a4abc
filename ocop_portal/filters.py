"""The base of the portal's list filters."""

import django_filters


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that lists nothing when a value is not acceptable (a district outside the
    user's reach, a malformed year), instead of silently dropping that filter and listing
    records the user did not ask for. The form shows what was wrong."""

    def filter_queryset(self, queryset):
        if self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)
