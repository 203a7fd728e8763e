"""Fixed vocabulary of scoring (labels keep their diacritics)."""

from enum import StrEnum


class NodeKind(StrEnum):
    PILLAR = "pillar"  # trụ cột: chính quyền số, kinh tế số, xã hội số
    INDEX = "index"  # chỉ số chính
    INDICATOR = "indicator"  # chỉ số thành phần


class ValueType(StrEnum):
    PERCENT = "percent"  # 0–100
    RATIO = "ratio"  # numerator / denominator
    COUNT = "count"
    BOOLEAN = "boolean"
    CATEGORY = "category"


class Method(StrEnum):
    STEP = "step"  # step table: value ≥ min → points
    RATIO = "ratio"  # ratio (or percent/100) × max
    CATEGORY = "category"  # category → share of max
    BOOLEAN = "boolean"  # yes → max
    TARGET = "target"  # actual ÷ target of the year and level, capped at 1, × max
    RELATIVE = "relative"  # value ÷ best value among peers × max
    FORMULA = "formula"  # arithmetic over other indicators' points


class PeriodKind(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"


class PeriodStatus(StrEnum):
    OPEN = "open"
    LOCKED = "locked"
    PUBLISHED = "published"


class ValueStatus(StrEnum):
    DRAFT = "draft"  # the unit may still change it
    SUBMITTED = "submitted"  # sent for appraisal: locked for the unit
    ACCEPTED = "accepted"
    ADJUSTED = "adjusted"  # appraised value kept beside the self-assessed one
    RETURNED = "returned"  # back to the unit to correct, with a reason


class GroupKind(StrEnum):
    PEER = "peer"  # same kind and level
    BLOC = "bloc"
    CUSTOM = "custom"


class Reorganisation(StrEnum):
    """Which tree a period ranks on when units merge, split or hand over part of their area inside it."""

    START = "start"  # the tree of the period's first day: predecessors ranked, new units not
    END = "end"  # the tree of its last day: successors ranked with scores derived from their predecessors


class DerivationRule(StrEnum):
    MEAN_INDEX = "mean_index"  # mean of the predecessors' index values (national DTI 2024 practice)
    SHARE_WEIGHTED = "share_weighted"  # weighted by the share each predecessor brought
