"""naftiko-gen: static FastAPI, MCP and httpx adapters from Naftiko capability specs."""

__version__ = "0.1.0"
