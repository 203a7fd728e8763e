"""Vietnamese text is data: stored in Unicode NFC, searched without diacritics."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

# đ/Đ are letters of their own, not d + a combining mark, so NFD alone does not fold them.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """Return `text` in Unicode normalisation form C (how every string is stored)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Search key: lower case, no diacritics, single spaces ("Hạ  Long" -> "ha long")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def _clean(text: str) -> str:
    return " ".join(nfc(text).split())


# A label typed by a person: NFC, trimmed, inner runs of spaces collapsed.
Label = Annotated[str, AfterValidator(_clean)]
