"""The skill catalog server: what the engine serves for a ``type: skill`` exposes.

``GET /skills`` lists the skills (``{count, skills: [{name, description, tools}]}``,
tool names only); ``GET /skills/{name}`` gives one skill with its tools, each
``derived`` (with an ``invocationRef`` naming the MCP tool or REST operation to call)
or ``instruction``. An unknown name is a 404 problem+json. The catalog is data fixed
at generation time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SUMMARY_KEYS = ("name", "description", "license")


def summary(skill: Mapping[str, Any]) -> dict[str, Any]:
    """A catalog entry: the skill's name, description (license) and its tools' names."""
    entry = {key: skill[key] for key in SUMMARY_KEYS if key in skill}
    entry["tools"] = [tool["name"] for tool in skill.get("tools", [])]
    return entry


def create_app(skills: Sequence[Mapping[str, Any]]) -> Starlette:
    """The catalog application for one skill exposes."""
    by_name = {str(skill["name"]): skill for skill in skills}

    async def catalog(request: Request) -> JSONResponse:
        entries = [summary(skill) for skill in skills]
        return JSONResponse({"count": len(entries), "skills": entries})

    async def detail(request: Request) -> JSONResponse:
        name = request.path_params["name"]
        skill = by_name.get(name)
        if skill is None:
            problem = {"title": "Not found", "status": 404, "detail": "no such skill"}
            return JSONResponse(problem, 404, media_type="application/problem+json")
        return JSONResponse(dict(skill))

    routes = [
        Route("/skills", catalog, methods=["GET"]),
        Route("/skills/{name}", detail, methods=["GET"]),
    ]
    return Starlette(routes=routes)
