"""Properties of a group's selection over generated candidates, caps, quotas and tie-breakers (pure evaluation):
never more than the limit, the selected strictly above the rest, a tie across the limit all equal, competition
ranks. Values come from a few levels so that ties are common."""

import math
import uuid
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.awards.rules.evaluate import Facts, evaluate_group
from services.awards.rules.schemas import GroupResult, RuleIn

MEASURES = [("indicator", "A"), ("indicator", "B"), ("indicator", "C"), ("score100", None), ("total", None)]
values = st.sampled_from([None, Decimal(0), Decimal("1.5"), Decimal("1.5"), Decimal("1.5"), Decimal(2)])


@st.composite
def cases(draw: st.DrawFn) -> tuple[RuleIn, Facts]:
    n = draw(st.integers(0, 10))
    ids = [uuid.UUID(int=i + 1) for i in range(n)]
    units = [{"unit_id": u, "name": f"Xã {i:02d}", "kind": "commune", "level": "commune"} for i, u in enumerate(ids)]
    indicators = {code: {u: draw(values) for u in ids} for code in ("A", "B", "C")}
    indicators["E"] = {u: draw(st.sampled_from([Decimal(1), Decimal(1), Decimal(1), Decimal(0), None])) for u in ids}
    scores = {u: {"score100": draw(values), "total": draw(values), "index_value": None, "band_vi": None} for u in ids}
    order = draw(st.sampled_from(MEASURES))
    rest = [m for m in MEASURES if m != order]
    breakers = draw(st.lists(st.sampled_from(rest), unique=True, max_size=draw(st.sampled_from([0, 1, 1, 2, 3]))))
    group: dict[str, Any] = {
        "key": "xa",
        "label": "Xã",
        "conditions": [{"kind": "indicator", "code": "E", "op": ">=", "value": 1}],
        "order": {"measure": order[0], "code": order[1]},
        "tie_breakers": [
            {"measure": m, "code": c, "better": draw(st.sampled_from(["higher", "lower"]))} for m, c in breakers
        ],
    }
    cap = draw(st.none() | st.integers(1, 4))
    if cap is not None:
        group["cap"] = {"max": cap}
    share = draw(st.none() | st.sampled_from(["0.1", "0.25", "0.5", "0.75", "1"]))
    if share is not None:
        group["quota"] = {"share": share}
    rule = RuleIn.model_validate(
        {
            "movement_id": uuid.uuid4(),
            "phase_code": "TK",
            "form_id": uuid.uuid4(),
            "title": "Bằng khen",
            "year": 2025,
            "period_id": uuid.uuid4(),
            "groups": [group],
        }
    )
    return rule, Facts(year=2025, units=units, scores=scores, indicators=indicators)


def reference_key(rule: RuleIn, facts: Facts, unit_id: uuid.UUID) -> tuple[tuple[bool, Decimal], ...]:
    """The ordering as the plan reads it: the order (higher first), then each tie-breaker; no value comes last."""
    group = rule.groups[0]
    wanted = [(str(group.order.measure), group.order.code, "higher")]
    wanted += [(str(t.measure), t.code, t.better.value) for t in group.tie_breakers]
    key = []
    for measure, code, better in wanted:
        value = facts.indicators[code][unit_id] if code else facts.scores[unit_id][measure]
        key.append((value is None, Decimal(0) if value is None else (-value if better == "higher" else value)))
    return tuple(key)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_a_cap_or_quota_is_never_exceeded_and_ties_across_it_are_left_to_the_council(
    case: tuple[RuleIn, Facts],
) -> None:
    rule, facts = case
    group = rule.groups[0]
    result: GroupResult = evaluate_group(rule, group, facts)
    limits = [group.cap.max] if group.cap.max is not None else []
    if group.quota is not None:
        limits.append(math.floor(group.quota.share * len(facts.units)))
    limit = min(limits) if limits else None
    assert result.limit == limit

    eligible = [c for c in result.candidates if c.eligible]
    key = {c.subject_id: reference_key(rule, facts, c.subject_id) for c in eligible}
    selected = [c for c in eligible if c.selected]
    others = [c for c in eligible if not c.selected]
    tied = [c for c in eligible if c.status == "tied"]
    assert result.selected == len(selected)
    assert result.tied == len(tied)
    assert all(c.status == "selected" for c in selected)
    assert all(c.status in ("tied", "beyond") for c in others)
    if limit is not None:
        assert len(selected) <= limit
    # every selected candidate orders strictly above every eligible one left out
    assert all(key[s.subject_id] < key[o.subject_id] for s in selected for o in others)
    if tied:
        assert limit is not None
        assert len({key[c.subject_id] for c in tied}) == 1
        assert len(selected) < limit < len(selected) + len(tied)
        assert result.open_places == limit - len(selected)
        assert all(c.reason_vi.startswith("Đồng hạng tại giới hạn: Hội đồng quyết định") for c in tied)
    else:
        assert result.open_places == 0
        assert len(selected) == (len(eligible) if limit is None else min(limit, len(eligible)))
    # competition ranks over the full ordering: one more than those strictly better
    for c in eligible:
        assert c.rank == 1 + sum(key[o.subject_id] < key[c.subject_id] for o in eligible)
        assert [t.value for t in c.tie_breaks] == [
            facts.indicators[t.code][c.subject_id] if t.code else facts.scores[c.subject_id][t.measure]
            for t in group.tie_breakers
        ]
    assert [c.rank for c in eligible] == sorted(c.rank or 0 for c in eligible)
    assert all(c.rank is None and c.status == "ineligible" for c in result.candidates if not c.eligible)
