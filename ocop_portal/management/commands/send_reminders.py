from django.core.management.base import BaseCommand, CommandError

from ocop_portal.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Gửi e-mail nhắc “Việc cần làm” cho từng người có việc và có địa chỉ e-mail, mỗi người "
        "một thư mỗi đợt: cùng tác vụ mà lịch REMINDER_CRONTAB chạy. Chạy lại cùng đợt (mặc "
        "định: ngày hôm nay) không gửi thư nào lần hai."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", dest="dry_run",
                            help="Chỉ in ai sẽ nhận thư và những việc gì; không gửi, không ghi.")
        parser.add_argument("--key", dest="run_key", metavar="ĐỢT",
                            help="Tên đợt nhắc (mặc định: ngày hôm nay, YYYY-MM-DD).")

    def handle(self, *args, dry_run, run_key, **options):
        if run_key is not None and not (0 < len(run_key) <= 40):
            raise CommandError("--key dài từ 1 đến 40 ký tự.")
        outcome = reminders_send(run_key=run_key, dry_run=dry_run)
        if dry_run:
            for username, todo in outcome.would_send.items():
                self.stdout.write(f"{username} <{todo.user.email}>: {todo.count} việc")
                for line in todo.actionable:
                    self.stdout.write(f"  - {line.text} ({line.url})")
            self.stdout.write(
                f"Đợt {outcome.run_key} (chạy thử): sẽ gửi {len(outcome.would_send)} thư; "
                f"{len(outcome.already_sent)} người đã nhận thư của đợt này.")
            return
        self.stdout.write(
            f"Đợt {outcome.run_key}: đã gửi {len(outcome.sent)} thư; "
            f"{len(outcome.already_sent)} người đã nhận thư của đợt này từ trước.")
        if outcome.failed:
            raise CommandError(f"Không gửi được thư cho: {', '.join(outcome.failed)}; chạy lại "
                               "lệnh để gửi những thư còn thiếu.")
