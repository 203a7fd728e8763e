"""Award rules of a movement's phase, as data: who is considered, the conditions, the order, caps and quotas; and
what evaluating one gives: every candidate with every condition, its actual value and pass or fail."""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from kit.schemas import ApiModel, OutModel, fixed_point, invalid
from kit.text import Label
from services.awards.catalogue.schemas import Code
from services.awards.vocabulary import RecordKind, SubjectType
from services.registry.vocabulary import UnitKind, UnitLevel

Number = Annotated[Decimal, fixed_point(14, 4)]
Values = Annotated[list[Annotated[Label, Field(min_length=1, max_length=200)]], Field(min_length=1)]


class Op(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="


class Measure(StrEnum):
    SCORE100 = "score100"
    TOTAL = "total"
    INDEX_VALUE = "index_value"


class ScoreCondition(ApiModel):
    kind: Literal["score"] = Field(description="always score: the published score of the period")
    measure: Measure = Field(
        default=Measure.SCORE100, description="score100 (over 100), total (points) or index_value (0..1)"
    )
    op: Op = Field(default=Op.GE, description="comparison: >=, >, <=, < or =")
    value: Number = Field(description="the threshold, e.g. 85")


class BandCondition(ApiModel):
    """The class (xếp loại) of the published score, e.g. "Tốt"."""

    kind: Literal["band"] = Field(description="always band")
    labels: Values = Field(description="accepted classes in Vietnamese, e.g. Tốt")


class IndicatorCondition(ApiModel):
    kind: Literal["indicator"] = Field(description="always indicator")
    code: Annotated[str, Field(min_length=1, max_length=64, description="an indicator (or group) of the framework")]
    op: Op = Field(default=Op.GE, description="comparison: >=, >, <=, < or =")
    value: Number = Field(description="the threshold, compared with the indicator's value (e.g. 80 for 80 %)")


class UnitCondition(ApiModel):
    kind: Literal["unit"] = Field(description="always unit")
    unit_kinds: list[UnitKind] = Field(default_factory=list, description="one of these kinds (empty: any)")
    levels: list[UnitLevel] = Field(default_factory=list, description="one of these levels (empty: any)")
    bloc_ids: list[uuid.UUID] = Field(default_factory=list, description="member of one of these blocs")


class RegistrationCondition(ApiModel):
    """Registered for the movement (đăng ký thi đua), optionally as a pilot unit."""

    kind: Literal["registration"] = Field(description="always registration")
    statuses: list[str] = Field(
        default_factory=lambda: ["approved"], description="registration statuses accepted (default approved)"
    )
    pilot: bool | None = Field(
        default=None, description="true: pilot units (chỉ đạo điểm) only; false: others only; null: either"
    )


class ConsecutiveCondition(ApiModel):
    """n consecutive years of a rating or a title, ending with the rule's year."""

    kind: Literal["consecutive"] = Field(description="always consecutive")
    record: Literal[RecordKind.RATING, RecordKind.TITLE] = Field(description="rating or title")
    values: Values = Field(description="ratings (e.g. Hoàn thành xuất sắc nhiệm vụ) or form codes (CSTD_CS)")
    years: int = Field(ge=1, le=20, description="consecutive years needed, the last being the rule's year")


class CountCondition(ApiModel):
    """At least `min` facts (initiatives, titles, earlier awards, ratings) within the last `years` years."""

    kind: Literal["count"] = Field(description="always count")
    record: RecordKind = Field(description="rating, title, initiative or discipline")
    values: list[Annotated[Label, Field(min_length=1, max_length=200)]] | None = Field(
        default=None, description="null: any value"
    )
    min: int = Field(default=1, ge=1, le=100, description="facts needed at least")
    years: int = Field(ge=1, le=20, description="the window: this many years up to the rule's year")


class NoDisciplineCondition(ApiModel):
    """Disqualifies a subject disciplined at `from_level` or above within the last `years` years."""

    kind: Literal["no_discipline"] = Field(description="always no_discipline")
    levels: Values = Field(
        default_factory=lambda: ["Khiển trách", "Cảnh cáo", "Giáng chức", "Cách chức", "Buộc thôi việc", "Giải tán"],
        description="discipline levels, lightest first",
    )
    from_level: Annotated[Label, Field(min_length=1, max_length=200)] = Field(
        default="Khiển trách", description="the lightest level that disqualifies (one of levels)"
    )
    years: int = Field(default=1, ge=1, le=20, description="the window: this many years up to the rule's year")

    @model_validator(mode="after")
    def _known_level(self) -> Self:
        if self.from_level not in self.levels:
            raise invalid("from_level is not one of levels", "from_level không có trong levels")
        return self


Condition = Annotated[
    ScoreCondition
    | BandCondition
    | IndicatorCondition
    | UnitCondition
    | RegistrationCondition
    | ConsecutiveCondition
    | CountCondition
    | NoDisciplineCondition,
    Field(discriminator="kind"),
]
SCORE_KINDS = frozenset({"score", "band", "indicator"})


class Order(ApiModel):
    """How eligible candidates are ranked (best first)."""

    measure: Measure | Literal["indicator"] = Field(
        default=Measure.SCORE100, description="score100, total, index_value or indicator (higher first)"
    )
    code: str | None = Field(default=None, description="the indicator, when measure is 'indicator'")

    @model_validator(mode="after")
    def _code(self) -> Self:
        if (self.measure == "indicator") != (self.code is not None):
            raise invalid(
                "code is needed exactly when measure is 'indicator'", "cần code khi và chỉ khi xếp theo chỉ số"
            )
        return self


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class TieBreaker(ApiModel):
    """A measure compared, in the listed order, between candidates equal on the group's order: the plan's own rule
    for settling a tie at the cap (e.g. the score over 100, then indicator H.1). Missing values come last."""

    measure: Measure | Literal["indicator"] = Field(description="score100, total, index_value or indicator")
    code: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, description="the indicator, when measure is 'indicator'"
    )
    better: Better = Field(default=Better.HIGHER, description="which end of the measure wins")

    @model_validator(mode="after")
    def _code(self) -> Self:
        if (self.measure == "indicator") != (self.code is not None):
            raise invalid(
                "code is needed exactly when measure is 'indicator'", "cần code khi và chỉ khi so theo chỉ số"
            )
        return self

    def key(self) -> tuple[str, str | None]:
        return str(self.measure), self.code


