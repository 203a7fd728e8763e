"""The measure of a query (gateway/cost.py) and the caches bounded in bytes, without a running stack."""

import gc
import time
import tracemalloc

import pytest
from graphql import GraphQLSchema, get_introspection_query, parse

from gateway.cost import CAP, MAX_NESTING, Measures, measure
from gateway.graphql import SCHEMA_FILE, build_schema
from gateway.guards import QueryGuard
from gateway.persisted import PersistedQueries, PersistedQueryError, sha256
from gateway.settings import GatewaySettings

SETTINGS = GatewaySettings()
SCHEMA: GraphQLSchema = build_schema(SETTINGS)._schema


def measured(query: str) -> Measures:
    return measure(SCHEMA, parse(query), page_max=100, list_size=10, repeats_budget=SETTINGS.max_selections)


def fan_out(fragments: int = 9, spreads: int = 10, *, on: str = "Query", field: str = "") -> str:
    """The issue's query: each fragment spreads the next `spreads` times (spreads**fragments paths, no alias)."""

    def body(i: int) -> str:
        spread = f"...F{i + 1}"
        return " ".join([f"{field} {{ {spread} }}" if field else spread] * spreads)

    text = "".join(f"fragment F{i} on {on} {{ {body(i)} }}\n" for i in range(1, fragments))
    return text + f"fragment F{fragments} on {on} {{ __typename }}\n"


class TestMeasures:
    def test_the_fragment_fan_out_is_measured_once_per_fragment(self) -> None:
        query = "{ ...F1 }\n" + fan_out()
        assert len(query.encode()) < 800
        started = time.perf_counter()
        found = measured(query)
        assert time.perf_counter() - started < 2  # 10**8 paths walked one by one took minutes
        assert found.selections > 10**8
        assert found.cost >= 10**8

    def test_a_fan_out_through_fields_is_as_deep_as_its_chain(self) -> None:
        query = '{ unit(id: "x") { ... on Unit { ...F1 } } }\n' + fan_out(on="Unit", field="parent")
        found = measured(query)
        assert found.depth == 9  # unit, then parent in each of eight fragments (__typename is not counted)
        assert found.selections > 10**8

    def test_counts_saturate_instead_of_growing_without_bound(self) -> None:
        found = measured("{ ...F1 }\n" + fan_out(20, 10))  # 10**20 paths
        assert found.selections == CAP

    def test_fragment_cycles_end_and_are_refused(self) -> None:
        found = measured("{ ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }")
        assert (found.selections, found.cycle) == (4, "A")
        refusal = SETTINGS.limits(anonymous=False).refusal(found, anonymous=False)
        assert refusal is not None
        assert refusal.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}

    def test_spreads_among_mutually_spreading_fragments_are_not_walked_path_by_path(self) -> None:
        names = [f"F{i}" for i in range(12)]  # every fragment spreads every other: 12! paths
        spreads = {n: " ".join(f"...{m}" for m in names if m != n) for n in names}
        query = "{ ...F0 }" + "".join(f" fragment {n} on Query {{ __typename {spreads[n]} }}" for n in names)
        started = time.perf_counter()
        found = measured(query)
        assert time.perf_counter() - started < 2
        assert found.cycle is not None

    def test_a_long_chain_of_fragments_is_refused_as_nested_without_recursing_on(self) -> None:
        chain = "".join(f" fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(300))
        found = measured("{ ...F0 }" + chain + " fragment F300 on Query { __typename }")
        assert found.nesting > MAX_NESTING
        assert SETTINGS.limits(anonymous=False).refusal(found, anonymous=False) is not None

    def test_a_page_multiplies_what_its_list_selects(self) -> None:
        assert measured("{ units(first: 20) { nextCursor items { id name } } }").cost == 1 + 1 + 1 + 20 * 2
        assert measured("{ units { items { id } } }").cost == 1 + 1 + 50  # the argument's default page
        assert measured("query($n: Int!) { units(first: $n) { items { id } } }").cost == 1 + 1 + 100
        assert measured("{ units(first: 100000) { items { id } } }").cost == 1 + 1 + 100  # served pages are 100
        assert measured("{ unitTree { id children { id } } }").cost == 1 + 10 * (2 + 10)  # a list has 10 items

    def test_the_same_field_asked_again_and_again_is_a_repeat(self) -> None:
        assert measured("{" + " movements { nextCursor }" * 50 + " }").repeats == 50
        nested = "{ a: units { items { id } } b: units { items { id } } }"
        assert measured(nested).repeats == 1  # other response keys
        merged = "{ units { ...I ...I } } fragment I on UnitPage { items { id } }"
        assert measured(merged).repeats == 2


def _introspection() -> str:
    return get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )


# The README's examples (the gateway section and the walk-through), with their variables written in.
README_QUERIES = [
    """query($p: UUID!) { units(q: "phuong", first: 100) { nextCursor items { name
     score(periodId: $p) { score100 bandVi ranks { groupKind rank groupSize } }
     awards { formName decisionReference } } } }""",
    "{ nominations { __typename ... on NominationPage { items { id title status dueOn } } "
    "... on Problem { statusCode detail } } }",
    '{ movements(code: "QN-CDS-2022") { items { code title legalBasis { number date } phases { code title } '
    "milestones { kind dueDate title } } } }",
    '{ ranking(periodId: "x", groupKind: PEER, key: "ward|commune") { ... on RankingList { rows { rank name '
    "score100 bandVi } } } }",
    '{ candidates(ruleId: "x") { ... on CandidateList { formName groups { label eligible selected '
    "candidates { name selected reasonVi checks { descriptionVi expected actual passed } } } } } }",
    "{ decisions { items { reference subject status awards { name amount } } } }",
]


class TestDefaultLimits:
    @pytest.mark.parametrize(
        "query",
        [p.read_text(encoding="utf-8") for p in sorted((SCHEMA_FILE.parent / "persisted").glob("*.graphql"))]
        + README_QUERIES
        + [_introspection()],
    )
    def test_shipped_and_documented_queries_pass_even_anonymously(self, query: str) -> None:
        assert SETTINGS.limits(anonymous=True).refusal(measured(query), anonymous=True) is None

    def test_anonymous_limits_are_tighter(self) -> None:
        anonymous, signed_in = SETTINGS.limits(anonymous=True), SETTINGS.limits(anonymous=False)
        assert anonymous.max_depth < signed_in.max_depth
        assert anonymous.max_aliases < signed_in.max_aliases
        assert anonymous.max_selections < signed_in.max_selections
        assert anonymous.max_repeats < signed_in.max_repeats
        assert anonymous.max_cost < signed_in.max_cost
        assert SETTINGS.anonymous_max_document_bytes < SETTINGS.max_document_bytes
        assert SETTINGS.anonymous_max_variable_values < SETTINGS.max_variable_values
        assert SETTINGS.anonymous_max_variables_bytes < SETTINGS.max_variables_bytes
        assert SETTINGS.anonymous_execution_seconds < SETTINGS.execution_seconds
        costly = measured("{ units(first: 100) { items { children { children { children { id } } } } } }")
        refusal = anonymous.refusal(costly, anonymous=True)
        assert refusal is not None
        assert refusal.extensions == {
            "code": "QUERY_TOO_COMPLEX",
            "measure": "cost",
            "value": costly.cost,
            "limit": anonymous.max_cost,
            "anonymous": True,
        }
        assert signed_in.refusal(costly, anonymous=False) is None

    def test_limits_are_read_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("THIDUA_GATEWAY_ANONYMOUS_MAX_COST", "7")
        assert GatewaySettings().limits(anonymous=True).max_cost == 7


def _padded(i: int, size: int) -> str:
    """A small query padded with comments to about `size` bytes; `i` makes each text new."""
    line = "# " + "x" * 78 + "\n"
    return line * (size // len(line)) + f"{{ movements(first: {i + 1}) {{ nextCursor }} }}"


class TestBoundedCaches:
    def test_the_query_cache_stays_under_its_bytes_even_with_padded_documents(self) -> None:
        bound = 1024 * 1024
        guard = QueryGuard(GatewaySettings(document_cache_bytes=bound))
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(16):  # 16 × 50 kB of text, several times that once parsed
                guard.checked(SCHEMA, _padded(i, 50_000))
                assert guard.cache.bytes <= bound
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert 0 < len(guard.cache) < 16
        assert kept <= bound * 1.25  # the weights are honest estimates of what the cache keeps alive

    def test_a_repeated_text_is_parsed_once(self) -> None:
        guard = QueryGuard(SETTINGS)
        first = guard.checked(SCHEMA, "{ movements { nextCursor } }")
        assert guard.checked(SCHEMA, "{ movements { nextCursor } }") is first
        assert guard.cache.hits == 1

    def test_persisted_registrations_stay_under_their_bytes(self) -> None:
        bound = 1024 * 1024
        store = PersistedQueries(5000, bound, anonymous_only_known=False)
        texts = [_padded(i, 90_000) for i in range(30)]
        for text in texts:
            store.resolve(text, {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}, anonymous=False)
            assert store.registered.bytes <= bound
        newest = {"persistedQuery": {"version": 1, "sha256Hash": sha256(texts[-1])}}
        assert store.resolve(None, newest, anonymous=False) == texts[-1]
        with pytest.raises(PersistedQueryError) as oldest:
            store.resolve(None, {"persistedQuery": {"version": 1, "sha256Hash": sha256(texts[0])}}, anonymous=False)
        assert oldest.value.code == "PERSISTED_QUERY_NOT_FOUND"
