"""The import's limits on what a workbook unpacks to (cells, rows, columns, XML elements, bytes),
checked on the zip and its XML before openpyxl reads any of it. The hostile workbooks are minimal
.xlsx packages written here with zipfile: each is under the 5 MB upload limit, and each is
refused within 2 s and 200 MB where openpyxl alone spent minutes and gigabytes on such files.

Each test says which protection it fails without."""

import io
import os
import resource
import time
import tracemalloc
import zipfile

import pytest
from openpyxl.utils import get_column_letter

from products.imports import MAX_DATA_ROWS, MAX_FILE_BYTES, FileRefused, run_import
from products.imports.reader import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    check_file,
    read_sheet,
)
from products.imports.template import template_workbook
from products.models import Product
from tests.products.import_workbooks import HEADERS, row, workbook_bytes

NAME = "tan-cong.xlsx"
SECONDS = 2
PEAK_BYTES = 200 * 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = f"{REL_NS}/worksheet"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def package(sheet: bytes, *, parts: dict[str, bytes] | None = None, sheets: int = 1,
            sheet_rels: bytes | None = None, compresslevel: int = 1) -> bytes:
    """A minimal .xlsx: content types, the workbook with `sheets` entries all pointing to one
    worksheet part `sheet`, and any extra `parts` (shared strings, styles...)."""
    parts = parts or {}
    overrides = [("/xl/workbook.xml", f"{CONTENT_TYPE}.sheet.main+xml"),
                 ("/xl/worksheets/sheet1.xml", f"{CONTENT_TYPE}.worksheet+xml")]
    if "xl/sharedStrings.xml" in parts:
        overrides.append(("/xl/sharedStrings.xml", f"{CONTENT_TYPE}.sharedStrings+xml"))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/>'
        + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
        + "</Types>")
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{REL_NS}"><sheets>'
                + "".join(f'<sheet name="Trang {n}" sheetId="{n}" r:id="rId1"/>'
                          for n in range(1, sheets + 1))
                + "</sheets></workbook>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", _relationships(
            "rId1", f"{REL_NS}/officeDocument", "xl/workbook.xml"))
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _relationships(
            "rId1", SHEET_TYPE, "worksheets/sheet1.xml"))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if sheet_rels is not None:
            archive.writestr("xl/worksheets/_rels/sheet1.xml.rels", sheet_rels)
        for part, data in parts.items():
            archive.writestr(part, data)
    content = buffer.getvalue()
    assert len(content) < MAX_FILE_BYTES  # inside the upload limit, as the attacker's file
    return content


