"""Fixed vocabulary of awards (labels keep their diacritics)."""

from enum import StrEnum

from services.registry.vocabulary import ADMINS, REGISTRY_OFFICERS, Role


class FormKind(StrEnum):
    AWARD = "award"  # hình thức khen thưởng: Huân chương, Bằng khen, Giấy khen
    TITLE = "title"  # danh hiệu thi đua: Chiến sĩ thi đua, Lao động tiên tiến, Cờ thi đua


class SubjectType(StrEnum):
    COLLECTIVE = "collective"  # tập thể
    INDIVIDUAL = "individual"  # cá nhân
    HOUSEHOLD = "household"  # hộ gia đình


class Ballot(StrEnum):
    OPEN = "open"  # biểu quyết công khai
    SECRET = "secret"  # bỏ phiếu kín


class Denominator(StrEnum):
    PRESENT = "present"  # share of the members present (plus written votes of absentees, where allowed)
    ALL = "all"  # share of all members of the council


class Status(StrEnum):
    """Where a nomination (hồ sơ đề nghị) stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # sent by the proposing unit
    RECEIVED = "received"  # logged in by the emulation office
    RETURNED = "returned"  # returned for completion
    RESUBMITTED = "resubmitted"
    APPRAISING = "appraising"  # thẩm định
    PUBLIC_NOTICE = "public_notice"  # công khai lấy ý kiến
    COUNCIL = "council"  # before the Hội đồng TĐKT
    TO_SIGNER = "to_signer"  # trình người có thẩm quyền
    DECIDED = "decided"  # each line approved or refused
    ISSUED = "issued"  # the decision is published
    WITHDRAWN = "withdrawn"


STATUS_VI = {
    Status.DRAFT: "dự thảo",
    Status.SUBMITTED: "đã gửi",
    Status.RECEIVED: "đã tiếp nhận",
    Status.RETURNED: "bị trả lại",
    Status.RESUBMITTED: "đã gửi lại",
    Status.APPRAISING: "đang thẩm định",
    Status.PUBLIC_NOTICE: "đang công khai lấy ý kiến",
    Status.COUNCIL: "trình Hội đồng",
    Status.TO_SIGNER: "trình người có thẩm quyền",
    Status.DECIDED: "đã quyết định",
    Status.ISSUED: "đã có quyết định khen thưởng",
    Status.WITHDRAWN: "đã rút",
}

PROPOSERS = frozenset({Role.ADMIN, Role.UNIT_HEAD, Role.UNIT_REPORTER})
OFFICE = REGISTRY_OFFICERS
SECRETARY = frozenset({Role.ADMIN, Role.EMULATION_OFFICE, Role.COUNCIL_SECRETARY})
SIGNERS = frozenset({Role.ADMIN, Role.DECISION_SIGNER})
ISSUERS = OFFICE | SIGNERS  # sign, publish and revoke decisions
VOTERS = frozenset({Role.COUNCIL_MEMBER})
# The council's side (office, secretary, members, signer) reads rules and councils; the dossier's also its proposers.
DELIBERATORS = OFFICE | SECRETARY | SIGNERS | VOTERS
NOMINATION_READERS = PROPOSERS | DELIBERATORS
CATALOGUE_EDITORS = ADMINS

# Each move, and who may make it. The proposing unit's roles act within its own scope, the others within the
# scope of the deciding authority.
TRANSITIONS: dict[tuple[Status, Status], frozenset[str]] = {
    (Status.DRAFT, Status.SUBMITTED): PROPOSERS,
    (Status.DRAFT, Status.WITHDRAWN): PROPOSERS,
    (Status.SUBMITTED, Status.RECEIVED): OFFICE,
    (Status.SUBMITTED, Status.RETURNED): OFFICE,
    (Status.RECEIVED, Status.RETURNED): OFFICE,
    (Status.RECEIVED, Status.APPRAISING): OFFICE,
    (Status.RETURNED, Status.RESUBMITTED): PROPOSERS,
    (Status.RETURNED, Status.WITHDRAWN): PROPOSERS,
    (Status.RESUBMITTED, Status.RETURNED): OFFICE,
    (Status.RESUBMITTED, Status.APPRAISING): OFFICE,
    (Status.APPRAISING, Status.RETURNED): OFFICE,
    (Status.APPRAISING, Status.PUBLIC_NOTICE): OFFICE,
    (Status.APPRAISING, Status.COUNCIL): OFFICE,
    (Status.PUBLIC_NOTICE, Status.COUNCIL): OFFICE,
    (Status.COUNCIL, Status.TO_SIGNER): SECRETARY,
    (Status.TO_SIGNER, Status.DECIDED): SIGNERS,
    (Status.DECIDED, Status.ISSUED): OFFICE,
}
PROPOSER_MOVES = frozenset(pair for pair, roles in TRANSITIONS.items() if roles is PROPOSERS)
OPEN_STATUSES = frozenset(set(Status) - {Status.DECIDED, Status.ISSUED, Status.WITHDRAWN})


class LineOutcome(StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"


class CouncilResult(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NO_QUORUM = "no_quorum"


COUNCIL_RESULT_VI = {
    CouncilResult.PASSED: "Đạt",
    CouncilResult.FAILED: "Không đạt",
    CouncilResult.NO_QUORUM: "Không đủ túc số",
}


def against_council(outcome: str | None, council_result: str | None) -> bool:
    """A line decided otherwise than its council voted: approved without passing, or refused after passing (a line
    the council never voted on follows no vote)."""
    if outcome == LineOutcome.APPROVED:
        return council_result in (CouncilResult.FAILED, CouncilResult.NO_QUORUM)
    return outcome == LineOutcome.REFUSED and council_result == CouncilResult.PASSED


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class RecordKind(StrEnum):
    """Facts about a unit or a person that award rules look back on."""

    RATING = "rating"  # xếp loại: hoàn thành xuất sắc / tốt nhiệm vụ …
    TITLE = "title"  # an emulation title or award obtained outside this system (form code as value)
    INITIATIVE = "initiative"  # sáng kiến được công nhận (scope as value: cơ sở, tỉnh …)
    DISCIPLINE = "discipline"  # kỷ luật (level as value: khiển trách, cảnh cáo …)


class DecisionStatus(StrEnum):
    SIGNED = "signed"  # numbered, not yet public
    PUBLISHED = "published"  # open data; its awards are issued


class AwardStatus(StrEnum):
    ISSUED = "issued"
    REVOKED = "revoked"
