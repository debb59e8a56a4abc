from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from communications.demo import demo_media_create
from ocop_portal.demo import DEMO_PASSWORD, demo_accounts_create
from products.demo import demo_registry_create
from targets.demo import demo_quotas_create


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu và một tài khoản mẫu cho mỗi vai trò (mật khẩu demo-ocop-2024). "
        "Chỉ chạy khi DJANGO_DEMO_DATA=True (`make run` đặt sẵn). Chạy sau load_backan_2024."
    )

    def handle(self, *args, **options):
        try:
            users = demo_accounts_create()
            actor = next(user for user in users if user.is_province_staff)
            registry = demo_registry_create(actor)
            media = demo_media_create()
            quotas = demo_quotas_create(actor)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Dữ liệu mẫu: {registry['subjects']} chủ thể, "
                          f"{registry['products']} sản phẩm, {media} tin bài, {quotas} chỉ tiêu "
                          "huyện mới tạo (đã có thì giữ nguyên).")
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):"))
        for user in users:
            scope = f" — {user.district}" if user.district else ""
            self.stdout.write(f"  {user.username:<15} {user.get_role_display()}{scope}")
