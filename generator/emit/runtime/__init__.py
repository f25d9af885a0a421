"""The run-time modules, copied verbatim into every generated package (this file is
not).

Each module here is real Python: the project's tests import it, and its lint and
type checks run on it. In a generated package they sit beside ``client.py``,
``router.py`` and ``mcp_server.py`` and import each other relatively.
"""
