"""Council sessions: the secretary sets the agenda and attendance, members vote, closing applies each form's
voting rule. A secret ballot keeps counts and who has voted, never who voted what."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit import workflow
from kit.auth import Caller
from kit.problems import InvalidInput, Text, pointer
from kit.versioning import require_version
from services.awards import access, privacy
from services.awards.catalogue import service as catalogue
from services.awards.catalogue.schemas import Form
from services.awards.councils import repository as repo
from services.awards.councils.errors import (
    CouncilClosed,
    CouncilNotFound,
    MemberTwice,
    NotAMember,
    NotOnAgenda,
    WrongBallotKind,
)
from services.awards.councils.schemas import Attendance, Council, CouncilCreate, Item, Member, VoteReceipt, VotesIn
from services.awards.councils.voting import Tally, decide
from services.awards.nominations import repository as nominations
from services.awards.vocabulary import Ballot, Status
from services.registry.client import RegistryClient


async def create(session: AsyncSession, caller: Caller, registry: RegistryClient, body: CouncilCreate) -> Council:
    path = await registry.path(body.body_unit_id)
    access.require_scope(caller, path)
    usernames = [m.username for m in body.members]
    if len(set(usernames)) != len(usernames):
        raise MemberTwice()
    found = {r["id"]: r for r in await nominations.many(session, body.nomination_ids, lock=True)}
    faults = [
        (pointer("nomination_ids", i), Text("Không tìm thấy hồ sơ", "Unknown nomination"))
        for i, n in enumerate(body.nomination_ids)
        if n not in found
    ]
    if faults:
        raise InvalidInput.fields(faults)
    for row in found.values():
        if row["status"] != Status.COUNCIL or row["authority_unit_id"] != body.body_unit_id:
            raise NotOnAgenda(nomination_id=str(row["id"]), current=row["status"])
    council_id = uuid.uuid4()
    lines = await nominations.nominees(session, list(found))
    await repo.insert(
        session,
        {
            "id": council_id,
            "body_path": path,
            "created_by": caller.subject,
            **body.model_dump(exclude={"members", "nomination_ids"}),
        },
        [{"council_id": council_id, **m.model_dump()} for m in body.members],
        [{"council_id": council_id, "nominee_id": n["id"], "nomination_id": n["nomination_id"]} for n in lines],
    )
    return await read(session, caller, council_id)


async def _row(session: AsyncSession, caller: Caller, council_id: uuid.UUID, lock: str | None = None) -> Any:
    """The session, if the caller's scope covers its body (roles are checked before): else 404, as unknown."""
    row = await repo.get(session, council_id, lock=lock)
    if row is None or not access.in_scope(caller, row["body_path"]):
        raise CouncilNotFound(council_id=str(council_id))
    return row


async def _forms(session: AsyncSession, items: Sequence[Any]) -> dict[uuid.UUID, Form]:
    """The form of each nomination on the agenda (its voting rule applies to its lines)."""
    rows = await nominations.many(session, list({i["nomination_id"] for i in items}))
    forms = {f.id: f for f in [await catalogue.form(session, fid) for fid in {r["form_id"] for r in rows}]}
    return {r["id"]: forms[r["form_id"]] for r in rows}


async def read(session: AsyncSession, caller: Caller, council_id: uuid.UUID) -> Council:
    row = await _row(session, caller, council_id)
    members = await repo.members(session, council_id)
    items = await repo.items(session, council_id)
    forms = await _forms(session, items)
    written = await repo.written_votes(session, council_id)
    votes: dict[uuid.UUID, dict[str, str]] = {}
    for v in await repo.open_votes(session, council_id):
        votes.setdefault(v["nominee_id"], {})[v["username"]] = v["choice"]
    present = sum(m["present"] for m in members)
    out = []
    for i in items:
        form = forms[i["nomination_id"]]
        outcome = decide(
            form.voting,
            Tally(len(members), present, i["yes"], i["written_yes"], written.get(i["nominee_id"], 0)),
        )
        item = Item.model_validate(
            dict(i) | {"ballot": form.voting.ballot, "share": outcome.share, "votes": votes.get(i["nominee_id"], {})}
        )
        out.append(privacy.POLICY.shape(item, privacy.ballot_facts(form.voting.ballot, row["status"] == "closed")))
    return Council.model_validate(dict(row) | {"members": [Member.model_validate(m) for m in members], "items": out})


