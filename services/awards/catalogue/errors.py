from kit.problems import InvalidInput, NotFound, Text


class RegimeNotFound(NotFound):
    slug = "regime-not-found"
    title = Text("Không tìm thấy chế độ khen thưởng", "Commendation regime not found")


class FormNotFound(NotFound):
    slug = "award-form-not-found"
    title = Text("Không tìm thấy hình thức khen thưởng", "Award form not found")


class NoBaseSalary(NotFound):
    slug = "base-salary-missing"
    title = Text("Chưa có mức lương cơ sở áp dụng cho ngày này", "No base salary in force on that day")


class FormNotInForce(InvalidInput):
    slug = "award-form-not-in-force"
    title = Text("Hình thức này không áp dụng vào ngày đó", "This form is not in force on that day")
    message = Text("Hình thức này không áp dụng vào ngày {on:%d/%m/%Y}", "This form is not in force on {on}")
