"""Run-time helpers shared by the generated client, router and MCP server.

Templates, URL building, secrets from the environment, JSONPath and output
mapping. This module has no dependency on naftiko-gen or on a web framework.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, cast
from urllib.parse import quote, quote_plus, unquote, urljoin

from pydantic import FiniteFloat, WithJsonSchema

from . import _secrets
from ._errors import ClientError
from ._jsonpath import as_dict as as_dict
from ._jsonpath import as_list as as_list
from ._jsonpath import json_path as json_path

Number = Annotated[int | FiniteFloat, WithJsonSchema({"type": "number"})]
"""A JSON number as the caller sent it (2 stays 2); NaN, inf and ``1e400`` refused."""

TIMEOUT_ENV = "NAFTIKO_HTTP_TIMEOUT"
RETRIES_ENV = "NAFTIKO_HTTP_RETRIES"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2


class AdapterError(ClientError):
    """An error the adapter reports to its caller with an HTTP status."""

    status = 500
    title = "Adapter error"


class ConfigError(AdapterError):
    """A setting the adapter needs (base URL, secret) is not in the environment."""

    status = 500
    title = "Adapter not configured"


class BadInput(AdapterError):
    """A caller's value the adapter refuses to send (nothing goes upstream)."""

    status = 422
    title = "Invalid input"


class NotImplementedCall(AdapterError):
    """The spec's `call` could not be resolved when the code was generated."""

    status = 501
    title = "Not implemented"


class UnsupportedAuth(AdapterError):
    """The upstream authentication kind cannot be performed by this adapter."""

    status = 501
    title = "Unsupported authentication"


# -------------------------------------------------------------------------- environment


def env_name(variable: str, binds: Mapping[str, str]) -> str:
    """The environment variable behind a template variable (``env.X``, a bind, X)."""
    if variable.startswith("env."):
        return variable[4:]
    if variable in binds:
        return binds[variable]
    head, _, rest = variable.partition(".")
    if rest and head not in binds:
        return rest
    return variable


ENVIRONMENT: set[str] = set()
"""Input names the spec sources from the environment (``in: environment``)."""


def env_sourced(variable: str, binds: Mapping[str, str]) -> bool:
    """True when the spec lets ``variable`` read the environment: ``env.X``, a bind,
    or an ``in: environment`` input. Any other omitted input stays empty."""
    tail = variable.partition(".")[2]
    return (
        variable.startswith("env.")
        or variable in binds
        or variable in ENVIRONMENT
        or variable in BIND_FILES
        or tail in binds  # ``{{namespace.KEY}}`` of a bind
    )


def arg_or_env(args: Mapping[str, Any], name: str, binds: Mapping[str, str]) -> Any:
    """A consumes-level input: the caller's value, else its environment variable."""
    value = args.get(name)
    if value is not None or not env_sourced(name, binds):
        return value
    return env(name, binds)


def env(variable: str, binds: Mapping[str, str] | None = None) -> str | None:
    """The value of a template variable: the environment first, then a bind file."""
    value = os.environ.get(env_name(variable, binds or {}))
    if value is None and variable in BIND_FILES:
        value = bind_file_value(*BIND_FILES[variable])
    return value


BIND_FILES: dict[str, tuple[str, str]] = {}
"""Variables of binds with a `location`: variable -> (file location, key in it)."""


def bind_file_path(location: str) -> str:
    """A bind `location` as a path; ``file:///./x`` is relative to the working dir."""
    path = location
    if path.startswith("file://"):
        path = path[len("file://") :]
        if path.startswith("/./") or path.startswith("/../"):
            path = path[1:]
    return path


def read_bind_file(path: str) -> dict[str, str]:
    """A flat map from a JSON object, or ``KEY=value`` / ``key: value`` lines."""
    with open(path, encoding="utf-8") as handle:
        content = handle.read()
    if content.lstrip().startswith("{"):
        data = json.loads(content)
        found = as_dict(data)
        return (
            {str(k): to_text(v) for k, v in found.items()} if found is not None else {}
        )
    pairs: dict[str, str] = {}
    for line in content.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line in ("---", "..."):
            continue
        eq, colon = line.find("="), line.find(":")
        cut = eq if eq >= 0 and (colon < 0 or eq < colon) else colon
        if cut <= 0:
            continue
        key, value = line[:cut].strip(), line[cut + 1 :].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        pairs[key.strip("\"'")] = value
    return pairs


def bind_file_value(location: str, key: str) -> str | None:
    """One key of a bind file, read at call time; None when file or key is missing."""
    try:
        return read_bind_file(bind_file_path(location)).get(key)
    except (OSError, ValueError):
        return None


