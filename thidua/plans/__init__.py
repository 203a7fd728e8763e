"""Movement definitions (plans/*.yaml): their format, validation with line numbers, and the importer that loads
them through the services' APIs. No schema of its own: a client of the registry, scoring and awards."""
