from kit.problems import NotFound, Text


class PersonNotFound(NotFound):
    slug = "person-not-found"
    title = Text("Không tìm thấy cá nhân", "Person not found")
