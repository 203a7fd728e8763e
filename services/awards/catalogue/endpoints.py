from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from kit.caching import OPEN_DATA, cache
from kit.db import ReadSession, WriteSession
from kit.pagination import Page, Paging
from kit.schemas import IsoDate
from services.awards.access import CatalogueEditor
from services.awards.catalogue import service
from services.awards.catalogue.schemas import (
    BaseSalaryIn,
    BaseSalaryOut,
    Form,
    HolidayOut,
    HolidaysIn,
    Regime,
    RegimeIn,
)
from services.awards.parameters import FormID
from services.awards.vocabulary import SubjectType

router = APIRouter(tags=["catalogue"])
RegimeCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="regime code, e.g. TDKT-2022")]


@router.put("/regimes/{code}", summary="Load a regime with its forms (forms are matched by code and keep their id)")
async def put_regime(session: WriteSession, caller: CatalogueEditor, code: RegimeCode, body: RegimeIn) -> Regime:
    return await service.put_regime(session, caller, code, body)


@router.get("/regimes", summary="Every regime with its forms (open data)")
@cache(OPEN_DATA)
async def regimes(session: ReadSession, paging: Paging) -> Page[Regime]:
    return paging.page_of(await service.regimes(session), lambda r: (r.valid_from.toordinal(), r.code))


@router.get("/regimes/{code}", summary="One regime with its forms (open data)")
@cache(OPEN_DATA)
async def regime(session: ReadSession, code: RegimeCode) -> Regime:
    return await service.regime(session, code)


@router.get("/forms", summary="Forms and titles in force on a day (open data)")
@cache(OPEN_DATA)
async def forms(
    session: ReadSession,
    paging: Paging,
    on: Annotated[IsoDate | None, Query(description="default: today")] = None,
    subject_type: Annotated[SubjectType | None, Query(description="only those for this subject type")] = None,
) -> Page[Form]:
    found = await service.forms_in_force(session, on or date.today(), subject_type)
    return paging.page_of(found, lambda f: (f.regime_code, f.code))


@router.get("/base-salaries", summary="Mức lương cơ sở over time (open data)")
@cache(OPEN_DATA)
async def base_salaries(session: ReadSession, paging: Paging) -> Page[BaseSalaryOut]:
    return paging.page_of(await service.base_salaries(session), lambda s: (s.valid_from.toordinal(),))


@router.put("/base-salaries/{valid_from}", summary="Set the base salary from a day")
async def put_base_salary(
    session: WriteSession,
    caller: CatalogueEditor,
    valid_from: Annotated[IsoDate, Path(description="first day in force (ISO 8601)")],
    body: BaseSalaryIn,
) -> BaseSalaryOut:
    return await service.put_base_salary(session, caller, valid_from, body)


@router.get("/holidays/{year}", summary="Public holidays of a year (open data)")
@cache(OPEN_DATA)
async def holidays(
    session: ReadSession, year: Annotated[int, Path(ge=2000, le=2100, description="the calendar year")]
) -> list[HolidayOut]:
    return await service.holidays(session, year)


@router.put("/holidays/{year}", summary="Replace the holidays of a year")
async def put_holidays(
    session: WriteSession,
    caller: CatalogueEditor,
    year: Annotated[int, Path(ge=2000, le=2100, description="the calendar year")],
    body: HolidaysIn,
) -> list[HolidayOut]:
    return await service.put_holidays(session, caller, year, body)


@router.get("/forms/{form_id}", summary="One form (open data)")
@cache(OPEN_DATA)
async def form(session: ReadSession, form_id: FormID) -> Form:
    return await service.form(session, form_id)
