"""The catalogue is data an administrator loads (the shipped regimes live in catalogue/data/)."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Caller
from kit.problems import InvalidInput, Text, pointer
from kit.workdays import add_working_days
from services.awards.catalogue import repository as repo
from services.awards.catalogue.errors import FormNotFound, FormNotInForce, NoBaseSalary, RegimeNotFound
from services.awards.catalogue.schemas import (
    BaseSalaryIn,
    BaseSalaryOut,
    Form,
    HolidayOut,
    HolidaysIn,
    Regime,
    RegimeIn,
)
from services.awards.vocabulary import SubjectType


async def put_regime(session: AsyncSession, caller: Caller, code: str, body: RegimeIn) -> Regime:
    values = body.model_dump(exclude={"forms"})
    await repo.upsert_regime(session, code, values)
    await repo.upsert_forms(session, [{"regime_code": code, **f.model_dump(mode="json")} for f in body.forms])
    return await regime(session, code)


async def regime(session: AsyncSession, code: str) -> Regime:
    found = await repo.regimes(session, code)
    if not found:
        raise RegimeNotFound(code=code)
    forms = await repo.forms(session, regime_codes=[code])
    return Regime.model_validate(dict(found[0]) | {"forms": [Form.model_validate(f) for f in forms]})


async def regimes(session: AsyncSession) -> list[Regime]:
    rows = await repo.regimes(session)
    forms = await repo.forms(session)
    return [
        Regime.model_validate(
            dict(r) | {"forms": [Form.model_validate(f) for f in forms if f["regime_code"] == r["code"]]}
        )
        for r in rows
    ]


async def forms_in_force(session: AsyncSession, on: date, subject_type: SubjectType | None) -> list[Form]:
    rows = [Form.model_validate(f) for f in await repo.forms(session, on=on)]
    return [f for f in rows if subject_type is None or subject_type in f.subject_types]


async def form(session: AsyncSession, form_id: uuid.UUID) -> Form:
    found = await repo.forms(session, ids=[form_id])
    if not found:
        raise FormNotFound(form_id=str(form_id))
    return Form.model_validate(found[0])


async def form_in_force(session: AsyncSession, form_id: uuid.UUID, on: date, at: str) -> Form:
    """The form, refusing one whose regime is not in force that day (422 at `at`)."""
    found = await repo.forms(session, ids=[form_id], on=on)
    if found:
        return Form.model_validate(found[0])
    await form(session, form_id)  # 404 when it does not exist at all
    raise FormNotInForce.of(at=at, on=on)


async def put_base_salary(session: AsyncSession, caller: Caller, valid_from: date, body: BaseSalaryIn) -> BaseSalaryOut:
    await repo.put_base_salary(session, valid_from, body.model_dump())
    return BaseSalaryOut(valid_from=valid_from, amount=body.amount, legal_basis=body.legal_basis)


async def base_salaries(session: AsyncSession) -> list[BaseSalaryOut]:
    return [BaseSalaryOut.model_validate(r) for r in await repo.base_salaries(session)]


async def base_salary_on(session: AsyncSession, day: date) -> BaseSalaryOut:
    found = await repo.base_salary_on(session, day)
    if found is None:
        raise NoBaseSalary(on=day.isoformat())
    return BaseSalaryOut.model_validate(found)


async def put_holidays(session: AsyncSession, caller: Caller, year: int, body: HolidaysIn) -> list[HolidayOut]:
    errors = [
        (pointer("days", i, "day"), Text(f"Ngày không thuộc năm {year}", f"The day is not in {year}"))
        for i, h in enumerate(body.days)
        if h.day.year != year
    ]
    if errors:
        raise InvalidInput.fields(errors)
    days = {h.day: h.name for h in body.days}
    await repo.replace_holidays(session, year, [{"day": d, "name": n} for d, n in sorted(days.items())])
    return await holidays(session, year)


async def holidays(session: AsyncSession, year: int) -> list[HolidayOut]:
    return [HolidayOut.model_validate(r) for r in await repo.holidays(session, year)]


async def due_date(session: AsyncSession, start: date, working_days: int) -> date:
    """`working_days` working days after `start`, over the holiday calendar."""
    days: Sequence[Any] = await repo.holidays(session, since=start)
    return add_working_days(start, working_days, {h["day"] for h in days})
