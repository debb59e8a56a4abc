"""Factories for media coverage; derived fields (URL key, search text) are filled in as the
services fill them."""

import datetime as dt

import factory
from django.utils import timezone

from communications.models import MediaItem, MediaKind, Outlet, OutletLevel
from communications.services import media_item_keys


def local(*args) -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh (the portal's time zone)."""
    return timezone.make_aware(dt.datetime(*args))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Báo thử nghiệm số {n}")
    level = OutletLevel.PROVINCE


class MediaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Sản phẩm OCOP Bắc Kạn, tin số {n}")
    kind = MediaKind.NEWS
    outlet = factory.SubFactory(OutletFactory)
    published_at = factory.LazyFunction(lambda: local(2024, 5, 15, 9, 0))
    url = factory.Sequence(lambda n: f"https://baobackan.vn/ocop/tin-so-{n}.html")
    author = "Hoàng Lan"
    district = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        item = model_class(*args, **kwargs)
        media_item_keys(item)
        item.save()
        return item

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)
