"""Text folding for search and duplicate detection in Vietnamese.

"Trà Shan tuyết", "TRA SHAN TUYET" and "tra  shan tuyết" fold to the same key, so users find
records whatever diacritics, case or spacing they type, and a producer is not registered twice
under two spellings.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")

# Common abbreviations of producer types, so "HTX Tài Hoan" matches "Hợp tác xã Tài Hoan".
_ABBREVIATIONS = [
    ("hop tac xa", "htx"),
    ("to hop tac", "tht"),
    ("ho kinh doanh", "hkd"),
    ("co so san xuat", "cssx"),
    ("cong ty trach nhiem huu han", "cty tnhh"),
    ("cong ty co phan", "cty cp"),
    ("cong ty", "cty"),
]


def strip_diacritics(text: str) -> str:
    """The text without Vietnamese diacritics (đ → d, Đ → D), case kept."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: the search key of a text."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_diacritics(text).lower()).strip()


def name_key(text: str) -> str:
    """The key under which two names of one producer are the same: folded, no punctuation,
    the producer types abbreviated."""
    key = _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(text))).strip()
    for long, short in _ABBREVIATIONS:
        key = re.sub(rf"\b{long}\b", short, key)
    return key


def clean_text(text) -> str:
    """Unicode NFC with single spaces: how names are stored."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def search_key(*parts) -> str:
    """What a record is searched by: its texts folded, plus their abbreviated forms, so that
    "hop tac xa tai hoan" and "HTX Tài Hoan" find each other."""
    keys = []
    for part in parts:
        if part:
            keys.append(fold(part))
            keys.append(name_key(part))
    return " ".join(keys)


def search_terms(query: str) -> list[str]:
    """The words of a search, folded and abbreviated like search_key; all must match."""
    return name_key(query).split()
