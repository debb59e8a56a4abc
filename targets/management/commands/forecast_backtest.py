import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocop_portal.domain import RECORD_YEAR_RANGE
from ocop_portal.numbers import number_text, percent_text
from targets.indicators import counts_by_district, indicator_records
from targets.indicators.cycle import FORECAST_CODE, FORECAST_MIN_SAMPLE, POSITION_LABELS
from targets.selectors import indicator_progress
from targets.selectors.cycle import progress_outlook

_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")


def _number(value: float) -> str:
    return number_text(value, 1)


class Command(BaseCommand):
    help = (
        "Chạy lại dự báo số sản phẩm mới đạt 3 sao trở lên của một năm đã qua, như tính vào một "
        "ngày trong năm, rồi so với kết quả cuối năm của năm đó, theo từng huyện và toàn tỉnh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm đã qua, ví dụ 2023.")
        parser.add_argument("--as-of", required=True, dest="as_of",
                            help="Ngày tính dự báo trong năm đó, dd/mm (ví dụ 30/06).")

    def _day(self, year: int, text: str) -> dt.date:
        match = _DAY.match(text.strip())
        if not match:
            raise CommandError(f"Ngày “{text}” không hợp lệ; ghi dd/mm, ví dụ 30/06.")
        if match[3] and int(match[3]) != year:
            raise CommandError(f"Ngày {text} không thuộc năm {year}.")
        try:
            return dt.date(year, int(match[2]), int(match[1]))
        except ValueError as error:
            raise CommandError(f"Ngày “{text}” không có trong năm {year}.") from error

    def handle(self, *args, year, as_of, **options):
        if not RECORD_YEAR_RANGE[0] <= year <= RECORD_YEAR_RANGE[1]:
            raise CommandError(f"Năm {year} không hợp lệ.")
        day = self._day(year, as_of)
        end = dt.date(year, 12, 31)
        if end >= timezone.localdate():
            raise CommandError(f"Năm {year} chưa kết thúc nên chưa có kết quả để so sánh.")
        progress = indicator_progress(year=year, today=day)
        outlook = progress_outlook(progress)
        outcome = counts_by_district(indicator_records(FORECAST_CODE, year=year, today=end))
        write = self.stdout.write
        write(f"Dự báo sản phẩm mới đạt 3 sao trở lên năm {year}, tính ngày {day:%d/%m/%Y}, so "
              f"với kết quả ngày {end:%d/%m/%Y}")
        cycles = ", ".join(map(str, outlook.shares.cycles)) or "không có"
        write(f"Học từ các chu trình trước: {cycles}.")
        header = (f"{'Đơn vị':<22} {'Đến ngày':>9} {'Trong CT':>9} {'Dự báo':>8} "
                  f"{'Cuối năm':>9} {'Chênh':>7}")
        write(header)
        write("-" * len(header))
        rows = [(d.full_name, outlook.districts[d.pk], outcome.get(d.pk, 0))
                for d in progress.districts]
        rows.append(("Toàn tỉnh", outlook.province, sum(outcome.values())))
        for name, forecast, result in rows:
            if name == "Toàn tỉnh":
                write("-" * len(header))
            write(f"{name:<22} {forecast.actual:>9} {forecast.open_total:>9} "
                  f"{_number(forecast.value):>8} {result:>9} "
                  f"{_number(forecast.value - result):>7}")
        write("")
        write("Tỷ lệ toàn tỉnh theo giai đoạn (đã đến giai đoạn → được công nhận lần đầu):")
        for stage, share in outlook.shares.province.items():
            write(f"  {POSITION_LABELS[stage]:<32} {share.recognised:>3}/{share.reached:<3} = "
                  f"{percent_text(share.share)}")
        write(f"Huyện có từ {FORECAST_MIN_SAMPLE} sản phẩm đã đến một giai đoạn dùng tỷ lệ của "
              "huyện cho giai đoạn đó.")
        write(outlook.province.method)
