import pytest

from communications.url_keys import url_key

CANONICAL = "baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2"


@pytest.mark.parametrize("variant", [
    "https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
    "http://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
    "https://www.baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
    "HTTPS://WWW.BaoBacKan.VN/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
    "https://baobackan.vn:443/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
    "http://baobackan.vn:80/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
    "https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html/?id=7&page=2",
    "https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?page=2&id=7",
    "https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2#binh-luan",
    "https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?utm_source=zalo"
    "&utm_medium=social&id=7&page=2&fbclid=IwAR0abc",
    "https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&gclid=x"
    "&page=2&zarsi=1&zarsrc=30&UTM_Campaign=ocop",
    "  https://baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2  ",
    "baobackan.vn/kinh-te/tra-shan-tuyet-bang-phuc-dat-4-sao-123.html?id=7&page=2",
])
def test_variants_of_one_address_share_the_key(variant):
    assert url_key(variant) == CANONICAL


@pytest.mark.parametrize(("first", "second"), [
    ("https://baobackan.vn/ocop/a.html", "https://baobackan.vn/ocop/b.html"),
    ("https://baobackan.vn/ocop?id=1", "https://baobackan.vn/ocop?id=2"),
    ("https://baobackan.vn/ocop", "https://nongnghiep.vn/ocop"),
    ("https://baobackan.vn/ocop", "https://baobackan.vn:8080/ocop"),
    ("https://baobackan.vn/OCOP", "https://baobackan.vn/ocop"),
    ("https://m.baobackan.vn/ocop", "https://baobackan.vn/ocop"),
])
def test_different_pages_keep_different_keys(first, second):
    assert url_key(first) != url_key(second)


def test_percent_encoded_and_unicode_paths_are_one_address():
    assert url_key("https://vtv.vn/tin-tức/ocop") == url_key("https://vtv.vn/tin-t%E1%BB%A9c/ocop/")


def test_trailing_slash_of_the_home_page_and_empty_parameters():
    assert url_key("https://baobackan.vn/") == url_key("http://www.baobackan.vn") == "baobackan.vn"
    assert url_key("https://baobackan.vn/?utm_source=fb") == "baobackan.vn"
    assert url_key("https://baobackan.vn/tim?q=") == "baobackan.vn/tim?q="


def test_an_empty_address_has_an_empty_key():
    assert url_key("") == ""
    assert url_key("   ") == ""
    assert url_key(None) == ""


def test_other_schemes_keep_their_scheme():
    assert url_key("ftp://files.backan.gov.vn/ocop.pdf") == "ftp://files.backan.gov.vn/ocop.pdf"
