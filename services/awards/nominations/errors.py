from kit.problems import Conflict, InvalidInput, NotFound, Text


class NominationNotFound(NotFound):
    slug = "nomination-not-found"
    title = Text("Không tìm thấy hồ sơ đề nghị", "Nomination not found")


class AlreadyNominated(Conflict):
    slug = "already-nominated"
    title = Text(
        "Một thành tích chỉ được khen một lần: đối tượng đã được đề nghị hình thức này cho thành tích này",
        "One achievement, one award: this nominee is already proposed for this form for this achievement",
    )


class DossierIncomplete(InvalidInput):
    slug = "dossier-incomplete"
    title = Text("Hồ sơ còn thiếu tài liệu", "The dossier lacks documents")


class DossierLocked(Conflict):
    slug = "dossier-locked"
    title = Text(
        "Hồ sơ chỉ sửa được khi là dự thảo hoặc bị trả lại", "The dossier is editable only in draft or returned"
    )


class StepNotReady(Conflict):
    slug = "step-not-ready"
    title = Text("Chưa đủ điều kiện chuyển bước", "The nomination is not ready for this step")


class AgainstCouncil(InvalidInput):
    slug = "decision-against-council"
    title = Text(
        "Quyết định khác với kết quả bỏ phiếu của Hội đồng cần nêu lý do cho từng đối tượng",
        "A line decided against the council's vote needs its reason",
    )


class DossierLacks(DossierIncomplete):
    message = Text("Hồ sơ thiếu: {lacking_vi}", "The dossier lacks: {lacking_en}")


MISSING_DOCUMENT = Text("Thiếu {title_vi}", "Missing {title_en}")  # one entry of `DossierLacks.errors`


class IssuedByDecision(StepNotReady):
    title = Text("Hồ sơ chuyển sang 'issued' khi quyết định được công bố", "A nomination is issued by its decision")


class NoPublicNotice(StepNotReady):
    message = Text("{form_vi} không cần công khai", "{form_en} needs no public notice")


class PublicNoticeFirst(StepNotReady):
    message = Text("{form_vi} phải công khai trước khi trình Hội đồng", "{form_en} needs public notice first")


class CouncilNotDone(StepNotReady):
    title = Text("Hội đồng chưa có kết quả cho mọi đối tượng", "The council has not voted on every line")


class EscalateAfterCouncil(StepNotReady):
    title = Text("Chỉ đề nghị lên cấp trên sau khi Hội đồng xét", "Escalate once the council has considered it")


class AgainstCouncilUnexplained(AgainstCouncil):
    message = Text("Cần nêu lý do: {lines_vi}", "A reason is needed: {lines_en}")


class NotConferredThere(InvalidInput):
    slug = "authority-cannot-confer"
    title = Text("Cấp này không trao hình thức khen thưởng này", "This authority's level does not confer the form")
    message = Text(
        "{form_vi} không do cấp {level} trao vào ngày {on:%d/%m/%Y} (cấp có thẩm quyền: {levels_vi})",
        "{form_en} is not conferred at {level} level on {on} (levels: {levels_en})",
    )
    fault = "/authority_unit_id"


class FiledInFuture(InvalidInput):
    slug = "filed-in-future"
    title = Text("Ngày nộp ở tương lai", "filed_on is in the future")
    fault = "/filed_on"


class NoSuchPhase(InvalidInput):
    slug = "movement-phase-not-found"
    title = Text("Phong trào không có giai đoạn này", "No such phase")
    fault = "/phase_code"


class AchievementAfterFiling(InvalidInput):
    slug = "achievement-after-filing"
    title = Text("Năm thành tích sau năm nộp hồ sơ", "The achievement's year is after the filing year")
    message = Text("Năm thành tích sau năm nộp hồ sơ ({year})", "The achievement's year is after {year}")
    fault = "/achievement_year"


class OutcomesRequired(InvalidInput):
    slug = "outcomes-required"
    title = Text("Cần kết quả cho từng đối tượng", "An outcome per line is needed")
    fault = "/outcomes"


class NoLinesChosen(InvalidInput):
    slug = "no-lines-chosen"
    title = Text("Không có đối tượng nào", "No lines chosen")
    fault = "/nominee_ids"
