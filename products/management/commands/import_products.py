from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop_portal.models import Role, User
from products.imports import FileRefused, check_name_and_size
from products.imports.batches import import_file
from products.imports.report import COUNT_LABELS

SYSTEM_USERNAME = "import_products"


def system_actor() -> User:
    """The command's actor when no --user is given: province staff, in memory only, so that no
    account that could log in is created; records it writes have no author."""
    return User(username=SYSTEM_USERNAME, role=Role.PROVINCE_STAFF,
                first_name="Lệnh import_products")


class Command(BaseCommand):
    help = (
        "Nhập danh sách sản phẩm OCOP từ tệp Excel theo mẫu v1 (cùng mã với trang Nhập từ "
        "Excel). Tất cả hoặc không: có một lỗi thì không lưu gì, in từng lỗi với số dòng và "
        "tên cột, và thoát với mã khác 0. Nhập lại cùng một tệp không thay đổi gì. "
        "Mặc định lệnh chạy với quyền của cán bộ Văn phòng Điều phối tỉnh (toàn tỉnh, không "
        "gắn với tài khoản nào); dùng --user để chạy với quyền (và phạm vi huyện) của một tài "
        "khoản có sẵn."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx theo mẫu v1 (tối đa 5 MB, 5.000 dòng).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ kiểm tra và in những gì sẽ tạo, cập nhật; không lưu gì.")
        parser.add_argument(
            "--user", metavar="USERNAME",
            help="Tài khoản thực hiện. Mặc định: một tác nhân hệ thống có quyền cán bộ tỉnh "
                 "(mọi huyện). Cán bộ cấp huyện chỉ nhập được dòng của huyện mình; lãnh đạo "
                 "không được nhập.")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        path = Path(options["file"])
        content = self._read(path)
        report = import_file(user=user, name=path.name, content=content,
                             dry_run=options["dry_run"])
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Cảnh báo – {warning}"))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(self.style.ERROR(f"Lỗi – {error}"))
            raise CommandError(f"Không nhập tệp {path.name}: {len(report.errors)} lỗi. Không có "
                               "gì được lưu.")
        self._print_rows(report)
        created = ", ".join(f"{report.created[key]} {label}"
                            for key, label in COUNT_LABELS.items() if report.created[key])
        summary = (f"{len(report.rows_to_create)} dòng tạo mới, "
                   f"{len(report.rows_to_update)} dòng cập nhật, "
                   f"{len(report.rows_unchanged)} dòng không đổi.")
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(
                f"Chạy thử (--dry-run), không lưu gì. Nếu nhập: {summary}"
                + (f" Sẽ tạo: {created}." if created else "")))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Đã nhập tệp {path.name}: {summary}"
                + (f" Đã tạo: {created}." if created else " Không có gì thay đổi.")))

    def _user(self, username):
        if not username:
            return system_actor()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        if not user.is_active:
            raise CommandError(f"Tài khoản “{username}” đã bị khoá.")
        if not user.can_write_records:
            raise CommandError(f"Tài khoản “{username}” ({user.get_role_display()}) chỉ được xem, "
                               "không được nhập dữ liệu.")
        return user

    @staticmethod
    def _read(path: Path) -> bytes:
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            # Refuse a wrongly named or oversized file before reading it into memory.
            check_name_and_size(path.name, path.stat().st_size)
        except FileRefused as refused:
            raise CommandError(f"Lỗi – {refused} Không có gì được lưu.") from refused
        return path.read_bytes()

    def _print_rows(self, report):
        for result in report.rows:
            if not result.changes:
                continue
            self.stdout.write(f"Dòng {result.row} – {result.action_label.lower()}: "
                              f"{result.product} ({result.subject}, {result.district})")
            for change in result.changes:
                self.stdout.write(f"    {change}")