def _relationships(relation_id: str, kind: str, target: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="{relation_id}" Type="{kind}" Target="{target}"/></Relationships>')


def worksheet(rows: bytes, dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + MAIN_NS.encode()
            + b'">' + declared + b"<sheetData>" + rows + b"</sheetData></worksheet>")


def grid(columns: int, rows: int) -> bytes:
    """`rows` rows of `columns` numeric cells, each with its reference (A1, B1...)."""
    letters = [get_column_letter(column).encode() for column in range(1, columns + 1)]
    template = (b'<row r="%d">' + b"".join(b'<c r="' + letter + b'%d"><v>1</v></c>'
                                           for letter in letters) + b"</row>")
    return b"".join(template % ((number,) * (columns + 1)) for number in range(1, rows + 1))


def one_long_row(cells: int) -> bytes:
    """One row of `cells` cells without references, as the 545 KB file that cost 111 s. Each
    cell is 10 bytes, <c s="0"/> or <c s="1"/> at random, so that the part stays under the
    unpacked budget and deflates like data (some 50 times), not like a zip bomb."""
    cell = bytearray(b'<c s="0"/>' * cells)
    cell[6::10] = os.urandom(cells).translate(bytes(48 + n % 2 for n in range(256)))
    return b'<row r="1">' + bytes(cell) + b"</row>"


def within_budget(call):
    """Run `call` and return its result, asserting that it took under SECONDS of this process's
    CPU time and grew its peak resident size by under PEAK_BYTES; then run it again under
    tracemalloc (which slows Python code several times, hence not timed) for the peak of its
    allocations. CPU time, not the wall clock: it is the work the file costs the server, and it
    does not grow when other processes share the cores (CI runs the suite on every core)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.process_time()
    result = call()
    elapsed = time.process_time() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    tracemalloc.start()
    try:
        assert call() == result
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{elapsed:.2f} s"
    assert rss_growth < PEAK_BYTES, f"{rss_growth / 2**20:.0f} MB"
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"
    return result


def refused_file(content: bytes) -> str:
    """The message check_file refuses `content` with, within the budget."""

    def check():
        with pytest.raises(FileRefused) as refused:
            check_file(NAME, content)
        return str(refused.value)

    return within_budget(check)


WHERE = f"Trang tính đầu tiên (“Trang 1”) của tệp “{NAME}”"
FRESH = ("Hãy sao chép các ô dữ liệu, dán đặc biệt “Chỉ giá trị” vào tệp mẫu mới tải từ cổng "
         "rồi tải lên lại.")


def test_the_limits_are_what_the_template_can_hold():
    assert (MAX_COLUMNS, MAX_SHEET_ROWS, MAX_CELLS) == (50, 10_000, 250_050)
    assert MAX_UNPACKED_BYTES == 50 * 1024 * 1024


@pytest.mark.django_db
def test_one_row_of_5_000_000_cells_is_refused_at_its_first_column_over(province_staff):
    # Fails without the streamed column check (the cell count would refuse it later, with the
    # other message); without every check of the sheet, openpyxl spent 111 s and 4.65 GB on it.
    content = package(worksheet(one_long_row(5_000_000)), compresslevel=6)
    assert len(content) < 1.5 * 1024 * 1024

    def run():
        report = run_import(name=NAME, content=content, user=province_staff, dry_run=False)
        assert not report.applied
        return [str(error) for error in report.errors]

    assert within_budget(run) == [
        f"{WHERE} có ô ở cột AY (cột thứ 51), vượt quá 50 cột mẫu nhập có thể chứa (20 cột "
        "của mẫu và các cột ghi thêm); hãy xoá các cột thừa bên phải, kể cả cột trống đã định "
        "dạng."]
    assert Product.objects.count() == 0


def test_1_500_000_cells_are_refused_by_the_declared_dimension_before_any_cell():
    # Fails without the dimension check (the streamed cell count refuses it later, with its own
    # message).
    content = package(worksheet(grid(30, 50_000), dimension="A1:AD50000"))

    assert refused_file(content) == (
        f"{WHERE} khai báo vùng dữ liệu đến ô AD50000 (30 cột × 50.000 dòng), vượt quá mức "
        "mẫu nhập có thể chứa (50 cột × 10.000 dòng); hãy xoá các cột và dòng thừa, kể cả ô "
        "trống đã định dạng, rồi lưu lại.")


def test_100_000_rows_are_refused_at_the_first_row_over():
    # Fails without the streamed row check: 100,000 one-cell rows are within the cell budget.
    content = package(worksheet(grid(1, 100_000)))

    assert refused_file(content) == (
        f"{WHERE} có dòng 10.001, vượt quá 10.000 dòng mẫu nhập có thể chứa (tối đa 5.000 dòng "
        "dữ liệu mỗi lần nhập); hãy xoá các dòng thừa phía dưới, kể cả dòng trống đã định dạng, "
        "hoặc chia thành nhiều tệp.")


@pytest.mark.parametrize("dimension", ["A1:T10", None], ids=["lying-dimension", "no-dimension"])
def test_too_many_cells_are_refused_whatever_the_dimension_says(dimension):
    # Fails without the streamed cell count: 30 columns × 10,000 rows are each within their
    # limit, but 300,000 cells are more than 50 columns × 5,001 rows.
    content = package(worksheet(grid(30, 10_000), dimension=dimension))

    assert refused_file(content) == (
        f"{WHERE} có hơn 250.050 ô, vượt quá mức mẫu nhập có thể chứa (50 cột × 5.001 dòng); "
        "hãy chỉ giữ các cột của mẫu và tối đa 5.000 dòng dữ liệu.")


def test_cells_repeating_one_reference_are_counted():
    # Fails without the streamed cell count (the sheet's element budget would refuse it later,
    # with another message): every cell claims to be A1, so no position is over a limit, yet
    # openpyxl would build all 1,500,000 of them. (A random style digit keeps the part from
    # deflating like a zip bomb.)
    cells = bytearray(b'<c r="A1" s="0"/>' * 1_500_000)
    cells[13::17] = os.urandom(1_500_000).translate(bytes(48 + n % 10 for n in range(256)))
    content = package(worksheet(b'<row r="1">' + bytes(cells) + b"</row>"))

    assert refused_file(content).startswith(f"{WHERE} có hơn 250.050 ô")


def test_a_zip_bomb_is_refused_from_the_central_directory():
    # Fails without the sum of the declared sizes (the ratio check would refuse it after, with
    # another message). 60 MB of zeros deflate to some 60 KB.
    content = package(worksheet(grid(20, 10)), parts={"xl/media/image1.png": bytes(60 * 2**20)})

    assert refused_file(content) == (
        f"Tệp “{NAME}” khi giải nén lên tới 60,0 MB, vượt giới hạn 50 MB; không phải một danh "
        f"sách sản phẩm thông thường. {FRESH}")


def test_a_part_deflated_a_thousand_times_is_refused():
    # Fails without the compression ratio check: 20 MB of blanks between 80 rows are within the
    # unpacked budget and hold few elements to count.
    blanks = b" " * (256 * 1024)
    content = package(worksheet((b"</row>" + blanks).join(grid(1, 80).split(b"</row>"))))

    message = refused_file(content)

    assert message.startswith(f"Tệp “{NAME}” có phần “xl/worksheets/sheet1.xml” giải nén ra "
                              "20,0 MB, gấp ")
    assert message.endswith(" lần khi nén (bảng tính thông thường chỉ gấp 10 đến 30 lần): đây "
                            "là dấu hiệu của tệp nén độc hại, không phải một danh sách sản "
                            f"phẩm. {FRESH}")


def test_a_lying_header_is_refused_not_read():
    # zipfile itself stops at the size in the central directory, which is what the budget
    # sums; the truncated part then fails its CRC. This passes without any check of ours: it
    # pins that a header understating a 60 MB part is refused, not trusted.
    content = bytearray(package(worksheet(grid(1, 10) + b" " * (60 * 2**20))))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real_size = info.file_size.to_bytes(4, "little")
    lie = (1000).to_bytes(4, "little")
    central = content.rindex(b"PK\x01\x02", 0, content.rindex(b"xl/worksheets/sheet1.xml"))
    assert content[central + 24:central + 28] == real_size
    content[central + 24:central + 28] = lie
    content[info.header_offset + 22:info.header_offset + 26] = lie

    assert refused_file(bytes(content)).startswith(f"Không đọc được tệp “{NAME}”: tệp bị hỏng")


def test_parts_read_again_for_each_sheet_count_towards_the_unpacked_budget():
    # Fails without the count of the bytes actually unpacked: 40 sheets share one worksheet
    # whose 2 MB relationships part openpyxl (and the check) reads once per sheet, 80 MB in all
    # from a part the central directory declares once.
    noise = os.urandom(2**20).hex().encode()  # 2 MB that deflates only to half
    rels = (f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL_NS}">'.encode()
            + b"".join(b'<Relationship Id="x" Target="' + noise[start:start + 200] + b'"/>'
                       for start in range(0, len(noise), 200))
            + b"</Relationships>")
    content = package(worksheet(grid(20, 10)), sheets=40, sheet_rels=rels)

    assert refused_file(content) == (
        f"Tệp “{NAME}” khi giải nén vượt giới hạn 50 MB (ở phần "
        "“xl/worksheets/_rels/sheet1.xml.rels”); không phải một danh sách sản phẩm thông "
        f"thường. {FRESH}")


def test_a_styles_part_of_millions_of_formats_is_refused():
    # Fails without the element budget of the parts read on opening: a 16 KB styles.xml of 2
    # million <xf/> cost openpyxl 51 s and 1.2 GB before the first cell. (That one is refused
    # for its compression ratio; 100,000 <xf/> are 500 KB, too small for the ratio check.)
    styles = (f'<?xml version="1.0"?><styleSheet xmlns="{MAIN_NS}"><cellXfs>'.encode()
              + b"<xf/>" * 100_000 + b"</cellXfs></styleSheet>")
    content = package(worksheet(grid(20, 10)), parts={"xl/styles.xml": styles})

    assert refused_file(content) == (
        f"Tệp “{NAME}” có bảng kiểu định dạng ô quá lớn (hơn 50.000 phần tử XML), quá sức "
        f"một danh sách sản phẩm thông thường. {FRESH}")


def test_shared_strings_beyond_what_the_sheet_could_use_are_refused():
    # Fails without the element budget of the shared strings, which openpyxl loads whole on
    # opening (3.5 million empty strings, 90 KB zipped: 48 s and 390 MB).
    strings = (f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">'.encode()
               + b"".join(b"<si><t>%d</t></si>" % number for number in range(600_000))
               + b"</sst>")
    content = package(worksheet(grid(20, 10)), parts={"xl/sharedStrings.xml": strings})

    assert refused_file(content) == (
        f"Tệp “{NAME}” có bảng chuỗi văn bản dùng chung quá lớn (hơn 1.000.200 phần tử XML), "
        f"quá sức một danh sách sản phẩm thông thường. {FRESH}")


def test_a_long_run_of_text_without_tags_is_refused():
    # Fails without the cap on bytes between tags: expat parses a token cut by a chunk's end
    # again from its start with each chunk, so this 40 MB comment would cost the check (and
    # openpyxl, which reads 16 KB chunks) many seconds. It deflates 13 times, like data.
    comment = os.urandom(40 * 2**20).translate(bytes(48 + (n % 32 == 0) for n in range(256)))
    content = package(worksheet(b"<!--" + comment + b"-->" + grid(20, 10)))

    assert refused_file(content) == (
        f"Tệp “{NAME}” có phần “xl/worksheets/sheet1.xml” chứa một đoạn dài hơn 512 KB không "
        "có thẻ nào, trong khi một ô Excel chỉ chứa tối đa 32.767 ký tự; không phải một danh "
        f"sách sản phẩm thông thường. {FRESH}")


def test_a_part_declaring_a_dtd_is_refused_as_damaged():
    # Fails without the refusal of DOCTYPE: its entities could expand a small part at will.
    sheet = worksheet(grid(20, 10)).replace(
        b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY v "1">]><worksheet', 1)

    assert refused_file(package(sheet)).startswith(f"Không đọc được tệp “{NAME}”: tệp bị hỏng")


def test_a_full_template_of_5000_rows_still_reads():
    rows = [row(product_name=f"Sản phẩm {n}", decision_number=f"{n}/QĐ-UBND")
            for n in range(MAX_DATA_ROWS)]
    content = workbook_bytes(rows)

    check_file("san-pham.xlsx", content)
    sheet = read_sheet("san-pham.xlsx", content)

    assert not sheet.errors
    assert len(sheet.rows) == MAX_DATA_ROWS
    assert sheet.rows[-1][0] == MAX_DATA_ROWS + 1
    assert len(sheet.column_of) == len(HEADERS)


def test_blank_formatted_rows_below_the_data_are_within_the_limits():
    # Rows up to 10,000 are allowed, so formatting left below 5,000 rows of data is not refused.
    sheet = (worksheet(grid(20, 3) + b'<row r="9999" s="1" customFormat="1"><c r="T9999" s="1"/>'
                       b"</row>", dimension="A1:T9999"))
    content = package(sheet)

    check_file("san-pham.xlsx", content)


@pytest.mark.django_db
def test_the_downloadable_template_passes_the_limits():
    buffer = io.BytesIO()
    template_workbook().save(buffer)

    check_file("mau.xlsx", buffer.getvalue())
    sheet = read_sheet("mau.xlsx", buffer.getvalue())

    assert sheet.title == "Sản phẩm"
    assert len(sheet.rows) == 1  # the example row
