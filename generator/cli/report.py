"""How a run talks: diagnostics in text, JSON or GitHub annotation form, and a progress bar.

- ``text``: ``file:line:col: severity[CODE]: message`` (and a ``hint:`` line) on stderr.
- ``json``: one JSON object per diagnostic per line (JSON Lines) on stdout.
- ``github``: GitHub Actions workflow commands on stdout, which the runner turns into
  annotations on the pull request: ``::error file=F,line=L,col=C,title=CODE::message``.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click

from ..read.diagnostics import Diagnostic
from ..pipeline import Progress

FORMATS = ("text", "json", "github")
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one encoder for every line
PROGRESS_THRESHOLD = 20
"""The bar appears only for runs of more specs than this."""


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostic: Diagnostic) -> str:
    """One workflow command; the hint goes on a second line of the annotation."""
    message = diagnostic.message
    if diagnostic.json_path:
        message += f" (at {diagnostic.json_path})"
    if diagnostic.hint:
        message += f"\nhint: {diagnostic.hint}"
    props = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in (
            ("file", diagnostic.file),
            ("line", diagnostic.line),
            ("col", diagnostic.col),
            ("title", diagnostic.code),
        )
    )
    return f"::{diagnostic.severity.value} {props}::{_escape_data(message)}"


def format_json(diagnostic: Diagnostic) -> str:
    data = {
        "file": diagnostic.file,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "json_path": diagnostic.json_path,
    }
    return _JSON.encode(data)


def emit(diagnostic: Diagnostic, error_format: str) -> None:
    """Print one diagnostic in the chosen format, on the stream that format uses."""
    if error_format == "github":
        click.echo(format_github(diagnostic))
    elif error_format == "json":
        click.echo(format_json(diagnostic))
    else:
        click.echo(diagnostic.format_text(), err=True)


def render_all(diagnostics: list[Diagnostic], error_format: str) -> tuple[str, bool]:
    """Many diagnostics as one text, and whether it goes to stderr (text) or stdout."""
    if error_format == "github":
        return "\n".join(map(format_github, diagnostics)), False
    if error_format == "json":
        return "\n".join(map(format_json, diagnostics)), False
    return "\n".join(d.format_text() for d in diagnostics), True


def print_block(text: str, to_stderr: bool) -> None:
    """Print a block of diagnostics in one write (a run may replay thousands); nothing when empty."""
    if text:
        click.echo(text, err=to_stderr)


def emit_all(diagnostics: list[Diagnostic], error_format: str) -> None:
    """Print many diagnostics at once."""
    print_block(*render_all(diagnostics, error_format))


class Bar(Progress):
    """A progress bar on stderr, shown only on a terminal and for more than 20 specs."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self._bar: click.progressbar | None = None  # type: ignore[type-arg]

    def start(self, total: int) -> None:
        if not self.enabled or total <= PROGRESS_THRESHOLD or not self.stream.isatty():
            return
        self._bar = click.progressbar(length=total, label="naftiko-gen", file=self.stream, show_pos=True)
        self._bar.__enter__()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def finish(self) -> None:
        """Close the bar (a no-op when it was never shown)."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
