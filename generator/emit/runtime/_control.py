"""`control` exposes: liveness, readiness, status and Prometheus metrics on the REST
app."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse

from . import _runtime as rt
from . import _secrets


class Metrics:
    """Request counts by method, route template and status, kept in memory."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.requests: Counter[tuple[str, str, int]] = Counter()

    def render(self) -> str:
        lines = [
            "# HELP naftiko_requests_total"
            " Requests served, by method, route and status.",
            "# TYPE naftiko_requests_total counter",
        ]
        for (method, route, status), count in sorted(self.requests.items()):
            route = route.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(
                f'naftiko_requests_total{{method="{method}",route="{route}",'
                f'status="{status}"}} {count}'
            )
        lines += [
            "# HELP naftiko_uptime_seconds Seconds since the adapter started.",
            "# TYPE naftiko_uptime_seconds gauge",
            f"naftiko_uptime_seconds {time.monotonic() - self.started:.3f}",
        ]
        return "\n".join(lines) + "\n"


def adapter_states(clients: Any, namespaces: list[str]) -> dict[str, str]:
    """UP for every consumes namespace that has a base URL (from the spec or the
    environment)."""
    states: dict[str, str] = {}
    for name in namespaces:
        try:
            getattr(clients, name).base_url()
            states[name] = "UP"
        except rt.AdapterError as exc:
            states[name] = "DOWN: " + _secrets.scrub(str(exc))
    return states


def install(
    app: FastAPI,
    clients: Any,
    namespaces: list[str],
    *,
    capability: str,
    health: bool = True,
    metrics: bool = True,
    status: bool = False,
    guard: Any = None,
) -> Metrics | None:
    """Add the switched-on control endpoints to ``app``; with metrics, count every
    request.

    ``guard``, a router dependency from ``_auth.guard``, puts them behind the control
    block's
    authentication.
    """
    router = APIRouter(
        tags=["control"], dependencies=[guard] if guard is not None else []
    )

    def readiness() -> tuple[bool, dict[str, str]]:
        adapters = adapter_states(clients, namespaces)
        return all(state == "UP" for state in adapters.values()), adapters

    if health:

        @router.get("/health/live")
        async def live() -> JSONResponse:
            return JSONResponse({"status": "UP"})

        @router.get("/health/ready")
        async def ready() -> JSONResponse:
            up, adapters = readiness()
            return JSONResponse(
                {"status": "UP" if up else "DEGRADED", "adapters": adapters},
                status_code=200 if up else 503,
            )

    if status:

        @router.get("/status")
        async def status_report() -> JSONResponse:
            up, adapters = readiness()
            return JSONResponse(
                {
                    "status": "UP" if up else "DEGRADED",
                    "capability": capability,
                    "adapters": adapters,
                }
            )

    counter = Metrics() if metrics else None
    if counter is not None:

        @router.get("/metrics")
        async def metrics_text() -> PlainTextResponse:
            return PlainTextResponse(
                counter.render(), media_type="text/plain; version=0.0.4"
            )

        @app.middleware("http")
        async def count(request: Any, call_next: Any) -> Any:
            response = await call_next(request)
            route = request.scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            counter.requests[(request.method, template, response.status_code)] += 1
            return response

    app.include_router(router)
    return counter
