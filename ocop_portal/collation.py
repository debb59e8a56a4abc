"""Vietnamese alphabetical order, the same on PostgreSQL and SQLite.

Lists, dropdowns and exports sort names as a Vietnamese dictionary does: by base letter in the
Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư …), then by tone (không dấu, huyền, hỏi,
ngã, sắc, nặng), then by case, lower first. Code-point order instead puts "Cao khôi" before
"Cá nướng" and "Đồng Lạc" after "Yên Thịnh".

On PostgreSQL the collation `VIETNAMESE` is ICU's Vietnamese (created by a migration of this
app); on SQLite it is `vietnamese_sort_key` below, registered on every connection. A query sorts
with `vietnamese("name")`. tests/ocop_portal/test_collation.py holds both to the same order.
"""

import functools
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate
from django.dispatch import receiver

VIETNAMESE = "vietnamese"
ICU_LOCALE = "vi"

ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
            "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# The marks that make a letter of its own (ă â ê ô ơ ư), composed back onto their base.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# The five tones, in dictionary order after the unmarked one.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """(letter, tone, is upper) for each letter of `text`, a letter with its own marks."""
    decomposed = unicodedata.normalize("NFD", text)
    index = 0
    while index < len(decomposed):
        base = decomposed[index]
        index += 1
        marks = ""
        tone = 0
        while index < len(decomposed) and unicodedata.combining(decomposed[index]):
            mark = decomposed[index]
            if mark in _LETTER_MARKS:
                marks += mark
            else:
                tone = _TONE_RANK.get(mark, tone)
            index += 1
        letter = unicodedata.normalize("NFC", base + marks)
        yield letter.lower(), tone, letter != letter.lower()


def _primary(letter: str) -> tuple[int, int]:
    # Spaces and punctuation, then digits, then letters, as ICU's default (non-ignorable) does.
    if letter in _LETTER_RANK:
        return (2, _LETTER_RANK[letter])
    if letter.isdigit():
        return (1, int(unicodedata.digit(letter, 0)))
    if letter.isalpha():
        return (3, ord(letter))
    return (0, ord(letter))


@functools.lru_cache(maxsize=65536)
def vietnamese_sort_key(text: str | None) -> tuple:
    """The sort key of `text`: base letters first, then tones, then case."""
    letters = list(_letters(text or ""))
    return (tuple(_primary(letter) for letter, _, _ in letters),
            tuple(tone for _, tone, _ in letters),
            tuple(upper for _, _, upper in letters))


def vietnamese_sorted(values, key=lambda value: value):
    """`values` sorted in Vietnamese order of `key(value)` (for lists built in Python)."""
    return sorted(values, key=lambda value: vietnamese_sort_key(key(value)))


def _compare(left: str | None, right: str | None) -> int:
    a, b = vietnamese_sort_key(left), vietnamese_sort_key(right)
    return (a > b) - (a < b)


def vietnamese(field: str) -> Collate:
    """An ordering expression: `queryset.order_by(vietnamese("name"), "pk")`."""
    return Collate(F(field), VIETNAMESE)


@receiver(connection_created)
def _register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VIETNAMESE, _compare)