class Cap(ApiModel):
    min: int = Field(default=0, ge=0, description="fewer eligible candidates than this is flagged")
    max: int | None = Field(default=None, ge=1, description="at most this many selected")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max is not None and self.min > self.max:
            raise invalid("min is above max", "min lớn hơn max")
        return self


class Quota(ApiModel):
    share: Annotated[Decimal, Field(gt=0, le=1), fixed_point(6, 4)] = Field(
        description="at most this share of the group's units (rounded down)"
    )


class Group(ApiModel):
    """A set of candidates with its own conditions and caps, e.g. districts and communes."""

    key: Code = Field(description="key unique within the rule, e.g. districts")
    label: Annotated[Label, Field(min_length=1, max_length=200)] = Field(description="label, e.g. Cấp huyện")
    source: Literal["participants", "nominees"] = Field(
        default="participants",
        description="the period's units, or the people and units nominated for this form in this phase",
    )
    subject_types: list[SubjectType] = Field(
        default_factory=list, description="nominees only: collectives, individuals or households (empty: any)"
    )
    unit_kinds: list[UnitKind] = Field(
        default_factory=list, description="empty: any kind (nominees: the kind of a collective's unit)"
    )
    levels: list[UnitLevel] = Field(default_factory=list, description="empty: any level")
    conditions: list[Condition] = Field(
        default_factory=list, description="conditions of this group, on top of the rule's"
    )
    criteria: list[Annotated[Label, Field(min_length=1, max_length=2000)]] = Field(
        default_factory=list,
        description="the plan's standards that the council judges, as worded (listed with the candidates, not checked)",
    )
    order: Order = Field(default_factory=Order, description="how eligible candidates are ranked")
    cap: Cap = Field(default_factory=Cap, description="how many may or should be selected")
    quota: Quota | None = Field(default=None, description="a share cap on top of the count cap (null: none)")
    tie_breakers: Annotated[list[TieBreaker], Field(max_length=5)] = Field(
        default_factory=list,
        description="measures that settle, in order, a tie across the cap or quota; none: the council decides",
    )

    @model_validator(mode="after")
    def _subjects_of_nominees(self) -> Self:
        if self.subject_types and self.source != "nominees":
            raise invalid(
                "subject_types filters nominees: set source to 'nominees'",
                "subject_types chỉ lọc người được đề nghị: cần source 'nominees'",
            )
        return self

    @model_validator(mode="after")
    def _distinct_tie_breakers(self) -> Self:
        seen = [(str(self.order.measure), self.order.code)]
        for breaker in self.tie_breakers:
            if breaker.key() in seen:
                raise invalid(
                    "a tie-breaker repeats the order or an earlier tie-breaker",
                    "tiêu chí phân định đồng hạng trùng với tiêu chí xếp hạng hoặc tiêu chí trước đó",
                )
            seen.append(breaker.key())
        return self


