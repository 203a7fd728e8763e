"""GraphQL types, one module per service; fields are chosen here, not mirrored wholesale from the services."""
