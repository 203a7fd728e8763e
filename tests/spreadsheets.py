"""Files as offices' machines write them, for import tests."""

import unicodedata

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """`text` as Vietnamese Windows writes it: letters with circumflex, breve or horn precomposed (the code page has
    them), tones as combining marks (it has few toned letters)."""
    out: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            base, tone = out[-1]
            out[-1] = (base, tone + ch) if ch in TONES else (base + ch, tone)
            continue
        out.append((ch, ""))
    return "".join(unicodedata.normalize("NFC", base) + tone for base, tone in out).encode("cp1258")