class RuleIn(ApiModel):
    movement_id: uuid.UUID = Field(description="the movement")
    phase_code: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="a phase of the movement")]
    form_id: uuid.UUID = Field(description="the award form or title the rule selects for")
    title: Annotated[Label, Field(min_length=1, max_length=500)] = Field(
        description="title, e.g. Bằng khen của Thủ tướng – tổng kết 2022–2025"
    )
    year: int = Field(ge=2000, le=2100, description="the year history conditions count back from")
    period_id: uuid.UUID | None = Field(
        default=None, description="the scoring period whose published scores the conditions read"
    )
    copies: int | None = Field(
        default=None, ge=1, le=20, description="dossier sets this movement asks for the form (default: the form's)"
    )
    conditions: list[Condition] = Field(default_factory=list, description="apply to every group")
    groups: Annotated[list[Group], Field(min_length=1, max_length=50)] = Field(
        description="the groups of candidates, keys unique"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        keys = [g.key for g in self.groups]
        if len(keys) != len(set(keys)):
            raise invalid("group keys repeat", "khóa nhóm bị trùng")
        return self


class Rule(OutModel):
    id: uuid.UUID = Field(description="rule id")
    movement_id: uuid.UUID = Field(description="the movement")
    phase_code: str = Field(description="the movement's phase")
    form_id: uuid.UUID = Field(description="the award form or title the rule selects for")
    title: str = Field(description="title")
    definition: dict[str, object] = Field(description="year, period_id, copies, conditions and groups as sent")
    version: int = Field(description="version for optimistic concurrency (the ETag); grows by one per change")
    updated_by: str = Field(description="who changed it last (token subject)")
    updated_at: datetime = Field(description="when (ISO 8601 with offset)")


class Check(OutModel):
    kind: str = Field(description="the condition's kind (score, band, indicator …)")
    description_vi: str = Field(description="the condition in Vietnamese")
    description_en: str = Field(description="the condition in English")
    expected: str = Field(description="what the condition asks, e.g. >= 85")
    actual: str | None = Field(description="null: no value (missing data counts as not met)")
    passed: bool = Field(description="the condition is met")


class Standing(StrEnum):
    """Where a candidate stands against the group's limit."""

    SELECTED = "selected"  # eligible and strictly within the limit
    TIED = "tied"  # equal with others across the limit's boundary: the council chooses among them
    BEYOND = "beyond"  # eligible but ranked past the limit
    INELIGIBLE = "ineligible"


class TieBreak(OutModel):
    measure: str = Field(description="score100, total, index_value or indicator")
    code: str | None = Field(description="the indicator, when measure is indicator")
    label_vi: str = Field(description="the measure in Vietnamese")
    label_en: str = Field(description="the measure in English")
    better: Better = Field(description="higher or lower wins")
    value: Decimal | None = Field(description="null: no value, compared last")


class Candidate(OutModel):
    subject_id: uuid.UUID = Field(description="the unit, or the nominated person (their line id when not listed)")
    name: str = Field(description="name")
    kind: str = Field(description="kind of unit (a person's: the subject type)")
    level: str = Field(description="administrative level of the unit")
    order_value: Decimal | None = Field(
        description="its value of the group's order measure (null: missing, ranked last)"
    )
    tie_breaks: list[TieBreak] = Field(
        description="the group's tie-breakers with this candidate's values, in order (eligible candidates)"
    )
    rank: int | None = Field(
        description="among the eligible, by the order then the tie-breakers; equals share a rank (1, 1, 3)"
    )
    eligible: bool = Field(description="every condition is met")
    selected: bool = Field(description="within the limit; a candidate tied across it is not selected")
    status: Standing = Field(description="selected, tied (the council decides), beyond the limit, or ineligible")
    checks: list[Check] = Field(description="every condition with its actual value and result")
    reason_vi: str = Field(description="why selected or not, in Vietnamese")
    reason_en: str = Field(description="why selected or not, in English")


class GroupResult(OutModel):
    key: str = Field(description="the group's key")
    label: str = Field(description="the group's label")
    criteria: list[str] = Field(description="standards the council judges beyond the checked conditions")
    considered: int = Field(description="candidates considered")
    eligible: int = Field(description="candidates meeting every condition")
    limit: int | None = Field(description="how many may be selected: the cap and the quota, whichever is lower")
    selected: int = Field(description="never more than the limit")
    tied: int = Field(description="candidates tied across the limit, left to the council (status 'tied')")
    open_places: int = Field(description="places within the limit the council fills from the tied candidates")
    below_minimum: bool = Field(description="fewer eligible than the cap's minimum")
    candidates: list[Candidate] = Field(description="every candidate, by rank (the ineligible last)")


class Evaluation(OutModel):
    rule_id: uuid.UUID = Field(description="the rule")
    rule_version: int = Field(description="the rule's version evaluated")
    form_code: str = Field(description="the form's code")
    form_name: str = Field(description="the form's name in Vietnamese")
    period_id: uuid.UUID | None = Field(description="the scoring period read (null: none)")
    groups: list[GroupResult] = Field(description="the result per group")
