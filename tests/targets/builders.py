"""Records for the indicator tests, made through the registry's real services (media items, which
have no service on this branch, through the model)."""

import datetime as dt

from django.utils import timezone

from communications.models import MediaItem, Outlet, OutletLevel
from products.services import quality_certification_add, traceability_add
from subjects.models import SupportRecord
from subjects.services import linkage_add, support_record_add
from tests.factories import office_user


def traceability(product, started_on, ended_on=None):
    return traceability_add(product=product, user=office_user(), system="Cổng truy xuất tỉnh",
                            started_on=started_on, ended_on=ended_on)


def quality(product, issued_on, expires_on=None, standard="vietgap"):
    return quality_certification_add(product=product, user=office_user(), standard=standard,
                                     issued_on=issued_on, expires_on=expires_on)


def linkage(subject, valid_from, valid_to=None):
    return linkage_add(subject=subject, user=office_user(), partner="Công ty Thu mua Nông sản",
                       valid_from=valid_from, valid_to=valid_to)


def support(subject, date, kind=SupportRecord.Kind.CONSOLIDATION):
    return support_record_add(subject=subject, user=office_user(), kind=kind, date=date,
                              content="Hỗ trợ mở rộng nhà xưởng")


def media_item(published_at: dt.datetime, district=None, title="Tin về sản phẩm OCOP"):
    outlet, _ = Outlet.objects.get_or_create(name="Báo Bắc Kạn",
                                             defaults={"level": OutletLevel.PROVINCE})
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at)
    return MediaItem.objects.create(title=title, kind="tin", outlet=outlet,
                                    published_at=published_at, district=district)
