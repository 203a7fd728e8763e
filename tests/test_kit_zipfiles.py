"""Zip files whose bytes depend on their content only (kit/zipfiles.py): what Office documents are made of."""

import io
import zipfile

from kit.zipfiles import fixed_times


def _zip(when: tuple[int, int, int, int, int, int], members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_members_written_at_different_times_give_the_same_bytes() -> None:
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": "Quyết định khen thưởng".encode() * 50}
    morning, evening = _zip((2025, 12, 5, 8, 0, 0), members), _zip((2025, 12, 5, 20, 30, 12), members)
    assert morning != evening
    assert fixed_times(morning) == fixed_times(evening)
    opened = zipfile.ZipFile(io.BytesIO(fixed_times(morning)))
    assert opened.testzip() is None
    assert {i.filename: opened.read(i) for i in opened.infolist()} == members
    assert {i.date_time for i in opened.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_what_is_not_a_zip_is_left_alone() -> None:
    assert fixed_times(b"not a zip") == b"not a zip"
    assert fixed_times(b"PK\x05\x06" + b"\xff" * 18) == b"PK\x05\x06" + b"\xff" * 18
