from kit.problems import Conflict, NotFound, Text


class RegistrationNotFound(NotFound):
    slug = "registration-not-found"
    title = Text("Không tìm thấy đăng ký thi đua", "Registration not found")


class RegistrationClosed(Conflict):
    slug = "registration-closed"
    title = Text("Đã hết hạn đăng ký thi đua", "Registration is closed")
