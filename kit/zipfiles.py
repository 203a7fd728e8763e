"""Zip files whose bytes depend on their content only: an .xlsx or .docx rendered twice from the same data is the
same file, so its ETag (a hash of the body, kit/caching.py) holds and a client's If-None-Match gets a 304.

Python's zipfile stamps every member with the time it was written; `fixed_times` sets those stamps, in the local
headers and the central directory alike, to the zip epoch (1980-01-01 00:00), without touching the compressed data.
"""

import struct

_END = b"PK\x05\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_EPOCH_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01 in MS-DOS date form
_END_SEARCH = 22 + 0xFFFF  # the end record and the longest comment it may carry


def fixed_times(data: bytes) -> bytes:
    """The zip `data` with every member's time set to the epoch (unchanged when it is not a plain zip)."""
    end = data.rfind(_END, max(0, len(data) - _END_SEARCH))
    if end < 0:
        return data
    count, _, offset = struct.unpack_from("<HII", data, end + 10)
    if count == 0xFFFF or offset == 0xFFFFFFFF:  # zip64: larger than anything we render
        return data
    out = bytearray(data)
    at = offset
    for _ in range(count):
        if out[at : at + 4] != _CENTRAL:
            return data
        struct.pack_into("<HH", out, at + 12, 0, _EPOCH_DATE)
        name, extra, comment = struct.unpack_from("<HHH", out, at + 28)
        (local,) = struct.unpack_from("<I", out, at + 42)
        if out[local : local + 4] != _LOCAL:
            return data
        struct.pack_into("<HH", out, local + 10, 0, _EPOCH_DATE)
        at += 46 + name + extra + comment
    return bytes(out)
