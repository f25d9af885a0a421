"""A generated file already written to the staging folder, standing in for its text.

A cold run of a whole corpus generates a few hundred megabytes of code. Once a spec's
files are staged (see ``writer.Stager``), the run keeps only each file's digest: the
manifest and the plan need no more, and the swap moves the staged file into place.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import manifest


@dataclass(frozen=True, slots=True)
class Staged:
    """A staged file: the sha256 of its text."""

    digest: str


Content = str | Staged
"""A generated file as a run holds it: its text, or the handle of its staged copy."""


def digest_of(content: Content) -> str:
    """The sha256 of a generated file's text, whichever way it is held."""
    return content.digest if isinstance(content, Staged) else manifest.sha256_text(content)


def same_text(content: Content, current: str) -> bool:
    """Whether ``current`` (a file's text on disk) is the generated file's text."""
    if isinstance(content, Staged):
        return manifest.sha256_text(current) == content.digest
    return current == content