def to_text(value: Any) -> str:
    """Text for a URL, header or template: JSON spelling for bools, lists, objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


_VAR = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def _lookup(
    name: str, args: Mapping[str, Any], binds: Mapping[str, str], secret: bool
) -> tuple[bool, Any]:
    if name in args and args[name] is not None:
        return True, args[name]
    head, dot, rest = name.partition(".")
    if dot and head in args and isinstance(args[head], Mapping):
        found = json_path(args[head], "$." + rest)
        if found is not None:
            return True, found
    if not (secret or env_sourced(name, binds)):
        return False, None
    value = env(name, binds)
    if value is None or (secret and value == ""):
        if secret:
            raise ConfigError(
                f"environment variable {env_name(name, binds)} is not set"
            )
        return False, None
    if secret:
        try:
            value = _secrets.checked(env_name(name, binds), value)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    return True, value


def render(
    template: str,
    args: Mapping[str, Any],
    binds: Mapping[str, str],
    *,
    secret: bool = False,
) -> str:
    """Fill ``{{name}}`` placeholders from the arguments, then the environment.

    With ``secret=True`` every placeholder must resolve; a missing one raises
    ConfigError naming the environment variable, so nothing is sent half-filled.
    """

    def fill(match: re.Match[str]) -> str:
        return to_text(_lookup(match.group(1), args, binds, secret)[1])

    return _VAR.sub(fill, template)


ESCAPES: dict[str, Callable[[str], str]] = {
    "none": lambda text: text,
    "xml": lambda text: text.replace("&", "&amp;")
    .replace("<", "&lt;")
    .replace(">", "&gt;")
    .replace('"', "&quot;")
    .replace("'", "&apos;"),
    "form": lambda text: quote_plus(text, safe=""),
    "sparql": lambda text: json.dumps(text, ensure_ascii=False)[1:-1].replace(
        "'", "\\'"
    ),
}
"""How a value is escaped inside a text body, by the body's content type."""


def render_body(
    template: str, args: Mapping[str, Any], binds: Mapping[str, str], escape: str
) -> str:
    """Fill a text body template, escaping every value for the body's content type."""
    if escape == "json":
        return render_json_text(template, args, binds)
    escaper = ESCAPES.get(escape, ESCAPES["none"])

    def fill(match: re.Match[str]) -> str:
        return escaper(to_text(_lookup(match.group(1), args, binds, False)[1]))

    return _VAR.sub(fill, template)


def render_data(data: Any, args: Mapping[str, Any], binds: Mapping[str, str]) -> Any:
    """Fill templates inside JSON-like data; a lone placeholder keeps its type."""
    if isinstance(data, str):
        whole = _VAR.fullmatch(data.strip())
        if whole:
            found, value = _lookup(whole.group(1), args, binds, False)
            return value if found else None
        return render(data, args, binds)
    mapping = as_dict(data)
    if mapping is not None:
        return {str(k): render_data(v, args, binds) for k, v in mapping.items()}
    items = as_list(data)
    if items is not None:
        return [render_data(v, args, binds) for v in items]
    return data


def render_json_text(
    template: str, args: Mapping[str, Any], binds: Mapping[str, str]
) -> str:
    """Fill a JSON text template, each value escaped for where it stands."""
    out: list[str] = []
    pos = 0
    in_string = False
    for match in _VAR.finditer(template):
        chunk = template[pos : match.start()]
        in_string = _ends_in_string(chunk, in_string)
        found, value = _lookup(match.group(1), args, binds, False)
        if in_string:
            out.append(chunk + json.dumps(to_text(value), ensure_ascii=False)[1:-1])
        else:
            out.append(
                chunk + (json.dumps(value, ensure_ascii=False) if found else "null")
            )
        pos = match.end()
    out.append(template[pos:])
    return "".join(out)


def _ends_in_string(chunk: str, in_string: bool) -> bool:
    escaped = False
    for ch in chunk:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = in_string
        elif ch == '"':
            in_string = not in_string
    return in_string


# --------------------------------------------------------------------------- URLs


def base_url(variable: str, default: str, binds: Mapping[str, str]) -> str:
    """The upstream base URL: the environment override wins over the spec's value."""
    value = os.environ.get(variable) or default
    if "{{" in value:
        value = render(value, {}, binds, secret=True)
    if not value:
        raise ConfigError(
            f"no upstream base URL: set the environment variable {variable}"
        )
    return value.rstrip("/")


def join_url(base: str, *parts: str) -> str:
    """Join a base URL and a consumed path (given in parts, joined as they are); ``./``
    and
    ``../`` paths resolve as URL references."""
    path = "".join(parts)
    if path.startswith(("./", "../")):
        return urljoin(base + "/", path)
    if path.startswith(("http://", "https://")):
        return path
    if path and not path.startswith("/"):
        path = "/" + path
    return base + path


