"""The columns of a unit list, with the labels provinces give them (kit.spreadsheets matches them)."""

from kit.spreadsheets import Heading, Row, read_table

HEADINGS = (
    Heading("code", ("Mã đơn vị", "Mã")),  # either code: an administrative one is all digits
    Heading("admin_code", ("Mã ĐVHC", "Mã đơn vị hành chính", "Mã hành chính")),
    Heading("organ_code", ("Mã định danh", "Mã định danh cơ quan", "Mã định danh điện tử")),
    Heading("name", ("Tên đơn vị", "Tên", "Tên cơ quan, đơn vị")),
    Heading("short_name", ("Tên viết tắt", "Tên ngắn")),
    Heading("kind", ("Loại đơn vị", "Loại", "Loại hình")),
    Heading("level", ("Cấp", "Cấp hành chính")),
    Heading("parent_code", ("Mã cấp trên", "Mã đơn vị cấp trên")),
    Heading("parent", ("Đơn vị cấp trên", "Cấp trên", "Trực thuộc")),
    Heading("valid_from", ("Hiệu lực từ", "Ngày hiệu lực", "Từ ngày"), kind="date"),
)
COLUMNS = tuple(h.key for h in HEADINGS)


def read_rows(content: bytes, filename: str, content_type: str | None) -> list[Row]:
    """The unit list's data rows (title rows, STT and blank lines left out)."""
    return read_table(content, filename, content_type, HEADINGS)
