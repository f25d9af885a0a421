"""Constructs new in the Ikanos syntax that naftiko-gen does not generate as the engine
runs them: each gets a diagnostic saying exactly what is (not) done (docs/support.md).

Read on the normalized Ikanos document (maps keyed by name), so every path is the
user's. Generated with their meaning elsewhere, and so not reported here: REST
``tags`` (OpenAPI tags of the route), ``info.version`` (the OpenAPI version), a consumed
operation's ``outputMediaType`` (the Content-Type its answer is given), MCP ``ttlMs`` and
``cacheScope`` (the caching hints of list and read results).

* NG330 binary content: streamed by REST passthrough routes only (capped at the operation's
  ``maxBinarySize``); MCP tools and mapped outputs read it whole and get
  ``{"contentType", "base64"}``.
* NG331 declared metadata that the generated servers do not send: a flow's
  ``outputMediaType``, ``responses`` contracts, tags outside REST.
* NG332/NG333 a consumes ``tunnel``: ``fallback: direct`` calls ``baseUri`` directly
  (warning); ``fallback: fail`` (the default) cannot be honoured (error).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .diagnostics import Collector
from .semantics import as_dict, as_list, text

Path_ = tuple[str | int, ...]

_NOT_STREAMED = ("REST routes without output mapping stream its bytes (cut off past maxBinarySize); MCP tools, "
                 "resources and mapped outputs read it whole (refused past maxBinarySize) and get "
                 "{contentType, base64}")


def _entries(value: Any) -> Iterator[tuple[str | int, dict[str, Any]]]:
    """(key, entry) of a named map, or (index, entry) of an old list form."""
    if isinstance(value, dict):
        yield from ((k, v) for k, v in value.items() if isinstance(v, dict))
    elif isinstance(value, list):
        yield from ((i, v) for i, v in enumerate(value) if isinstance(v, dict))


def check(data: Any, out: Collector) -> None:
    """Report the new constructs of a normalized Ikanos document ``data`` to ``out``."""
    capability = as_dict(as_dict(data).get("capability"))
    for ci, consumes in enumerate(as_list(capability.get("consumes"))):
        _consumes(as_dict(consumes), ("capability", "consumes", ci), out)
    for ei, exposes in enumerate(as_list(capability.get("exposes"))):
        _exposes(as_dict(exposes), ("capability", "exposes", ei), out)
    tagged: list[Path_] = []
    for ai, aggregate in enumerate(as_list(capability.get("aggregates"))):
        where: Path_ = ("capability", "aggregates", ai)
        for name, flow in _entries(as_dict(aggregate).get("flows")):
            if "outputMediaType" in flow:
                _metadata(out, where + ("flows", name, "outputMediaType"),
                          f"aggregate flow {name!r} advertises outputMediaType "
                          f"{text(flow['outputMediaType'])!r}, which the generated servers do not send")
            if flow.get("tags"):
                tagged.append(where + ("flows", name, "tags"))
    _tags(capability, tagged, out)


def _consumes(consumes: dict[str, Any], where: Path_, out: Collector) -> None:
    namespace = text(consumes.get("namespace")) or "?"
    tunnel = consumes.get("tunnel")
    if isinstance(tunnel, dict):
        _tunnel(namespace, tunnel, where + ("tunnel",), out)
    for rname, resource in _entries(consumes.get("resources")):
        for oname, operation in _entries(resource.get("operations")):
            op_where = where + ("resources", rname, "operations", oname)
            label = f"{namespace}.{oname}"
            if text(operation.get("outputRawFormat")) == "binary":
                limit = text(operation.get("maxBinarySize")) or "10MiB, the engine's default"
                out.warning("NG330", f"binary output of {label} is streamed only through REST passthrough "
                            f"routes: {_NOT_STREAMED}; the cap is {limit}",
                            op_where + ("outputRawFormat",),
                            "fine for files that fit in memory; stream large ones through a REST route "
                            "without output mapping")
            elif "maxBinarySize" in operation:
                _metadata(out, op_where + ("maxBinarySize",),
                          f"maxBinarySize of {label} has no effect: its outputRawFormat is not binary")


def _tunnel(namespace: str, tunnel: dict[str, Any], where: Path_, out: Collector) -> None:
    service = text(tunnel.get("service")) or "?"
    kind = text(tunnel.get("type")) or "ziti"
    if text(tunnel.get("fallback")) == "direct":
        out.warning("NG332", f"consumes {namespace!r} is called directly at its baseUri, not through the {kind} "
                    f"tunnel service {service!r}: naftiko-gen does not dial tunnels (fallback: direct)",
                    where + ("fallback",), "only for development against a reachable upstream, as the engine says")
        return
    out.error("NG333", f"consumes {namespace!r} must be reached through the {kind} tunnel service {service!r} "
              "(fallback: fail), and naftiko-gen cannot dial OpenZiti services: no call of this API could be made",
              where, "write 'fallback: direct' to call baseUri directly, or drop 'tunnel' and "
              "reach the API another way (a VPN, or a Ziti edge tunneller on the host)")


def _exposes(exposes: dict[str, Any], where: Path_, out: Collector) -> None:
    kind = exposes.get("type")
    namespace = text(exposes.get("namespace")) or "?"
    if "maxBinarySize" in exposes:
        _metadata(out, where + ("maxBinarySize",),
                  f"maxBinarySize of {kind} exposes {namespace!r} caps request bodies only: each binary "
                  "consumed operation's own maxBinarySize (or 10MiB) caps its answers")
    if kind == "mcp":
        for name, resource in _entries(exposes.get("resources")):
            if resource.get("binary") is True:
                out.warning("NG330", f"MCP resource {name!r} is read as a blob, but not streamed: "
                            "naftiko-gen reads the upstream body whole", where + ("resources", name, "binary"),
                            "fine for small files; for large ones call the upstream directly")
    if kind == "rest":
        for rname, resource in _entries(exposes.get("resources")):
            for oname, operation in _entries(resource.get("operations")):
                _responses(operation, where + ("resources", rname, "operations", oname), oname, out)


def _mapped_binary(operation: dict[str, Any], name: str, declared: str) -> str:
    """What the generated route does with a binary answer its outputParameters map."""
    return (f"REST operation {name!r} answers JSON with the bytes as base64, not the raw {declared} bytes "
            "it declares: its outputParameters map the answer")


def _responses(operation: dict[str, Any], where: Path_, name: str, out: Collector) -> None:
    """Binary answers are streamed as declared unless outputParameters map them (NG330)."""
    mapped = bool(operation.get("outputParameters"))
    if isinstance(operation.get("responseBinary"), dict):
        media = text(operation["responseBinary"].get("mediaType")) or "?"
        if mapped:
            out.warning("NG330", _mapped_binary(operation, name, media), where + ("responseBinary",),
                        "drop the outputParameters to pass the bytes on")
    responses = operation.get("responses")
    if not isinstance(responses, dict):
        return
    binary = [f"{status} {media}" for status, response in responses.items()
              for media, content in as_dict(as_dict(response).get("content")).items()
              if as_dict(content).get("binary") is True]
    if binary:
        if mapped:
            out.warning("NG330", _mapped_binary(operation, name, ", ".join(binary)), where + ("responses",),
                        "drop the outputParameters to pass the bytes on")
    else:
        _metadata(out, where + ("responses",), f"responses of REST operation {name!r} are not exported "
                  "to the generated OpenAPI document")


def _tags(capability: dict[str, Any], tagged: list[Path_], out: Collector) -> None:
    for ei, exposes in enumerate(as_list(capability.get("exposes"))):
        for name, tool in _entries(as_dict(exposes).get("tools")):
            if tool.get("tags"):
                tagged.append(("capability", "exposes", ei, "tools", name, "tags"))
    for ci, consumes in enumerate(as_list(capability.get("consumes"))):
        for rname, resource in _entries(as_dict(consumes).get("resources")):
            if resource.get("tags"):
                tagged.append(("capability", "consumes", ci, "resources", rname, "tags"))
            for oname, operation in _entries(resource.get("operations")):
                if operation.get("tags"):
                    tagged.append(("capability", "consumes", ci, "resources", rname, "operations", oname, "tags"))
    if tagged:
        more = f" and {len(tagged) - 1} more place{'s' if len(tagged) > 2 else ''}" if len(tagged) > 1 else ""
        _metadata(out, tagged[0], f"tags here{more} are not generated: only REST resources' and "
                  "operations' tags are (as OpenAPI tags)")


def _metadata(out: Collector, where: Path_, message: str) -> None:
    out.warning("NG331", message, where, "the value is kept in the spec for the engine; remove it to silence this")
