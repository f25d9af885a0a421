"""Stage 2, the model: the IR, the builders that make it, naming, the API surface, the MCP lint."""
