from kit.problems import Conflict, Forbidden, InvalidInput, NotFound, ReasonRequired, Text
from kit.workflow import TransitionNotAllowed


class RegistrationNotFound(NotFound):
    slug = "registration-not-found"
    title = Text("Không tìm thấy đăng ký thi đua", "Registration not found")


class RegistrationClosed(Conflict):
    slug = "registration-closed"
    title = Text("Đã hết hạn đăng ký thi đua", "Registration is closed")
    message = Text("Hạn đăng ký là {deadline:%d/%m/%Y}", "The registration deadline was {deadline:%d/%m/%Y}")


class UnitKindNotTargeted(InvalidInput):
    slug = "unit-kind-not-targeted"
    title = Text("Phong trào không dành cho loại đơn vị này", "The movement does not target this kind of unit")
    fault = "/unit_id"


class CollectivesNotTargeted(InvalidInput):
    slug = "collectives-not-targeted"
    title = Text("Phong trào không dành cho tập thể", "The movement does not target collectives")
    fault = "/unit_id"


class IndividualsNotTargeted(InvalidInput):
    slug = "individuals-not-targeted"
    title = Text("Phong trào không dành cho cá nhân", "The movement does not target individuals")
    fault = "/person_id"


class AlreadyRegistered(Conflict):
    slug = "already-registered"
    title = Text("Đối tượng này đã đăng ký phong trào", "Already registered for this movement")


class RegistrationOutOfScope(Forbidden):
    slug = "registration-out-of-scope"
    title = Text("Đăng ký này nằm ngoài phạm vi của bạn", "This registration is outside your scope")


class OfficeStep(Forbidden):
    slug = "step-for-movement-office"
    title = Text("Bước này do cơ quan phát động thực hiện", "This step is the movement office's")


class UnitStep(Forbidden):
    slug = "step-for-registered-unit"
    title = Text("Bước này do đơn vị đăng ký thực hiện", "This step is the registered unit's")


class RejectionNeedsReason(ReasonRequired):
    title = Text("Cần nêu lý do từ chối", "A rejection needs a reason")


class LateEntryNeedsReason(ReasonRequired):
    title = Text("Nhập hộ đăng ký sau hạn cần nêu lý do", "Entering a registration after the deadline needs a reason")
    message = Text(
        "Sau hạn {deadline:%d/%m/%Y}, nhập hộ đăng ký cần nêu lý do (ví dụ: văn bản nhận ngày …)",
        "After the {deadline:%d/%m/%Y} deadline, entering a registration needs a reason "
        "(e.g. the day its letter was received)",
    )


class CommitmentsLocked(TransitionNotAllowed):
    title = Text(
        "Chỉ sửa giao ước khi đăng ký còn ở dạng nháp", "Commitments change only while the registration is a draft"
    )
