from kit.problems import NotFound, Text


class MovementNotFound(NotFound):
    slug = "movement-not-found"
    title = Text("Không tìm thấy phong trào thi đua", "Movement not found")
