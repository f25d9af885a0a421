"""Stage 1, reading: loading, limits, imports, schema validation, semantic checks, diagnostics."""
