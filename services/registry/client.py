"""Typed client of the registry, for the other services and the gateway (batch reads first)."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import TypeAdapter

from kit.client import ServiceClient, idempotent, if_match
from kit.pagination import Page
from services.registry.blocs.schemas import Bloc, UnitBloc
from services.registry.imports.schemas import ImportReport
from services.registry.lineage.schemas import LineageEvent, Relative
from services.registry.movements.schemas import Movement
from services.registry.registrations.schemas import Registration, RegistrationStatus
from services.registry.scope.schemas import InScope
from services.registry.units.schemas import SubtreeUnit, TreeNode, Unit, UnitHistory

BATCH = 500  # the registry's max_page_size

_units_page = TypeAdapter(Page[Unit])
_unit = TypeAdapter(UnitHistory)
_unit_out = TypeAdapter(Unit)
_subtree = TypeAdapter(Page[SubtreeUnit])
_units = TypeAdapter(list[Unit])
_relatives = TypeAdapter(Page[Relative])
_events_page = TypeAdapter(Page[LineageEvent])
_unit_blocs = TypeAdapter(Page[UnitBloc])
_bloc = TypeAdapter(Bloc)
_blocs = TypeAdapter(Page[Bloc])
_movement = TypeAdapter(Movement)
_registrations = TypeAdapter(Page[Registration])
_registration = TypeAdapter(Registration)
_movements = TypeAdapter(Page[Movement])
_tree = TypeAdapter(list[TreeNode])
_in_scope = TypeAdapter(InScope)
_import_report = TypeAdapter(ImportReport)


class RegistryClient(ServiceClient):
    async def units(self, ids: Sequence[uuid.UUID], *, as_of: date | None = None) -> list[Unit]:
        """Many units by id, in the order asked (unknown ids are left out); one call per 500 ids."""
        return await self.batched("/units", _units_page, parameter="ids", ids=ids, batch=BATCH, as_of=as_of)

    async def search(self, **filters: Any) -> Page[Unit]:
        """One page of units (filters as `GET /units`: q, kind, level, parent_id, as_of, modified_since, cursor …)."""
        return await self.get("/units", _units_page, **filters)

    async def children(self, unit_id: uuid.UUID, *, as_of: date | None = None) -> list[Unit]:
        """Direct children (the first 500: the endpoint answers a page, like every list)."""
        page = await self.get(f"/units/{unit_id}/children", _units_page, as_of=as_of, limit=BATCH)
        return page.items

    async def tree(self, *, root: uuid.UUID | None = None, as_of: date | None = None) -> list[TreeNode]:
        return await self.get("/units/tree", _tree, root=root, as_of=as_of)

    async def unit(self, unit_id: uuid.UUID, *, as_of: date | None = None) -> UnitHistory:
        return await self.get(f"/units/{unit_id}", _unit, as_of=as_of)

    async def subtree(self, unit_id: uuid.UUID, *, as_of: date | None = None) -> list[SubtreeUnit]:
        return await self.all_pages(f"/units/{unit_id}/subtree", _subtree, limit=BATCH, as_of=as_of)

    async def ancestors(self, unit_id: uuid.UUID, *, as_of: date | None = None) -> list[Unit]:
        return await self.get(f"/units/{unit_id}/ancestors", _units, as_of=as_of)

    async def in_scope(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these units and people are in the scope of the caller whose token is forwarded (unknown ids are
        left out like those outside it); one call per 500 ids."""
        found: set[uuid.UUID] = set()
        for start in range(0, len(ids), BATCH):
            chunk = ",".join(str(i) for i in ids[start : start + BATCH])
            found |= set((await self.get("/scope", _in_scope, ids=chunk)).ids)
        return found

    async def path(self, unit_id: uuid.UUID) -> list[uuid.UUID]:
        """The unit's ancestors, root first, then the unit: what scope checks look for the caller's unit in."""
        return [*(a.id for a in await self.ancestors(unit_id)), unit_id]

    async def predecessors(self, unit_id: uuid.UUID) -> list[Relative]:
        return await self.all_pages(f"/units/{unit_id}/predecessors", _relatives, limit=BATCH)

    async def successors(self, unit_id: uuid.UUID) -> list[Relative]:
        return await self.all_pages(f"/units/{unit_id}/successors", _relatives, limit=BATCH)

    async def lineage_between(self, first: date, last: date) -> list[LineageEvent]:
        """Every lineage event effective from `first` to `last` (both included), oldest first (all pages)."""
        return await self.all_pages(
            "/lineage-events", _events_page, limit=BATCH, effective_from=first, effective_to=last
        )

    async def blocs_of(self, unit_id: uuid.UUID, *, as_of: date | None = None) -> list[UnitBloc]:
        return await self.all_pages(f"/units/{unit_id}/blocs", _unit_blocs, limit=BATCH, as_of=as_of)

    async def bloc(self, bloc_id: uuid.UUID, *, as_of: date | None = None) -> Bloc:
        return await self.get(f"/blocs/{bloc_id}", _bloc, as_of=as_of)

    async def blocs(self, *, as_of: date | None = None) -> list[Bloc]:
        """Every bloc with its members on the day (one call)."""
        return await self.all_pages("/blocs", _blocs, limit=BATCH, as_of=as_of)

    async def movement(self, movement_id: uuid.UUID) -> Movement:
        return await self.get(f"/movements/{movement_id}", _movement)

    async def movements(
        self, *, limit: int | None = None, cursor: str | None = None, code: str | None = None
    ) -> Page[Movement]:
        return await self.get("/movements", _movements, limit=limit, cursor=cursor, code=code)

    async def launch(self, body: Mapping[str, Any]) -> Movement:
        return await self.request("POST", "/movements", _movement, json=body)

    async def update_movement(self, movement_id: uuid.UUID, body: Mapping[str, Any], *, version: int) -> Movement:
        return await self.request("PATCH", f"/movements/{movement_id}", _movement, json=body, headers=if_match(version))

    async def replace_schedule(self, movement_id: uuid.UUID, body: Mapping[str, Any], *, version: int) -> Movement:
        path = f"/movements/{movement_id}/schedule"
        return await self.request("PUT", path, _movement, json=body, headers=if_match(version))

    async def create_unit(self, body: Mapping[str, Any]) -> Unit:
        return await self.request("POST", "/units", _unit_out, json=body)

    async def import_units(
        self, content: bytes, filename: str, content_type: str | None = None, *, dry_run: bool = False
    ) -> ImportReport:
        """A unit list (CSV or XLSX) as an office keeps it; a file with faulty rows raises (422, each row named)."""
        files = {"file": (filename, content, content_type or "application/octet-stream")}
        return await self.request("POST", "/units/import", _import_report, files=files, params={"dry_run": dry_run})

    async def registration(self, registration_id: uuid.UUID) -> Registration:
        return await self.get(f"/registrations/{registration_id}", _registration)

    async def register(
        self, movement_id: uuid.UUID, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Registration:
        path = f"/movements/{movement_id}/registrations"
        return await self.request("POST", path, _registration, json=body, headers=idempotent(idempotency_key))

    async def transition_registration(
        self, registration_id: uuid.UUID, body: Mapping[str, Any], *, version: int
    ) -> Registration:
        path = f"/registrations/{registration_id}/transitions"
        return await self.request("POST", path, _registration, json=body, headers=if_match(version))

    async def update_registration(
        self, registration_id: uuid.UUID, body: Mapping[str, Any], *, version: int
    ) -> Registration:
        path = f"/registrations/{registration_id}"
        return await self.request("PATCH", path, _registration, json=body, headers=if_match(version))

    async def registrations(
        self, movement_id: uuid.UUID, *, status: RegistrationStatus | None = None
    ) -> list[Registration]:
        """Every registration of a movement (all pages)."""
        path = f"/movements/{movement_id}/registrations"
        return await self.all_pages(path, _registrations, limit=BATCH, status=status)