async def attendance(
    session: AsyncSession, caller: Caller, council_id: uuid.UUID, body: Attendance, version: int
) -> Council:
    await _open(session, caller, council_id, version)
    known = {m["username"] for m in await repo.members(session, council_id)}
    faults = [
        (pointer("present", i), Text("Không phải thành viên Hội đồng", "Not a member of the council"))
        for i, u in enumerate(body.present)
        if u not in known
    ]
    if faults:
        raise InvalidInput.fields(faults)
    await repo.set_attendance(session, council_id, body.present)
    return await read(session, caller, council_id)


async def _open(session: AsyncSession, caller: Caller, council_id: uuid.UUID, version: int) -> Any:
    """The open session for the secretary's changes: scope, then version, then state."""
    row = await _row(session, caller, council_id, lock="update")
    require_version(row["version"], version)
    if row["status"] != "open":
        raise CouncilClosed()
    return row


async def vote(session: AsyncSession, caller: Caller, council_id: uuid.UUID, body: VotesIn) -> VoteReceipt:
    """One member's ballot. Only members vote (403); present members vote in the room, absent ones in writing."""
    row = await _row(session, caller, council_id, lock="share")
    member = next((m for m in await repo.members(session, council_id) if m["username"] == caller.subject), None)
    if member is None:
        raise NotAMember()
    if row["status"] != "open":
        raise CouncilClosed()
    items = {i["nominee_id"]: i for i in await repo.items(session, council_id)}
    forms = await _forms(session, list(items.values()))
    faults: list[tuple[str, Text]] = []
    for n, v in enumerate(body.votes):
        item = items.get(v.nominee_id)
        if item is None:
            faults.append(
                (pointer("votes", n, "nominee_id"), Text("Không có trong chương trình họp", "Not on the agenda"))
            )
        elif body.written and not forms[item["nomination_id"]].voting.absentee_votes:
            faults.append(
                (
                    pointer("votes", n),
                    Text("Quy định bỏ phiếu không tính phiếu vắng mặt", "The voting rule counts no written votes"),
                )
            )
    if faults:
        raise InvalidInput.fields(faults)
    if body.written == member["present"]:
        raise WrongBallotKind()
    await repo.cast(
        session,
        council_id,
        caller.subject,
        [
            (v.nominee_id, v.choice.value, forms[items[v.nominee_id]["nomination_id"]].voting.ballot == Ballot.OPEN)
            for v in body.votes
        ],
        body.written,
    )
    return VoteReceipt(council_id=council_id, username=caller.subject, votes=len(body.votes), written=body.written)


async def close(session: AsyncSession, caller: Caller, council_id: uuid.UUID, version: int) -> Council:
    """Count every nominee under its form's rule; the result goes onto the nomination's line."""
    await _open(session, caller, council_id, version)
    members = await repo.members(session, council_id)
    items = await repo.items(session, council_id)
    forms = await _forms(session, items)
    written = await repo.written_votes(session, council_id)
    present = sum(m["present"] for m in members)
    results = [
        (
            i["nominee_id"],
            decide(
                forms[i["nomination_id"]].voting,
                Tally(len(members), present, i["yes"], i["written_yes"], written.get(i["nominee_id"], 0)),
            ).result.value,
        )
        for i in items
    ]
    await repo.save_results(session, council_id, results)
    await repo.bump(session, council_id, closing=True)
    for nomination_id in sorted({i["nomination_id"] for i in items}):
        note = f"council {council_id} voted"
        await workflow.record(
            session, nominations.transitions, nomination_id, caller.subject, Status.COUNCIL, Status.COUNCIL, note
        )
    return await read(session, caller, council_id)
