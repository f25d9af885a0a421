"""Constructs of the Ikanos syntax that naftiko-gen does not generate (yet): each gets a
warning or an error saying exactly what is not done (see docs/support.md)."""

from __future__ import annotations

from typing import Any

from .diagnostics import Collector


def check(data: Any, out: Collector) -> None:
    """Report the new constructs of a normalized Ikanos document ``data`` to ``out``."""