def climbs(text: str) -> bool:
    """True when a path value is ``.`` or ``..`` or holds ``/`` or ``\\``, as written or
    once percent-escapes are decoded (again and again, as a chain of proxies might)."""
    for _ in range(8):
        if text in (".", "..") or "/" in text or "\\" in text:
            return True
        decoded = unquote(text)
        if decoded == text:
            return False
        text = decoded
    return True  # still decoding after 8 rounds: refused rather than guessed at


def segment(value: Any) -> str:
    """One percent-encoded path segment: no value can add a segment, a query or a
    fragment.

    A value that is, or decodes to, a dot segment or a separator is refused
    (BadInput: REST 422, MCP isError), so nothing is sent.
    """
    text = to_text(value)
    if climbs(text):
        raise BadInput(
            "a path value may not be '.' or '..' or hold '/' or '\\' (even decoded)"
        )
    return quote(text, safe="")


def query_items(name: str, value: Any) -> list[tuple[str, str]]:
    """Query pairs for a value: nothing for None, repeated keys for a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        values = cast("Sequence[Any]", value)
        return [(name, to_text(v)) for v in values if v is not None]
    return [(name, to_text(value))]


# --------------------------------------------------------------------------- outputs


def _coerce(value: Any, kind: str) -> Any:
    try:
        if value is None:
            return None
        if kind == "string" and isinstance(value, (int, float, bool)):
            return to_text(value)
        if kind == "integer" and isinstance(value, str):
            return int(value)
        if kind == "number" and isinstance(value, str):
            number = float(value)
            return int(number) if number.is_integer() and "." not in value else number
        if kind == "boolean" and isinstance(value, str):
            return {"true": True, "false": False}.get(value.lower(), value)
    except ValueError:
        return value
    return value


def map_output(
    rule: Mapping[str, Any],
    root: Any,
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> Any:
    """Apply one output rule to the upstream document (semantics §4.3)."""
    kind = rule.get("type", "string")
    if "value" in rule:
        value = rule["value"]
        return _coerce(
            render_data(value, args, binds) if isinstance(value, str) else value, kind
        )
    if "const" in rule:
        return _coerce(rule["const"], kind)
    if kind == "object" and rule.get("properties"):
        base = root
        return {
            prop["name"]: map_output(prop, base, args, binds)
            for prop in rule["properties"]
            if "name" in prop
        }
    found = json_path(root, rule.get("mapping", "$"))
    if kind == "array" and found is not None and as_list(found) is None:
        found = [found]  # one XML element (or any one value) where a list is declared
    elements = as_list(found)
    if kind == "array" and rule.get("items") is not None and elements is not None:
        item = rule["items"]
        return [map_output(item, element, args, binds) for element in elements]
    return _coerce(found, kind)


def map_outputs(
    rules: Sequence[Mapping[str, Any]],
    root: Any,
    args: Mapping[str, Any],
    binds: Mapping[str, str],
) -> Any:
    """Apply output rules: named ones build an object, else the first non-null wins."""
    if not rules:
        return root
    named = [r for r in rules if r.get("name")]
    if named and len(named) == len(rules):
        return {r["name"]: map_output(r, root, args, binds) for r in named}
    for rule in rules:
        value = map_output(rule, root, args, binds)
        if value is not None:
            return value
    return None


def is_whole_document(rules: Sequence[Mapping[str, Any]]) -> bool:
    """True when the outputs ask for the upstream document as is (none, or ``$.``)."""
    if not rules:
        return True
    if len(rules) != 1:
        return False
    rule = rules[0]
    plain = not any(
        key in rule for key in ("name", "value", "const", "properties", "items")
    )
    return plain and str(rule.get("mapping", "")).strip() in ("$", "$.")


def is_mock(rules: Sequence[Mapping[str, Any]]) -> bool:
    """True when outputs hold static values only: the answer needs no upstream call."""

    def static(rule: Mapping[str, Any]) -> bool:
        if "value" in rule or "const" in rule:
            return True
        props: list[Mapping[str, Any]] = rule.get("properties") or []
        return bool(props) and all(static(p) for p in props)

    return bool(rules) and all(static(r) for r in rules)


def timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def retries() -> int:
    try:
        return max(0, int(os.environ.get(RETRIES_ENV, DEFAULT_RETRIES)))
    except ValueError:
        return DEFAULT_RETRIES


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def loose(value: Any) -> Any:
    """``value`` as it is, typed Any: an input handed on to one of another type."""
    return value


def first(values: Iterable[Any]) -> Any:
    return next(iter(values), None)


Thunk = Callable[[], Any]
