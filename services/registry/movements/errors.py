from kit.problems import Conflict, NotFound, Text


class MovementNotFound(NotFound):
    slug = "movement-not-found"
    title = Text("Không tìm thấy phong trào thi đua", "Movement not found")


class MovementCodeExists(Conflict):
    slug = "movement-code-exists"
    title = Text("Mã phong trào đã tồn tại", "The movement code exists")
    message = Text("Mã phong trào {code} đã tồn tại", "Movement code {code} exists")
    fault = "/code"
