"""One synthetic API of ``resources * 5`` operations, written twice: as an OpenAPI 3.0
document (for openapi-python-client) and as a Naftiko capability that consumes every
operation and exposes each one as a REST route and as an MCP tool (for naftiko-gen).

Each resource ``<noun>`` has list (GET /<noun>s, paged), create (POST /<noun>s), get,
update (PUT) and delete (DELETE /<noun>s/{id}); a ``<Noun>`` has seven fields, one of
them a nested owner object. Both documents carry the same operations, parameters, body
fields and typed results.
"""

from __future__ import annotations

import json

import yaml

NOUNS = (
    "account", "address", "alert", "asset", "badge", "batch", "bill", "booking", "bucket",
    "campaign", "card", "cart", "channel", "charge", "comment", "contact", "contract",
    "coupon", "credit", "customer", "dataset", "deal", "device", "discount", "document",
    "domain", "draft", "event", "export", "feed", "file", "folder", "form", "gift", "group",
    "import", "incident", "invoice", "issue", "job", "key", "label", "lead", "license",
    "list", "location", "log", "match", "media", "member", "message", "metric", "model",
    "note", "notice", "offer", "order", "page", "partner", "payment", "payout", "plan",
    "policy", "post", "price", "product", "profile", "project", "quote", "rate", "receipt",
    "record", "refund", "region", "report", "request", "review", "role", "rule", "run",
    "schedule", "seat", "segment", "session", "shipment", "site", "sku", "source", "stage",
    "store", "survey", "task", "team", "template", "ticket", "token", "topic", "transfer",
    "trip", "vendor",
)
"""One hundred resource names: 500 operations."""

FIELDS = (  # name, OpenAPI/Naftiko type, description
    ("name", "string", "Display name"),
    ("status", "string", "Lifecycle status"),
    ("count", "integer", "How many there are"),
    ("price", "number", "Unit price"),
    ("active", "boolean", "Whether it is in use"),
)


def _camel(noun: str) -> str:
    return noun[:1].upper() + noun[1:]


# --- OpenAPI -------------------------------------------------------------------------


