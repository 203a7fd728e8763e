"""Request models take values as their JSON Schema documents them (kit.schemas.ApiModel)."""

from datetime import date

import pytest
from pydantic import ValidationError

from kit.schemas import ApiModel


class Sample(ApiModel):
    on: date
    flag: bool = False
    count: int = 0


class TestTakenAsDocumented:
    def test_iso_text_is_a_date(self) -> None:
        assert Sample.model_validate({"on": "2025-07-01", "flag": True, "count": 3}).on == date(2025, 7, 1)
        assert Sample.model_validate_json('{"on": "2025-07-01"}').on == date(2025, 7, 1)

    @pytest.mark.parametrize("value", [0, 1.5, "0", "20250701"])
    def test_a_number_is_no_date(self, value: object) -> None:
        with pytest.raises(ValidationError, match="ISO 8601"):
            Sample.model_validate({"on": value})

    @pytest.mark.parametrize(("field", "value"), [("flag", 0), ("flag", "true"), ("count", "5")])
    def test_booleans_and_numbers_are_not_coerced_from_other_types(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError):
            Sample.model_validate({"on": "2025-07-01", field: value})
        with pytest.raises(ValidationError):
            Sample.model_validate_json(f'{{"on": "2025-07-01", "{field}": {value!r}}}'.replace("'", '"'))
