from kit.problems import NotFound, Text


class BlocNotFound(NotFound):
    slug = "bloc-not-found"
    title = Text("Không tìm thấy cụm/khối thi đua", "Bloc not found")
