"""Text normalisation for Vietnamese: NFC for storage, a folded shadow for search.

SQLite's `icontains` is ASCII-only and FTS5 does not fold đ→d; PostgreSQL's unaccent needs an
extension. A stored folded column searched with plain `contains` works the same on both.
"""

import unicodedata


def normalize_text(value: str | None) -> str:
    """Return `value` in Unicode NFC with surrounding whitespace stripped ('' for None)."""
    if not value:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def fold_text(value: str | None) -> str:
    """Return a lower-case, diacritic-free form: 'ĐẤT ĐAI' and 'đất đai' both give 'dat dai'."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
