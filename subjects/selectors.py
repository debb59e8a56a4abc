"""Reads of producers. The district filter lives here: the lookup is the check."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from ocop_portal import review, units
from ocop_portal.permissions import scope_to_user
from subjects import completeness
from subjects.models import Subject


def subject_list_for_user(user, *, archived: bool = False) -> QuerySet:
    """Producers the user may see, with the number of their products the user may see (in use,
    not archived), in a fixed number of queries. The number is a subquery per row: a page of 50
    counts the products of those 50, not of every producer before the LIMIT."""
    # The products app's model, through the relation (products imports this app, not back).
    products = Subject.products.rel.related_model.objects.filter(  # type: ignore[union-attr]
        subject=OuterRef("pk"))  # in use only
    if getattr(user, "is_district_officer", False):
        products = products.filter(district_id=user.district_id)
    count = products.order_by().values("subject").annotate(n=Count("pk")).values("n")
    return (scope_to_user(Subject.listed(archived=archived), user)
            .select_related("district", "commune")
            .annotate(product_count=Coalesce(Subquery(count, output_field=IntegerField()), 0)))


def subject_get_for_user(user, pk) -> Subject:
    """One producer the user may see, archived or not, or 404."""
    return get_object_or_404(scope_to_user(Subject.all_objects.all(), user)
                             .select_related("district", "commune", "commune__district",
                                             "commune__province"), pk=pk)


def subject_detail(subject: Subject, user) -> dict:
    """What the producer's page shows beside it: products, linkages, support."""
    # An archived producer's page still lists its (archived) products.
    own = (subject.products(manager="all_objects").all() if subject.is_archived
           else subject.products.all())
    products = (scope_to_user(own, user)
                .select_related("district", "group", "group__parent", "current_certificate",
                                "current_certificate__evaluation"))
    linkages = list(subject.linkages.all())
    supports = list(subject.supports.select_related("created_by"))
    return {
        "products": list(products),
        "linkages": linkages,
        "supports": supports,
        # What awaits the province's review, for the badges and the notice (one query).
        "pending_changes": review.annotate_records([subject, *linkages, *supports]),
        # its commune's full name with the units before and after it (one query)
        "commune_text": units.unit_with_history(subject.commune),
        "dossier": completeness.subject_dossier(subject),
    }
