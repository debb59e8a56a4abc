from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop_portal.excel import workbook_bytes
from targets.appendix import APPENDICES, appendix_data, appendix_workbook
from targets.selectors import plan_for_year


class Command(BaseCommand):
    help = (
        "Xuất Phụ lục 1 hoặc 2 của kế hoạch năm: kế hoạch, thực hiện và tỷ lệ của từng huyện "
        "(cùng số liệu với indicator_report), kèm trang danh sách hồ sơ được tính."
    )

    def add_arguments(self, parser):
        parser.add_argument("appendix", type=int, choices=APPENDICES, help="Phụ lục 1 hoặc 2.")
        parser.add_argument("--year", type=int, required=True, help="Năm kế hoạch, ví dụ 2024.")
        parser.add_argument("--output", required=True, metavar="FILE.xlsx",
                            help="Tệp Excel sẽ ghi ra.")

    def handle(self, *args, appendix, year, output, **options):
        plan = plan_for_year(year)
        if plan is None:
            raise CommandError(f"Chưa có kế hoạch năm {year}.")
        data = appendix_data(number=appendix, plan=plan)
        path = Path(output)
        try:
            path.write_bytes(workbook_bytes(appendix_workbook(data)))
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error}") from error
        self.stdout.write(f"Đã ghi Phụ lục {appendix} năm {year} "
                          f"({sum(item.total.actual for item in data.items)} hồ sơ được tính) "
                          f"vào {path}")
