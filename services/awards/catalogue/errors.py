from kit.problems import NotFound, Text


class RegimeNotFound(NotFound):
    slug = "regime-not-found"
    title = Text("Không tìm thấy chế độ khen thưởng", "Commendation regime not found")


class FormNotFound(NotFound):
    slug = "award-form-not-found"
    title = Text("Không tìm thấy hình thức khen thưởng", "Award form not found")


class NoBaseSalary(NotFound):
    slug = "base-salary-missing"
    title = Text("Chưa có mức lương cơ sở áp dụng cho ngày này", "No base salary in force on that day")
