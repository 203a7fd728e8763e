from kit.problems import NotFound, Text, Unauthenticated


class TokensNotIssued(NotFound):
    slug = "tokens-not-issued"
    title = Text("Hệ thống không tự cấp token (dùng SSO)", "This deployment does not issue tokens")


class WrongCredentials(Unauthenticated):
    slug = "wrong-credentials"
    title = Text("Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password")