def _schemas(noun: str) -> dict[str, object]:
    model = _camel(noun)
    fields = {name: {"type": kind, "description": text} for name, kind, text in FIELDS}
    owner = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
    return {
        f"{model}Input": {"type": "object", "required": ["name"], "properties": fields},
        model: {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "string"}, **fields, "owner": owner},
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, object], description: str = "OK") -> dict[str, object]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi(nouns: tuple[str, ...] = NOUNS) -> dict[str, object]:
    """The API as an OpenAPI 3.0.3 document."""
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {}
    for noun in nouns:
        model = _camel(noun)
        schemas.update(_schemas(noun))
        page = [
            {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}},
            {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer"}},
        ]
        ident = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
        body = {"required": True, "content": {"application/json": {"schema": _ref(f"{model}Input")}}}
        paths[f"/{noun}s"] = {
            "get": {"operationId": f"list-{noun}s", "summary": f"List {noun}s", "parameters": page,
                    "responses": {"200": _json({"type": "array", "items": _ref(model)})}},
            "post": {"operationId": f"create-{noun}", "summary": f"Create a {noun}", "requestBody": body,
                     "responses": {"201": _json(_ref(model), "Created")}},
        }
        paths[f"/{noun}s/{{id}}"] = {
            "get": {"operationId": f"get-{noun}", "summary": f"Get a {noun}", "parameters": ident,
                    "responses": {"200": _json(_ref(model))}},
            "put": {"operationId": f"update-{noun}", "summary": f"Update a {noun}", "parameters": ident,
                    "requestBody": body, "responses": {"200": _json(_ref(model))}},
            "delete": {"operationId": f"delete-{noun}", "summary": f"Delete a {noun}", "parameters": ident,
                       "responses": {"204": {"description": "Deleted"}}},
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Large API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


# --- Naftiko -------------------------------------------------------------------------


def _item_output() -> dict[str, object]:
    properties: dict[str, object] = {"id": {"type": "string", "mapping": "$.id"}}
    for name, kind, _ in FIELDS:
        output_type = "number" if kind == "integer" else kind  # outputs have no integer
        properties[name] = {"type": output_type, "mapping": f"$.{name}"}
    properties["owner"] = {
        "type": "object",
        "mapping": "$.owner",
        "properties": {
            "id": {"type": "string", "mapping": "$.id"},
            "name": {"type": "string", "mapping": "$.name"},
        },
    }
    return {"type": "object", "properties": properties}


def _description(label: str, noun: str) -> str:
    return f"{label} of the large API; takes and returns {noun} records as JSON."


def _operations(noun: str) -> list[tuple[str, str, str, str, bool, bool, str]]:
    """(name, method, path, label, takes id, takes body, output kind) of one resource."""
    many, one = f"/{noun}s", f"/{noun}s/{{{{id}}}}"
    return [
        (f"list-{noun}s", "GET", many, f"List {noun}s", False, False, "array"),
        (f"create-{noun}", "POST", many, f"Create a {noun}", False, True, "object"),
        (f"get-{noun}", "GET", one, f"Get a {noun}", True, False, "object"),
        (f"update-{noun}", "PUT", one, f"Update a {noun}", True, True, "object"),
        (f"delete-{noun}", "DELETE", one, f"Delete a {noun}", True, False, "none"),
    ]


def _exposed_inputs(takes_id: bool, takes_body: bool, listing: bool, rest: bool) -> list[dict[str, object]]:
    inputs: list[dict[str, object]] = []
    if takes_id:
        inputs.append({"name": "id", "type": "string", "description": "Identifier", "required": True})
    if listing:
        for name in ("limit", "offset"):
            inputs.append({"name": name, "type": "integer", "description": f"Page {name}", "required": False})
    if takes_body:
        for name, kind, text in FIELDS:
            inputs.append({"name": name, "type": kind, "description": text, "required": name == "name"})
    if rest:
        for item in inputs:
            where = "path" if item["name"] == "id" else "query" if listing else "body"
            item["in"] = where
    return inputs


def _outputs(kind: str) -> list[dict[str, object]]:
    if kind == "array":
        return [{"type": "array", "mapping": "$.", "items": _item_output()}]
    if kind == "object":
        return [_item_output()]
    return []


def capability(nouns: tuple[str, ...] = NOUNS) -> dict[str, object]:
    """The API as a Naftiko capability: consumed, and exposed as REST routes and MCP tools."""
    consumed: list[dict[str, object]] = []
    routes: list[dict[str, object]] = []
    tools: list[dict[str, object]] = []
    for noun in nouns:
        by_path: dict[str, list[dict[str, object]]] = {}
        for name, method, path, label, takes_id, takes_body, kind in _operations(noun):
            listing = name.startswith("list-")
            op: dict[str, object] = {"name": name, "method": method, "label": label,
                                     "description": _description(label, noun), "outputRawFormat": "json"}
            inputs = []
            if takes_id:
                inputs.append({"name": "id", "in": "path"})
            if listing:
                inputs += [{"name": "limit", "in": "query"}, {"name": "offset", "in": "query"}]
            if inputs:
                op["inputParameters"] = inputs
            if takes_body:
                data = {field: f"{{{{{field}}}}}" for field, _, _ in FIELDS}
                op["body"] = {"type": "json", "data": data}
            if kind != "none":
                op["outputParameters"] = [{"name": "result", "type": kind, "value": "$."}]
            by_path.setdefault(path, []).append(op)
            names = [str(i["name"]) for i in _exposed_inputs(takes_id, takes_body, listing, False)]
            exposed_path = path.replace("{{id}}", "{id}")
            routes.append({
                "path": exposed_path, "name": name, "description": _description(label, noun),
                "operations": [{
                    "method": method, "name": name, "label": label, "description": _description(label, noun),
                    "inputParameters": _exposed_inputs(takes_id, takes_body, listing, True),
                    "call": f"api.{name}", "with": {n: f"rest.{n}" for n in names},
                    "outputParameters": _outputs(kind),
                }],
            })
            tool: dict[str, object] = {
                "name": name, "label": label, "description": _description(label, noun),
                "hints": {"readOnly": method == "GET", "destructive": method == "DELETE",
                          "idempotent": method != "POST"},
                "inputParameters": _exposed_inputs(takes_id, takes_body, listing, False),
                "call": f"api.{name}", "with": {n: f"tools.{n}" for n in names},
                "outputParameters": _outputs(kind),
            }
            tools.append(tool)
        for path, ops in by_path.items():
            resource = path.strip("/").split("/")[0] + ("-one" if "{" in path else "")
            consumed.append({"name": resource, "path": path, "operations": ops})
    return {
        "naftiko": "1.0.0-alpha2",
        "info": {"label": "Large API", "description": "A synthetic API of many CRUD resources."},
        "capability": {
            "consumes": [{"type": "http", "namespace": "api", "baseUri": "https://api.example.com",
                          "description": "The large API.", "resources": consumed}],
            "exposes": [
                {"type": "rest", "namespace": "rest", "port": 8080, "resources": routes},
                {"type": "mcp", "namespace": "tools", "port": 9090, "transport": "http",
                 "description": "Every operation as a tool.", "tools": tools},
            ],
        },
    }


def operation_count(nouns: tuple[str, ...] = NOUNS) -> int:
    return 5 * len(nouns)


def openapi_text(nouns: tuple[str, ...] = NOUNS) -> str:
    return json.dumps(openapi(nouns), indent=2) + "\n"


def capability_text(nouns: tuple[str, ...] = NOUNS) -> str:
    return yaml.safe_dump(capability(nouns), sort_keys=False, width=100)
