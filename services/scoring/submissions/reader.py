"""The columns of a file of values, one line per unit and indicator, with the labels offices give them."""

from kit.spreadsheets import Heading

HEADINGS = (
    Heading("unit_id", ("Mã đơn vị (ID)", "ID đơn vị")),
    Heading("unit", ("Đơn vị", "Tên đơn vị")),
    Heading("indicator_code", ("Mã chỉ số", "Mã tiêu chí", "Chỉ số")),
    Heading("value", ("Giá trị", "Số liệu", "Kết quả"), kind="number"),
    Heading("numerator", ("Tử số",), kind="number"),
    Heading("denominator", ("Mẫu số",), kind="number"),
    Heading("flag", ("Có/Không", "Đạt/Không đạt"), kind="flag"),
    Heading("category", ("Phân loại", "Mức")),
    Heading("evidence_number", ("Số văn bản minh chứng", "Số văn bản")),
    Heading("evidence_date", ("Ngày văn bản", "Ngày ban hành"), kind="date"),
    Heading("evidence_subject", ("Trích yếu", "Trích yếu văn bản")),
)
EVIDENCE = ("evidence_number", "evidence_date", "evidence_subject")
