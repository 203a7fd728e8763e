from kit.problems import NotFound, Text


class SubjectNotFound(NotFound):
    """An unknown unit or person, or one outside the caller's scope: the two are answered alike."""

    slug = "subject-not-found"
    title = Text(
        "Không tìm thấy đơn vị hoặc cá nhân trong phạm vi của bạn", "No unit or person with this id in your scope"
    )
