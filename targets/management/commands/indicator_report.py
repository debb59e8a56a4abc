import json

from django.core.management.base import BaseCommand, CommandError

from ocop_portal.models import District
from ocop_portal.numbers import percent_text
from targets.selectors.cycle import indicator_report


def _cell(value) -> str:
    return "–" if value is None else str(value)


class Command(BaseCommand):
    help = (
        "Chỉ tiêu, kết quả thực hiện và tỷ lệ của từng chỉ tiêu Kế hoạch OCOP trong năm, theo "
        "từng huyện và toàn tỉnh (cùng số liệu với trang Tổng quan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm kế hoạch, ví dụ 2024.")
        parser.add_argument("--format", choices=["json", "table"], default="table",
                            help="json hoặc table (mặc định: table).")
        parser.add_argument("--district", metavar="CODE",
                            help="Chỉ liệt kê một huyện, theo mã (ví dụ 064).")

    def handle(self, *args, year, format, district, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"Năm {year} không hợp lệ.")
        try:
            data = indicator_report(year=year, district_code=district)
        except District.DoesNotExist:
            raise CommandError(f"Không có huyện mã {district}.") from None
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._table(data)

    def _table(self, data):
        if data["plan"]:
            self.stdout.write(f"Kế hoạch {data['plan']} – năm {data['year']}")
        else:
            self.stdout.write(f"Năm {data['year']} (chưa có kế hoạch)")
        if "communes_rule" in data:
            self.stdout.write(data["communes_rule"])
        header = f"{'Đơn vị':<22} {'Chỉ tiêu':>9} {'Thực hiện':>10} {'Tỷ lệ':>7}"
        for indicator in data["indicators"]:
            self.stdout.write("")
            self.stdout.write(f"{indicator['name']} ({indicator['code']}, {indicator['unit']})")
            if "months_elapsed" in indicator:
                self.stdout.write(
                    f"  Số tháng đạt: {indicator['actual']}/12 (đã qua "
                    f"{indicator['months_elapsed']} tháng); {indicator['items']} tin, bài. "
                    "Theo huyện: số tin, bài gắn với huyện.")
            self.stdout.write("  " + header)
            for row in indicator["districts"]:
                self.stdout.write(
                    f"  {row['full_name']:<22} {_cell(row['quota']):>9} "
                    f"{_cell(row['actual']):>10} {percent_text(row['ratio']):>7}")
            self.stdout.write(
                f"  {'Toàn tỉnh':<22} {_cell(indicator['quota']):>9} "
                f"{_cell(indicator['actual']):>10} {percent_text(indicator['ratio']):>7}")
            if "forecast" in indicator:
                forecast = indicator["forecast"]
                value = f"{forecast['value']:.1f}".replace(".", ",")
                self.stdout.write(
                    f"  Dự báo cuối năm (toàn tỉnh): {value}; còn cần "
                    f"{_cell(forecast['still_needed'])}; đang trong chu trình "
                    f"{forecast['in_cycle']} sản phẩm mới.")
            if "communes" in indicator:
                counted = [c for c in indicator["communes"] if c["actual"]]
                parts = [f"{c['name']} {c['actual']}" for c in counted] or ["không có"]
                if indicator["without_commune"]:
                    parts.append(f"chưa ghi xã {indicator['without_commune']}")
                self.stdout.write("  Theo xã, phường mới: " + "; ".join(parts) + ".")
