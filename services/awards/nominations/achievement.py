"""One achievement, one award: what a line of a nomination is commended for, as a key that the unique index
`uq_nominees_achievement` holds once per nominee and form among the live lines (not refused, not withdrawn).

- In a movement, the achievement is the movement's phase: the plan sets what each phase commends.
- Outside a movement, an emulation title (danh hiệu: Lao động tiên tiến, Tập thể lao động xuất sắc, Cờ thi đua …)
  is conferred for a year: the key is the year, whatever the dossier's wording.
- Outside a movement, an award (hình thức: Bằng khen, Giấy khen …) is for the achievement the dossier names, in its
  year: the year and the achievement text, folded (case, diacritics and spacing do not make a new achievement), so
  the yearly Bằng khen and one for a feat of the same year are two achievements, a re-filed dossier is not.

The migration 20261202_council_achievement back-fills existing lines with a frozen copy of this function.
"""

import hashlib
import uuid

from kit.text import fold
from services.awards.vocabulary import FormKind


def achievement_key(
    kind: FormKind, movement_id: uuid.UUID | None, phase_code: str | None, year: int, achievement: str | None
) -> str:
    if movement_id is not None:
        return f"phase:{movement_id}/{phase_code}"
    if kind == FormKind.TITLE or not fold(achievement or ""):
        return f"year:{year}"
    # a digest keeps the index entry small whatever the length of the text (up to 5,000 characters)
    digest = hashlib.sha256(fold(achievement or "").encode()).hexdigest()[:32]
    return f"year:{year}/achievement:{digest}"
