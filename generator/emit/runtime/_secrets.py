"""Secrets at run time: checked when read, remembered, and scrubbed from every text that
leaves the adapter (error answers, MCP errors, upstream excerpts, log lines).

This module has no dependency on naftiko-gen or on a web framework.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_LENGTH = 4
"""Shorter values are not scrubbed: masking "ab" everywhere would garble every text."""

_KNOWN: set[str] = set()
_LOCK = threading.Lock()
_pattern: re.Pattern[str] | None = None
_QUERY_NAMES: set[str] = set()


def checked(variable: str, value: str) -> str:
    """A secret as read from the environment or a file: one trailing newline dropped.

    Raises ValueError naming the variable (never the value) when the secret holds a
    CR, LF, NUL or another control character, which no header can carry.
    """
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith("\n"):
        value = value[:-1]
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError(
            f"the secret in {variable} holds a control character (CR, LF, NUL, ...);"
            " fix the variable or the file it comes from"
        )
    remember(value)
    return value


def remember(value: str) -> None:
    """Scrub ``value`` (and its URL-encoded spellings) from every text from now on."""
    global _pattern
    if len(value) < MIN_LENGTH or value in _KNOWN:
        return
    with _LOCK:
        _KNOWN.update(v for v in (value, quote(value, safe=""), quote_plus(value)) if v)
        ordered = sorted(_KNOWN, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(v) for v in ordered))


def secret_query_name(name: str) -> None:
    """A query parameter that carries a credential: its value is masked in logged
    URLs."""
    _QUERY_NAMES.add(name.lower())


def scrub(text: str) -> str:
    """``text`` with every remembered secret masked, and credential query values too."""
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    if _QUERY_NAMES and "=" in text:
        text = _QUERY_VALUE.sub(_mask_query, text)
    return text


def scrub_bytes(data: bytes) -> bytes:
    """``data`` with every remembered secret masked (for upstream error bodies)."""
    pattern = _pattern
    if pattern is None:
        return data
    for value in sorted(_KNOWN, key=len, reverse=True):
        data = data.replace(value.encode("utf-8"), MASK.encode())
    return data


_QUERY_VALUE = re.compile(r"([?&;])([^=&#\s]+)=([^&#\s\"']*)")


def _mask_query(match: re.Match[str]) -> str:
    if match.group(2).lower() in _QUERY_NAMES:
        return f"{match.group(1)}{match.group(2)}={MASK}"
    return match.group(0)


class Redact(logging.Filter):
    """A logging filter that scrubs secrets from the formatted message of every
    record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrub_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _scrub_arg(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(
                logging.Formatter().formatException(record.exc_info)
            )
            record.exc_info = None
        return True


def _scrub_arg(value: object) -> object:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, (int, float)) or value is None:
        return value
    text = str(value)
    cleaned = scrub(text)
    return value if cleaned == text else cleaned


def quiet_http_logs() -> None:
    """httpx and httpcore log at WARNING (their INFO lines carry every upstream URL),
    and
    whatever they log is scrubbed."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        if not any(isinstance(f, Redact) for f in logger.filters):
            logger.addFilter(Redact())


def redact_root_logs() -> None:
    """Scrub what the root logger's handlers write (the MCP SDK installs one at INFO),
    and
    keep httpx and httpcore at WARNING."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, Redact) for f in handler.filters):
            handler.addFilter(Redact())
    quiet_http_logs()
