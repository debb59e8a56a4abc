"""The lists' own filters (django-filter FilterSets of the pages), applied through the same
functions the pages and their exports call, with the user's scope."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class ScopedFilterBackend(DjangoFilterBackend):
    """Calls the view's `scoped_filter(user, params)` (products.filters.filtered_products, ...);
    the view's `filterset_class` describes the parameters in the schema. A value the list would
    refuse is a 400 that says why, not an empty page."""

    def filter_queryset(self, request, queryset, view):
        params = request.query_params
        filterset = view.filterset_class(params, user=request.user, queryset=queryset.none())
        if filterset.form.errors:
            raise ValidationError(dict(filterset.form.errors.items()))
        return view.scoped_filter(request.user, params)
