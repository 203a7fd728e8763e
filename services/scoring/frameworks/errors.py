from kit.problems import Conflict, NotFound, Text


class FrameworkNotFound(NotFound):
    slug = "framework-not-found"
    title = Text("Không tìm thấy bộ chỉ số", "Framework not found")


class FrameworkPublished(Conflict):
    slug = "framework-published"
    title = Text("Bộ chỉ số đã ban hành, không sửa được", "A published framework cannot change")


class FrameworkExists(Conflict):
    slug = "framework-exists"
    title = Text("Đã có bộ chỉ số cùng mã và phiên bản", "A framework with this code and version exists")


class PublishedNeedsNewVersion(FrameworkPublished):
    title = Text("Bộ chỉ số đã ban hành; hãy tạo phiên bản mới", "The framework is published; create a new version")
