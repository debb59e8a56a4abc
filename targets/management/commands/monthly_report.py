from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from targets import reports, tasks
from targets.models import ReportStatus


class Command(BaseCommand):
    help = (
        "Lập báo cáo tháng (cùng tác vụ lịch chạy ngày 1 hằng tháng). Mặc định lập ngay trong "
        "tiến trình này rồi in đường dẫn tệp; thư gửi kèm báo cáo đi qua hàng đợi (có REDIS_URL) "
        "hoặc gửi ngay (không có). Với --queue, chỉ đưa việc lập báo cáo vào hàng đợi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", metavar="YYYY-MM",
                            help="Tháng cần lập, ví dụ 2024-05; mặc định: tháng trước.")
        parser.add_argument("--queue", action="store_true",
                            help="Đưa vào hàng đợi cho Celery worker thay vì lập ngay.")

    def handle(self, *args, month, queue, **options):
        try:
            first_day = (reports.parse_month(month) if month
                         else reports.previous_month(timezone.localdate()))
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = reports.monthly_report_request(month=first_day, queue=queue)
        if queue:
            self.stdout.write(f"Đã đưa báo cáo tháng {report.label} (lần {report.version}) vào "
                              "hàng đợi; xem kết quả ở trang /reports/.")
            return
        # The very task the worker runs, executed here.
        tasks.monthly_report_generate.apply(args=[report.pk])
        report.refresh_from_db()
        if report.status != ReportStatus.DONE:
            raise CommandError(f"Lập báo cáo tháng {report.label} không thành công: "
                               f"{report.error}")
        self.stdout.write(f"Đã lập báo cáo tháng {report.label} (lần {report.version}): "
                          f"{report.file.path}")
        self.stdout.write(f"Gửi thư: {report.get_email_status_display()}"
                          f"{': ' + report.email_error if report.email_error else ''}")
