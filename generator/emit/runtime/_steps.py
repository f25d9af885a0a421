"""Orchestration at run time: call and lookup steps, mappings, aggregate results.

An orchestration returns an ``httpx.Response`` like a plain client call, so the
REST and MCP adapters shape its answer the same way: a mapped object is a
``200 application/json`` response built here; an upstream error stops the steps
and is answered as that upstream's error.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx

from . import _answer, _http
from . import _runtime as rt

JSON = "application/json"


def json_response(value: Any, status: int = 200) -> httpx.Response:
    """A response holding ``value`` as JSON (what the adapters receive from an
    orchestration)."""
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return httpx.Response(status, content=body, headers={"content-type": JSON})


def _nest(target: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = target
    for key in keys[:-1]:
        child = rt.as_dict(node.get(key))
        if child is None:
            child = node[key] = {}
        node = child
    node[keys[-1]] = value


class Run:
    """The running state of one orchestration: caller arguments and step outputs."""

    def __init__(self, args: Mapping[str, Any], binds: Mapping[str, str]) -> None:
        self.binds = binds
        self.scope: dict[str, Any] = dict(args)
        self.outputs: dict[str, Any] = {}
        self.last: httpx.Response | None = None

    def arg(self, name: str) -> Any:
        """A caller argument (or an earlier step output) by name; None when absent."""
        return self.scope.get(name)

    def render(self, template: Any) -> Any:
        """A `with` template filled from the scope; a lone ``{{x}}`` keeps the value's
        type."""
        return rt.render_data(template, self.scope, self.binds)

    def env(self, variable: str) -> Any:
        return rt.env(variable, self.binds)

    def merge(self, values: Mapping[str, Any]) -> None:
        """Add `with` values to the scope (values the caller gave win)."""
        for key, value in values.items():
            if self.scope.get(key) is None:
                self.scope[key] = value

    async def call(
        self,
        name: str,
        send: Callable[[], Awaitable[httpx.Response]],
        projection: Sequence[Mapping[str, Any]],
    ) -> httpx.Response | None:
        """Run a call step. Returns the upstream response when it failed (the steps
        stop)."""
        reading = _answer.STREAM_BINARY.set(False)  # a step's answer is always read
        try:
            response = await send()
        finally:
            _answer.STREAM_BINARY.reset(reading)
        self.last = response
        if response.status_code >= 400:
            return response
        document = _http.decode_body(response)
        if isinstance(document, str):
            return None  # not JSON: nothing is stored (like the engine)
        if projection and document is not None:
            document = self.project(projection, document)
        self.outputs[name] = document
        self.scope[name] = document
        return None

    def project(self, projection: Sequence[Mapping[str, Any]], document: Any) -> Any:
        """A call step's consumed outputs applied to its answer. Over an array (a list
        step), each item keeps its fields and gains the projected ones, so a later
        lookup can match on a projected name (as the engine does)."""
        named = all(rule.get("name") for rule in projection)
        rows = rt.as_list(document)
        if rows is None or not named:
            return rt.map_outputs(projection, document, self.scope, self.binds)
        items: list[Any] = []
        for item in rows:
            projected = rt.map_outputs(projection, item, self.scope, self.binds)
            row, extra = rt.as_dict(item), rt.as_dict(projected)
            if row is not None and extra is not None:
                items.append({**row, **extra})
            else:
                items.append(projected)
        return items

    def lookup(
        self, name: str, index: str, match: str, lookup_value: str, fields: list[str]
    ) -> None:
        """Match each looked-up value against ``match`` in the list step ``index``
        produced."""
        table = self.outputs.get(index)
        rows: list[Any] = rt.as_list(table) or (
            [table] if isinstance(table, dict) else []
        )
        if lookup_value.strip().startswith("$"):
            wanted = rt.json_path(self.outputs, lookup_value)
        else:
            wanted = rt.render_data(lookup_value, self.scope, self.binds)
        listed = rt.as_list(wanted)
        many = listed is not None
        found: list[Any] = []
        for value in listed if listed is not None else [wanted]:
            key = rt.to_text(value)
            for row in map(rt.as_dict, rows):
                if row is not None and rt.to_text(row.get(match)) == key:
                    found.append({f: row.get(f) for f in fields} if fields else row)
                    break
        result = found if many else (found[0] if found else None)
        self.outputs[name] = result
        self.scope[name] = result

    def finish(
        self,
        mappings: Sequence[Sequence[str]],
        outputs: Sequence[Mapping[str, Any]],
    ) -> httpx.Response:
        """The answer: the mapped object, else the outputs applied to the last call,
        else a mock."""
        if mappings:
            built: dict[str, Any] = {}
            for target, path in mappings:
                value = rt.json_path(self.outputs, path)
                if value is not None:
                    _nest(built, target, value)
            if built:
                return json_response(built)
        if self.last is None:
            return json_response(
                rt.map_outputs(outputs, None, self.scope, self.binds) if outputs else {}
            )
        if rt.is_whole_document(outputs) or all(not _maps(r) for r in outputs):
            return self.last
        document = _http.decode_body(self.last)
        if document is None or isinstance(document, str):
            return self.last
        return json_response(
            rt.map_outputs(outputs, document, self.scope, self.binds),
            self.last.status_code,
        )


def _maps(rule: Mapping[str, Any]) -> bool:
    """True when an output rule takes something from a document (not only a name and
    type)."""
    if any(key in rule for key in ("mapping", "value", "const")):
        return True
    properties: list[Mapping[str, Any]] = rule.get("properties") or []
    return any(_maps(p) for p in properties) or bool(
        rule.get("items") and _maps(rule["items"])
    )


def merged(args: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's arguments with its `with` values added (the caller's own values
    win)."""
    out = dict(args)
    for key, value in extra.items():
        if out.get(key) is None:
            out[key] = value
    return out


def not_implemented(detail: str) -> httpx.Response:
    """Raised inside an orchestration whose spec could not be fully generated (answers
    501)."""
    raise rt.NotImplementedCall(detail)
