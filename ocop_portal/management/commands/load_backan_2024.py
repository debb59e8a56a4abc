from django.core.management.base import BaseCommand

from communications.reference import outlets_load
from ocop_portal.services import LoadResult, administrative_units_load
from products.taxonomy import product_groups_load
from targets.services import plan_180_load


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu tham chiếu của tỉnh Bắc Kạn: đơn vị hành chính theo từng thời kỳ (tỉnh 06, "
        "8 huyện, 108 xã 2020-2025; các xã trước 01/02/2020; 37 xã, phường của tỉnh Thái Nguyên "
        "từ 01/07/2025 và việc sắp xếp giữa chúng), nhóm sản phẩm OCOP, cơ quan báo chí, Kế "
        "hoạch 180/KH-UBND với các chỉ tiêu toàn tỉnh. "
        "Chạy lại nhiều lần không làm thay đổi dữ liệu."
    )

    def handle(self, *args, **options):
        steps = [
            ("Đơn vị hành chính", administrative_units_load),
            ("Nhóm sản phẩm (QĐ 148/2023, QĐ 1048/2019)", product_groups_load),
            ("Cơ quan báo chí, truyền thông", outlets_load),
            ("Kế hoạch 180/KH-UBND: chỉ tiêu và nội dung", plan_180_load),
        ]
        total = LoadResult()
        for label, load in steps:
            result = load()
            total.add(result)
            self.stdout.write(f"{label}: {result}")
        self.stdout.write(self.style.SUCCESS(f"Hoàn tất: {total}."))
