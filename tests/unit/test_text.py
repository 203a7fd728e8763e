"""Vietnamese text as data: stored in NFC, searched by a key without case, diacritics or extra spaces."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from kit.text import Label, fold, nfc

LABEL = TypeAdapter(Label)
NFD_QUANG_NINH = unicodedata.normalize("NFD", "Quảng Ninh")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hạ  Long", "ha long"),
        ("Quảng Ninh", "quang ninh"),
        (NFD_QUANG_NINH, "quang ninh"),
        ("Đông Triều", "dong trieu"),
        ("ĐỒNG ĐĂNG", "dong dang"),
        ("đường Trần Hưng Đạo", "duong tran hung dao"),
        ("  Cẩm   Phả\t", "cam pha"),
        ("Ưu tiên Ơn nghĩa", "uu tien on nghia"),
        ("Phường 3", "phuong 3"),
        ("", ""),
    ],
)
def test_fold_drops_case_diacritics_and_extra_spaces(text: str, key: str) -> None:
    assert fold(text) == key


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        (NFD_QUANG_NINH, "Quảng Ninh"),
        ("Quảng Ninh", "Quảng Ninh"),
        ("Hoa\u0300 Bi\u0300nh", "Hoà Bình"),  # a grave typed as a combining mark composes onto its vowel
    ],
)
def test_nfc_composes_what_a_keyboard_typed_decomposed(text: str, stored: str) -> None:
    assert nfc(text) == stored
    assert len(nfc(text)) == len(stored)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Phường  Hồng   Gai ", "Phường Hồng Gai"),
        (NFD_QUANG_NINH + "\n", "Quảng Ninh"),
        ("Bằng khen", "Bằng khen"),
    ],
)
def test_a_label_is_stored_in_nfc_trimmed_with_single_spaces(typed: str, stored: str) -> None:
    assert LABEL.validate_python(typed) == stored


vietnamese = st.text(
    alphabet=st.sampled_from(
        "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵAĐÊÔƠƯ0123456789 \t"
    )
)


@given(vietnamese)
def test_fold_is_the_same_for_composed_and_decomposed_text(text: str) -> None:
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == fold(nfc(text))


@given(vietnamese)
def test_fold_is_ascii_and_folding_twice_changes_nothing(text: str) -> None:
    assert fold(text).isascii()
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_of_any_text_is_stable(text: str) -> None:
    assert fold(fold(text)) == fold(text)
