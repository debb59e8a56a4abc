"""Writes of products themselves: registering, changing, archiving and restoring them."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from ocop_portal import review
from ocop_portal.archive import archive, archived_message, require_in_use, restore
from ocop_portal.history import record_author
from ocop_portal.models import Commune, District, User
from ocop_portal.permissions import require_edit_district
from ocop_portal.text import clean_text, name_key, search_key
from products.models import (
    Product,
    ProductGroup,
)
from subjects.models import Subject


def _set_product_keys(product: Product):
    product.name = clean_text(product.name)
    product.name_key = name_key(product.name)
    product.search_text = search_key(product.name, product.subject.name)


def refuse_archived_twin(archived: Product | None) -> None:
    """full_clean checks uniqueness among the products in use; an archived one holds its name
    too, and is restored rather than entered again."""
    if archived is not None:
        raise ValidationError({"name": archived_message("sản phẩm", archived.name)})


def _product_keys(product: Product):
    _set_product_keys(product)
    refuse_archived_twin(Product.all_objects.filter(
        subject_id=product.subject_id, name_key=product.name_key, archived_at__isnull=False,
    ).exclude(pk=product.pk).first())


def product_archive(product: Product, *, user, reason: str | None) -> Product:
    """Archive a product: it leaves the lists and every count, and keeps its history."""
    return archive(product, user=user, reason=reason)


def product_restore(product: Product, *, user) -> Product:
    """Bring a product back; its producer must be in use (restored first)."""
    if product.subject.is_archived:
        raise ValidationError(f"Chủ thể “{product.subject.name}” của sản phẩm đang được lưu "
                              "trữ; hãy khôi phục chủ thể trước.")
    return restore(product, user=user)


def _check_subject_scope(user, subject):
    # The producer must be one the user may work with, so that an officer cannot attach a
    # product to another district's producer by forging the form.
    require_edit_district(user, subject.district_id)
    require_in_use(subject)  # no new product for an archived producer


def product_build(*, user: User, name: str, subject: Subject, group: ProductGroup,
                  district: District, commune: Commune | None = None,
                  first_cycle_year: int | None = None, description: str = "",
                  is_demo: bool = False) -> Product:
    """A new product, unsaved, with the rules of product_create that need no database
    checked: the batch import checks the archived twin and uniqueness against what it loaded."""
    product = Product(name=name, subject=subject, group=group, district=district,
                      commune=commune, first_cycle_year=first_cycle_year,
                      description=description, is_demo=is_demo)
    require_edit_district(user, product.district_id)
    _check_subject_scope(user, product.subject)
    _set_product_keys(product)
    return product


@transaction.atomic
def product_create(*, user: User, name: str, subject: Subject, group: ProductGroup,
                   district: District, commune: Commune | None = None,
                   first_cycle_year: int | None = None, description: str = "",
                   photo: File | None = None, is_demo: bool = False) -> Product:
    """Register a product in a district the user may edit."""
    product = product_build(user=user, name=name, subject=subject, group=group,
                            district=district, commune=commune,
                            first_cycle_year=first_cycle_year, description=description,
                            is_demo=is_demo)
    if photo:
        product.photo = photo
    _product_keys(product)
    product.full_clean()
    record_author(product, user).save()
    return product


@transaction.atomic
def product_update(product: Product, *, user: User, name: str, subject: Subject,
                   group: ProductGroup, district: District, commune: Commune | None,
                   first_cycle_year: int | None, description: str,
                   photo: File | None | Literal[False] = None) -> Product:
    """Change a product; both its old and its new district must be the user's to edit. A photo
    of None keeps the current one, False removes it."""
    require_edit_district(user, product.district_id)
    require_in_use(product)
    saved_district, saved_commune = product.district, product.commune
    product.name, product.subject, product.group = name, subject, group
    product.district, product.commune = district, commune
    product.first_cycle_year, product.description = first_cycle_year, description
    if photo is False:
        product.photo = ""
    elif photo is not None:
        product.photo = photo
    require_edit_district(user, product.district_id)
    _check_subject_scope(user, product.subject)
    _product_keys(product)
    product.full_clean()
    if review.needs_review(user) and (product.district_id, product.commune_id) != (
            saved_district.pk, getattr(saved_commune, "pk", None)):
        # Where a product is counted waits for the province's review; the rest is saved.
        review.propose_change(
            product, user=user, kind="product_unit",
            changes={"district": product.district_id, "commune": product.commune_id},
            before={"Huyện/Thành phố": str(saved_district),
                    "Xã/Phường/Thị trấn": review.shown_value(saved_commune)},
            after={"Huyện/Thành phố": str(product.district),
                   "Xã/Phường/Thị trấn": review.shown_value(product.commune)})
        product.district, product.commune = saved_district, saved_commune
    record_author(product, user).save()
    return product


def product_unit_apply(product: Product, changes: dict, user) -> None:
    """Apply a confirmed district and commune of a product (ReviewItem.changes)."""
    product.district_id, product.commune_id = changes["district"], changes["commune"]
    product.full_clean()
    record_author(product, user).save(update_fields=["district", "commune", "updated_at"])


def refresh_search_text_for_subject(subject):
    """Products are searched by their producer's name too: keep the folded text in step."""
    for product in subject.products(manager="all_objects").all():  # archived ones too
        text = search_key(product.name, subject.name)
        if product.search_text != text:
            Product.all_objects.filter(pk=product.pk).update(search_text=text)
