"""`python manage.py import_products FILE.xlsx [--dry-run] [--user USERNAME]`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from products.management.commands.import_products import Command
from products.models import Evaluation, ImportBatch, Product
from subjects.models import Subject
from tests.products.import_workbooks import CLEAN_ROWS, csv_bytes, row, workbook_bytes
from tests.products.test_imports import registry_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_file(tmp_path):
    path = tmp_path / "san-pham-2024.xlsx"
    path.write_bytes(workbook_bytes(CLEAN_ROWS))
    return path


def import_products(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_products", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_clean_workbook_and_prints_what_it_created(reference_data,
                                                                     clean_file):
    out, _ = import_products(clean_file)

    assert "Đã nhập tệp san-pham-2024.xlsx: 4 dòng tạo mới, 0 dòng cập nhật" in out
    assert "Đã tạo: 3 chủ thể mới, 4 sản phẩm mới, 3 quyết định công nhận" in out
    assert "Dòng 2 – tạo mới: Trà Shan tuyết Bằng Phúc" in out
    assert (Subject.objects.count(), Product.objects.count(), Evaluation.objects.count()) == (
        3, 4, 3)
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.status, batch.user) == ("command", "applied", None)
    assert batch.summary["created"]["products"] == 4


def test_command_run_twice_changes_nothing_the_second_time(reference_data, clean_file):
    import_products(clean_file)
    before = registry_state()

    out, _ = import_products(clean_file)

    assert "0 dòng tạo mới, 0 dòng cập nhật, 4 dòng không đổi. Không có gì thay đổi." in out
    before["ImportBatch"] += 1  # the second run is recorded too
    assert registry_state() == before


def test_dry_run_prints_what_would_happen_and_saves_nothing(reference_data, clean_file):
    before = registry_state()

    out, _ = import_products(clean_file, "--dry-run")

    assert "Chạy thử (--dry-run), không lưu gì. Nếu nhập: 4 dòng tạo mới" in out
    assert "Sẽ tạo: 3 chủ thể mới" in out
    assert registry_state() == before


def test_errors_are_printed_with_row_and_column_and_nothing_is_saved(reference_data, tmp_path):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(workbook_bytes([row(), row(product_name="Măng khô", stars=6,
                                                commune="Kim Hỷ")]))
    before = registry_state()

    with pytest.raises(CommandError, match="Không nhập tệp loi.xlsx: 2 lỗi. Không có gì được"):
        import_products(path)

    assert registry_state() == before


def test_errors_go_to_stderr_and_the_exit_code_is_not_zero(reference_data, tmp_path):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(workbook_bytes([row(stars=6)]))
    err = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_products", str(path), stdout=io.StringIO(), stderr=err)

    # manage.py exits with the CommandError's return code.
    assert error.value.returncode == 1
    assert "Lỗi – Dòng 2, cột “Số sao”: 6 không hợp lệ, chỉ nhận 3, 4 hoặc 5." in err.getvalue()
    assert Product.objects.count() == 0


def test_a_renamed_csv_is_refused(reference_data, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(csv_bytes())

    err = io.StringIO()

    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_products", str(path), stdout=io.StringIO(), stderr=err)

    assert ("Lỗi – Tệp “danh-sach.xlsx” có đuôi .xlsx nhưng nội dung không phải bảng tính "
            "Excel") in err.getvalue()
    assert Subject.objects.count() == 0


def test_a_file_over_5_mb_is_refused_before_it_is_read(reference_data, tmp_path):
    path = tmp_path / "lon.xlsx"
    path.write_bytes(b"\0" * (5 * 1024 * 1024 + 1))

    with pytest.raises(CommandError, match="nặng 5,0 MB, vượt giới hạn 5 MB"):
        import_products(path)


def test_a_missing_file_is_refused(reference_data, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        import_products(tmp_path / "khong-co.xlsx")


def test_user_option_limits_a_district_officer_to_their_district(district_officer, clean_file):
    with pytest.raises(CommandError, match="2 lỗi"):
        import_products(clean_file, "--user", district_officer.username)
    assert Product.objects.count() == 0

    own = clean_file.with_name("cho-don.xlsx")
    own.write_bytes(workbook_bytes([CLEAN_ROWS[0], CLEAN_ROWS[3]]))
    out, _ = import_products(own, "--user", district_officer.username)

    assert "2 dòng tạo mới" in out
    assert ImportBatch.objects.get().user == district_officer
    assert set(Product.history.values_list("history_user", flat=True)) == {district_officer.pk}


def test_user_option_refuses_a_leader_and_an_unknown_account(leader, clean_file):
    with pytest.raises(CommandError, match="chỉ được xem, không được nhập dữ liệu"):
        import_products(clean_file, "--user", leader.username)
    with pytest.raises(CommandError, match="Không có tài khoản “ai_do”"):
        import_products(clean_file, "--user", "ai_do")
    assert Product.objects.count() == 0


def test_help_says_who_the_command_acts_as():
    parser = Command().create_parser("manage.py", "import_products")

    text = parser.format_help()

    assert "--user USERNAME" in text
    assert "cán bộ Văn phòng Điều phối tỉnh" in " ".join(text.split())
