"""The host's HTTP application: DESIGN.md's JSON API under /api/v1/sessions/{code} and the browser pages.

Every refusal is a 4xx with `{"error": code, "message"}`; no input produces a
5xx. Bodies are read by hand, at most 64 KiB, so an oversized body is refused
before it is held in memory and a form needs no extra dependency.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from game import __version__

from . import lrs
from .session import ACTIONS, ApiError, ClassSession

MAX_BODY = 64 * 1024
API = "/api/v1/sessions/{code}"

_ERR = {"type": "object", "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
_STATE = {"type": "object", "required": ["seq", "node", "ending", "gauges", "variables"],
          "properties": {"seq": {"type": "integer"}, "node": {"type": "string"},
                         "ending": {"type": ["string", "null"]}, "gauges": {"type": "object"},
                         "variables": {"type": "object"}}}


def _responses(ok: int, schema: dict, *errors: int) -> dict:
    out = {str(ok): {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    for s in errors:
        out[str(s)] = {"description": "refused", "content": {"application/json": {"schema": _ERR}}}
    return out


def _body(schema: dict) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def read_body(request: Request) -> bytes:
    """The request's body, refused (413) past 64 KiB whatever the Content-Length says."""
    length = request.headers.get("content-length")
    if length is not None:
        if not (length.isascii() and length.isdigit()):
            raise ApiError(400, "malformed", "bad Content-Length")
        if len(length) > 9 or int(length) > MAX_BODY:
            raise ApiError(413, "too_large", "the body is over 64 KiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, "too_large", "the body is over 64 KiB")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, fields: dict[str, bool]) -> dict:
    """A JSON object body with these fields (name -> required): 400 not JSON, 422 not an object or missing."""
    raw = await read_body(request)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, "malformed", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object")
    missing = [f for f, required in fields.items() if required and f not in data]
    if missing:
        raise ApiError(422, "invalid", f"missing field(s): {', '.join(missing)}")
    unknown = [k for k in data if k not in fields]
    if unknown:
        raise ApiError(422, "invalid", f"unknown field(s): {', '.join(unknown[:5])}")
    return data


def bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def create_app(session: ClassSession, base_url: str = "") -> FastAPI:
    """The application serving one session (its API, its pages, /healthz)."""
    app = FastAPI(title="Pandore classroom", version=__version__, docs_url=None, redoc_url=None)
    app.state.session = session
    app.state.base_url = base_url

    def find(code: str) -> ClassSession:
        if code.upper() != session.row.code:
            raise ApiError(404, "unknown_session", "no session with this code here")
        return session

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, e: ApiError):
        if request.url.path.startswith("/j/"):
            from .pages import error_page

            return error_page(request, session, e)
        return JSONResponse(e.body(), status_code=e.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, e: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(e.status_code, "bad_request")
        return JSONResponse({"error": code, "message": str(e.detail)}, status_code=e.status_code,
                            headers=getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError):
        return JSONResponse({"error": "invalid", "message": str(e.errors()[:1])}, status_code=422)

    @app.get("/healthz", include_in_schema=False)
    async def healthz():
        return {"ok": True, "session": session.row.id}

    @app.post(API + "/participants", status_code=201, openapi_extra={
        **_body({"type": "object", "required": ["pseudonym"], "additionalProperties": False,
                 "properties": {"pseudonym": {"type": "string", "minLength": 1, "maxLength": 32}}}),
        "responses": _responses(201, {"type": "object", "required": ["participant_id", "token", "playthrough_id",
                                                                     "seed"]}, 400, 404, 413, 422, 423)})
    async def join(code: str, request: Request):
        s = find(code)
        data = await read_json(request, {"pseudonym": True})
        p = s.join(data["pseudonym"])
        return JSONResponse({"participant_id": p.row.id, "token": p.row.token,
                             "playthrough_id": p.row.playthrough_id, "seed": p.row.seed}, status_code=201)

    @app.get(API + "/scenario", openapi_extra={"responses": _responses(
        200, {"type": "object", "required": ["id", "language", "sha256", "text"]}, 401, 403, 404)})
    async def scenario(code: str, request: Request):
        s = find(code)
        token = bearer(request)
        if not s.is_trainer(token):  # the trainer may read it too (an extension)
            s.participant(token)
        r = s.row
        return {"id": r.scenario_id, "language": r.language, "sha256": r.scenario_sha256, "text": r.scenario_text}

    @app.post(API + "/choices", status_code=201, openapi_extra={
        **_body({"type": "object", "required": ["playthrough_id", "seq", "choice"], "additionalProperties": False,
                 "properties": {"playthrough_id": {"type": "string"}, "seq": {"type": "integer", "minimum": 1},
                                "choice": {"type": "string", "minLength": 1, "maxLength": 200}}}),
        "responses": {**_responses(201, _STATE, 400, 401, 403, 404, 409, 413, 422, 423),
                      "200": {"description": "already recorded", "content": {"application/json": {"schema": _STATE}}}}})
    async def choose(code: str, request: Request):
        s = find(code)
        p = s.participant(bearer(request))
        data = await read_json(request, {"playthrough_id": True, "seq": True, "choice": True})
        status, body = s.choose(p, data["playthrough_id"], data["seq"], data["choice"])
        return JSONResponse(body, status_code=status)

    @app.post(API + "/undo", openapi_extra={
        **_body({"type": "object", "required": ["playthrough_id", "seq"], "additionalProperties": False,
                 "properties": {"playthrough_id": {"type": "string"}, "seq": {"type": "integer", "minimum": 1}}}),
        "responses": _responses(200, _STATE, 400, 401, 403, 404, 409, 413, 422, 423)})
    async def undo(code: str, request: Request):
        s = find(code)
        p = s.participant(bearer(request))
        data = await read_json(request, {"playthrough_id": True, "seq": True})
        return s.undo(p, data["playthrough_id"], data["seq"])

    @app.get(API + "/summary", openapi_extra={"responses": _responses(
        200, {"type": "object", "required": ["participants", "choices_made", "at", "choices", "endings"]},
        401, 403, 404)})
    async def summary(code: str, request: Request):
        s = find(code)
        s.trainer(bearer(request))
        return s.summary()

    @app.post(API + "/control", openapi_extra={
        **_body({"type": "object", "required": ["action"], "additionalProperties": False,
                 "properties": {"action": {"enum": list(ACTIONS)}, "node": {"type": "string"}}}),
        "responses": _responses(200, {"type": "object", "required": ["state"]}, 400, 401, 403, 404, 413, 422, 423)})
    async def control(code: str, request: Request):
        s = find(code)
        s.trainer(bearer(request))
        data = await read_json(request, {"action": True, "node": False})
        return s.control(data["action"], data.get("node"))

    @app.get(API + "/stream", openapi_extra={"responses": {
        "200": {"description": "server-sent events", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
        **{k: v for k, v in _responses(200, {}, 401, 403, 404).items() if k != "200"}}})
    async def stream(code: str, request: Request):
        s = find(code)
        token = bearer(request) or request.query_params.get("token")
        trainer = s.is_trainer(token)
        player = None if trainer else s.participant(token)

        def event() -> str:
            body = {"version": s.version, **s.control_body()}
            if trainer:
                body["summary"] = s.summary()
                xapi_status = lrs.status_of(s.row.id)
                if xapi_status is not None:
                    body["xapi"] = xapi_status
            else:
                from .session import state_body

                body["playthrough"] = state_body(player.pt)
            return f"event: change\ndata: {json.dumps(body, ensure_ascii=False)}\n\n"

        async def events():
            seen = -1
            idle = 0.0
            while not app.state.stopping:
                if s.version != seen:
                    seen = s.version
                    idle = 0.0
                    yield event()
                elif idle >= 15:
                    idle = 0.0
                    yield ": still here\n\n"  # keeps proxies and Wi-Fi from closing an idle line
                await asyncio.sleep(0.25)
                idle += 0.25

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    app.state.stopping = False
    from .pages import add_pages, add_qr

    add_pages(app, session)
    add_qr(app, session)
    lrs.add_routes(app, session)
    return app
