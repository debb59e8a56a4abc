import pytest

from ocop_portal.text import clean_text, fold, name_key


@pytest.mark.parametrize(("typed", "stored"), [
    ("tra shan tuyet", "Trà Shan tuyết"),
    ("TRÀ SHAN TUYẾT", "Trà Shan tuyết"),
    ("mien dong", "Miến dong Tài Hoan"),
    ("dao", "Đào"),
])
def test_fold_ignores_diacritics_and_case(typed, stored):
    assert fold(typed) in fold(stored)


def test_name_key_treats_abbreviations_and_spacing_alike():
    assert name_key("HTX  Tài Hoan") == name_key("Hợp tác xã Tài Hoan")
    assert name_key("Hợp Tác Xã Tài Hoan.") == name_key("hop tac xa tai hoan")
    assert name_key("Công ty TNHH Ba Bể") != name_key("HTX Ba Bể")


def test_clean_text_normalises_unicode_and_spaces():
    decomposed = "Tra\u0300  Shan"  # "Trà" written with a combining grave accent
    assert clean_text(decomposed) == "Trà Shan"
