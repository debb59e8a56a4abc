from django.core.management.base import BaseCommand, CommandError

from ocop_portal.jobs import requeue_jobs


class Command(BaseCommand):
    help = (
        "Đưa lại vào hàng đợi các việc chạy nền đang chờ (hàng đợi từng không hoạt động) và các "
        "việc đã quá thời hạn mà chưa xong (worker bị dừng giữa chừng). Lịch chạy định kỳ chạy "
        "lệnh này 5 phút một lần; chạy hai lần vẫn chỉ một kết quả."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stalled-after", type=int, metavar="GIÂY", dest="stalled_after",
            help="Coi việc đang chạy là bị gián đoạn sau số giây này (mặc định: giới hạn thời "
                 "gian của từng tác vụ cộng 60 giây).")

    def handle(self, *args, stalled_after, **options):
        if stalled_after is not None and stalled_after < 0:
            raise CommandError("--stalled-after phải từ 0 trở lên.")
        counts = requeue_jobs(stalled_after=stalled_after)
        self.stdout.write(
            f"Đã đưa vào hàng đợi {counts['dispatched']} việc; {counts['still_waiting']} việc "
            f"vẫn chờ (hàng đợi chưa hoạt động); {counts['given_up']} việc ngừng thử.")
        if counts["still_waiting"]:
            raise CommandError("Hàng đợi vẫn chưa hoạt động; các việc còn chờ sẽ được thử lại.")
