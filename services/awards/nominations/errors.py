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
