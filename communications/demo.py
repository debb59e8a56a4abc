"""Demo media items for a first run on a laptop: 2024 and the current year, some months met and
some missed, so that the calendar and the list have something to show. Never in production."""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from communications.models import MediaItem, MediaKind, Outlet, OutletLevel
from communications.reference import outlets_load
from communications.services import media_item_create
from communications.url_keys import url_key
from ocop_portal.demo import ensure_demo_asked_for
from ocop_portal.models import District, User
from products.models import Product

# Items a month in 2024 (the plan year) and in the months of the current year before this one.
PATTERN_2024 = [2, 3, 1, 2, 3, 2, 0, 2, 4, 1, 2, 3]
PATTERN_CURRENT_YEAR = [2, 1, 2, 3, 2, 2, 1, 2, 2, 3, 2]

DISTRICT_OUTLETS = [("Cổng Thông tin điện tử huyện Chợ Đồn", "064"),
                    ("Cổng Thông tin điện tử huyện Na Rì", "066")]
# (district code or None, what the item is about, the place)
TOPICS = [
    ("064", "trà shan tuyết", "xã Bằng Phúc, huyện Chợ Đồn"),
    ("066", "miến dong", "xã Côn Minh, huyện Na Rì"),
    (None, "sản phẩm OCOP", "tỉnh Bắc Kạn"),
    ("062", "gạo nếp khẩu nua lếch", "huyện Ngân Sơn"),
    ("061", "hồng không hạt", "huyện Ba Bể"),
    ("064", "mật ong", "huyện Chợ Đồn"),
    ("066", "bánh khảo", "huyện Na Rì"),
]
HEADLINES = [
    (MediaKind.ARTICLE, "{topic} giúp người dân {place} nâng cao thu nhập"),
    (MediaKind.NEWS, "Đánh giá, phân hạng sản phẩm OCOP tại {place} tháng {month}/{year}"),
    (MediaKind.REPORTAGE, "Phóng sự: Hành trình đưa {topic} của {place} vươn xa"),
    (MediaKind.NEWS, "Kết nối tiêu thụ {topic} {place} tại Hà Nội"),
    (MediaKind.VIDEO, "Truy xuất nguồn gốc cho {topic} {place}"),
    (MediaKind.ARTICLE, "Nâng hạng sao cho {topic}: kinh nghiệm từ {place}"),
]


def _office_user():
    user = User.objects.filter(username="demo_tinh").first()
    if user is None:
        raise ImproperlyConfigured("Chưa có tài khoản mẫu demo_tinh: hãy tạo tài khoản mẫu trước.")
    return user


def _outlets():
    outlets_load()
    for name, _ in DISTRICT_OUTLETS:
        Outlet.objects.get_or_create(name=name, defaults={"level": OutletLevel.DISTRICT})
    return list(Outlet.objects.order_by("name"))


def _months():
    today = timezone.localdate()
    for month, count in enumerate(PATTERN_2024, start=1):
        yield 2024, month, count
    if today.year > 2024:
        for month in range(1, today.month):
            yield today.year, month, PATTERN_CURRENT_YEAR[(month - 1) % len(PATTERN_CURRENT_YEAR)]
        # The month under way has one item, so the calendar shows how many are still needed.
        yield today.year, today.month, 1


def _published_at(year, month, number):
    if (year, month) == (2024, 5) and number == 0:
        # Late on the last day of a month: counts in May in Vietnam, although it is June in UTC+0.
        return dt.datetime(2024, 5, 31, 23, 30, tzinfo=timezone.get_current_timezone())
    day = min(3 + number * 9, 28)
    moment = dt.datetime(year, month, day, 8 + number, 15, tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


@transaction.atomic
def demo_media_create() -> int:
    """Create the demo media items that are not there yet; return how many were created."""
    ensure_demo_asked_for()
    user = _office_user()
    outlets = _outlets()
    districts = {district.code: district for district in District.objects.all()}
    created = 0
    sequence = 0
    for year, month, count in _months():
        for number in range(count):
            sequence += 1
            code, topic, place = TOPICS[sequence % len(TOPICS)]
            kind, headline = HEADLINES[sequence % len(HEADLINES)]
            url = f"https://tin-mau.example/ocop/{year}/{month:02d}/{number + 1}"
            if MediaItem.objects.filter(url_key=url_key(url)).exists():
                continue
            district = districts.get(code) if code else None
            products = Product.objects.filter(is_demo=True, district=district)[:1] if district \
                else []
            title = headline.format(topic=topic, place=place, month=month, year=year)
            media_item_create(
                user=user, title=title[0].upper() + title[1:],
                kind=kind, outlet=outlets[sequence % len(outlets)],
                published_at=_published_at(year, month, number), url=url,
                author="Phóng viên (dữ liệu mẫu)", district=district, products=list(products),
                note="Tin, bài mẫu để thử cổng OCOP.", is_demo=True,
            )
            created += 1
    return created
