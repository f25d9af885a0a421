"""Findings condensed for reporting: one message per group with a count, problems inside
skill blocks folded into one warning per block, duplicates dropped."""

from __future__ import annotations

from typing import Any

from .codes import ERROR, WARNING, DocPath
from .explain import Finding
from .places import value_at

_MAX_LISTED = 6


def condense(findings: list[Finding], data: Any) -> list[tuple[Finding, str]]:
    """One (finding, message) per group, skill problems folded, duplicates dropped.

    A group's message lists what differs between its members (keys, values) and
    says in how many places the problem occurs.
    """
    findings = _fold_skills(findings, data)
    error_paths = {f.path for f in findings if f.severity is ERROR}
    groups: dict[Any, list[Finding]] = {}
    seen: set[tuple[str, DocPath, str]] = set()
    for finding in findings:
        if finding.severity is WARNING and finding.path in error_paths:
            continue  # the error at the same place says more
        identity = (finding.code, finding.path, finding.message)
        if identity in seen:
            continue
        seen.add(identity)
        key = finding.group if finding.group is not None else identity
        groups.setdefault(key, []).append(finding)
    result = []
    for members in groups.values():
        first = members[0]
        places = len({m.path[:-1] if m.at_key else m.path for m in members})
        subjects = list(dict.fromkeys(m.subject for m in members if m.subject))
        if len(members) == 1 or first.summary is None:
            message = first.message
        else:
            message = first.summary + (": " + _listing(subjects) if subjects else "")
        if places > 1:
            message += f" ({places} occurrences)"
        result.append((first, message))
    return result


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else "")


def _fold_skills(findings: list[Finding], data: Any) -> list[Finding]:
    """Problems inside a skill exposes become one NG118 warning per skill block."""
    result: list[Finding] = []
    per_block: dict[DocPath, list[Finding]] = {}
    for finding in findings:
        block = _skill_block(finding.path, data)
        if block is None:
            result.append(finding)
        else:
            per_block.setdefault(block, []).append(finding)
    for members in per_block.values():
        first = members[0]
        extra = len(members) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        result.append(Finding("NG118", first.path, f"skill exposes is off-schema: {first.message}{more}",
                              "naftiko-gen generates no code for skills; fix this to run the spec on the Naftiko engine",
                              at_key=first.at_key))
    return result


def _skill_block(path: DocPath, data: Any) -> DocPath | None:
    if len(path) < 3 or path[:2] != ("capability", "exposes"):
        return None
    entry = value_at(data, path[:3])
    return path[:3] if isinstance(entry, dict) and entry.get("type") == "skill" else None
