"""The errors a generated client raises, importable from the package root.

Every error carries ``status`` (an HTTP status) and ``body`` (what came back, or None).
This module has no dependency on naftiko-gen or on a web framework.
"""

from __future__ import annotations

from typing import Any


class ClientError(Exception):
    """Base of every error a generated client raises.

    ``status`` is the upstream's HTTP status for ``UpstreamError``; for the others it is
    the status the REST adapter answers with (504, 502, 500, 501). ``body`` is the
    upstream's decoded answer, or None when there is none.
    """

    status: int = 500
    body: Any = None

    def __init__(self, message: str, *, status: int | None = None, body: Any = None):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.body = body


class UpstreamError(ClientError):
    """The upstream answered 4xx or 5xx; ``body`` is its answer, decoded."""

    def __init__(self, message: str, *, status: int, body: Any = None) -> None:
        super().__init__(message, status=status, body=body)


class UpstreamTimeout(ClientError):
    """No answer in time (``NAFTIKO_HTTP_TIMEOUT``); the request was not resent."""

    status = 504


class UpstreamUnreachable(ClientError):
    """No answer: the connection was refused or dropped, or the URL is not usable."""

    status = 502
