"""Query limits checked before execution, with parse, measure and validation results cached across requests.

A query text is parsed once and measured once (gateway/cost.py); each request then compares the measures with its
caller's limits, and only a document within them is validated by the spec's rules (once, cached), since some of
those rules are quadratic in what they compare. The cache is keyed by the query text and bounded in bytes: a parsed
document with its tokens weighs hundreds of bytes per token, so counting entries alone would not bound memory.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from gateway.context import Context
from gateway.cost import Measures, measure
from gateway.settings import GatewaySettings
from kit.lru import ByteBoundedLRU

PAGE_MAX = 100  # the largest page a list field gives (gateway.schema.MAX_FIRST)
TOKEN_WEIGHT = 640  # bytes a parsed token keeps alive (token, node, location), measured with tracemalloc
ENTRY_WEIGHT = 2048  # the entry, its measures and its validation result


@dataclass
class Checked:
    """A query text parsed and measured; `errors` is filled by the first validation within limits."""

    document: DocumentNode | None
    syntax_error: GraphQLError | None
    measures: Measures | None
    errors: list[GraphQLError] | None = field(default=None)


def weight(query: str, document: DocumentNode | None) -> int:
    """An estimate of the memory a cached query keeps: its text twice (source and comment values) and its tokens."""
    tokens = 0
    token = document.loc.start_token if document is not None and document.loc is not None else None
    while token is not None:
        tokens += 1
        token = token.next
    return ENTRY_WEIGHT + 2 * len(query.encode()) + TOKEN_WEIGHT * tokens


class QueryGuard:
    """One schema's guard: its settings, its cache, and the strawberry extension that uses them."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.cache: ByteBoundedLRU[str, Checked] = ByteBoundedLRU(
            max_bytes=settings.document_cache_bytes, max_entries=settings.document_cache_size
        )

    def checked(self, schema: GraphQLSchema, query: str) -> Checked:
        found = self.cache.get(query)
        if found is not None:
            return found
        try:
            document = parse(query, max_tokens=self.settings.max_tokens)
        except GraphQLError as error:
            checked = Checked(None, error, None)
        else:
            measures = measure(
                schema,
                document,
                page_max=PAGE_MAX,
                list_size=self.settings.list_size,
                repeats_budget=max(self.settings.max_selections, self.settings.anonymous_max_selections),
            )
            checked = Checked(document, None, measures)
        self.cache.put(query, checked, weight(query, checked.document))
        return checked

    def extension(self) -> type[SchemaExtension]:
        guard = self

        class Guards(SchemaExtension):
            checked: Checked | None = None

            def on_parse(self) -> Iterator[None]:
                context = self.execution_context
                if context.graphql_document is None and context.query:
                    self.checked = guard.checked(context.schema._schema, context.query)
                    if self.checked.syntax_error is not None:
                        raise self.checked.syntax_error.with_traceback(None)  # shared: keep no old frames
                    context.graphql_document = self.checked.document
                yield

            def on_validate(self) -> Iterator[None]:
                context = self.execution_context
                assert self.checked is not None
                assert self.checked.measures is not None
                anonymous = not (isinstance(context.context, Context) and context.context.authenticated)
                limits = guard.settings.limits(anonymous=anonymous)
                refusal = limits.refusal(self.checked.measures, anonymous=anonymous)
                if refusal is not None:
                    context.pre_execution_errors = [refusal]
                else:
                    if self.checked.errors is None:
                        assert context.graphql_document is not None
                        self.checked.errors = validate_document(
                            context.schema._schema, context.graphql_document, context.validation_rules
                        )
                    context.pre_execution_errors = self.checked.errors
                yield

        return Guards
