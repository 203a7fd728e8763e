"""Depth, alias and token limits, with parse and validation results cached across requests.

The limit rules are built once per schema: strawberry's limiter extensions create a new rule class for every
request when used as factories, which makes every validation-cache key new. Here the rule classes are fixed, so
the same query text parses once and validates once per process.
"""

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.schema import validate_document

CACHE_SIZE = 1024


@lru_cache(maxsize=CACHE_SIZE)
def parse_cached(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHE_SIZE)
def validate_cached(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    return validate_document(schema, document, rules)


def guards(*, max_depth: int, max_aliases: int, max_tokens: int) -> Callable[[], SchemaExtension]:
    """The extension factory of one schema: its rule classes are created here, once."""
    rules: tuple[type[ASTValidationRule], ...] = (
        depth_rule(max_depth, None, None),
        aliases_rule(max_aliases),
    )

    class Guards(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is None and context.query:
                context.graphql_document = parse_cached(context.query, max_tokens)
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            assert context.graphql_document is not None
            all_rules: Any = tuple(context.validation_rules) + rules
            context.pre_execution_errors = validate_cached(context.schema._schema, context.graphql_document, all_rules)
            yield

    return Guards
