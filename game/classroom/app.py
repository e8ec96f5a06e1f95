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

from . import lrs, xapi
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


def check_length(length: str | None) -> None:
    """A Content-Length that is no plain number is refused (400); one over 64 KiB too (413)."""
    if length is not None:
        if not (length.isascii() and length.isdigit()):
            raise ApiError(400, "malformed", "bad Content-Length")
        if len(length) > 9 or int(length) > MAX_BODY:
            raise ApiError(413, "too_large", "the body is over 64 KiB")


class _Size:
    """Counts a body's bytes as they come: refused (413) past 64 KiB whatever the Content-Length said."""

    def __init__(self):
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:
            raise ApiError(413, "too_large", "the body is over 64 KiB")


async def read_body(request: Request) -> bytes:
    """The request's body, refused (413) past 64 KiB whatever the Content-Length says."""
    check_length(request.headers.get("content-length"))
    chunks, size = [], _Size()
    async for chunk in request.stream():
        size.add(chunk)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(raw: bytes, fields: dict[str, bool]) -> dict:
    """A JSON object with these fields (name -> required): 400 not JSON, 422 not an object or missing."""
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


async def read_json(request: Request, fields: dict[str, bool]) -> dict:
    """A JSON object body with these fields (see `parse_json`)."""
    return parse_json(await read_body(request), fields)


def bearer_of(authorization: str) -> str | None:
    scheme, _, token = authorization.partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def bearer(request: Request) -> str | None:
    return bearer_of(request.headers.get("authorization", ""))


CHOICE_FIELDS = {"playthrough_id": True, "seq": True, "choice": True}


async def post_choice(s: ClassSession, token: str | None, body) -> tuple[int, dict]:
    """`POST .../choices` once the session is found: who asks, then the body (`await body()`), then the choice."""
    p = s.participant(token)
    data = parse_json(await body(), CHOICE_FIELDS)
    return await s.choose_async(p, data["playthrough_id"], data["seq"], data["choice"])


def dumps(body: dict) -> bytes:
    """JSON as Starlette's JSONResponse writes it."""
    return json.dumps(body, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()


class ClassroomApp(FastAPI):
    """FastAPI, with one route served straight from ASGI: `POST /api/v1/sessions/{CODE}/choices`, the one
    a class sends hundreds of times a second. Its rules are `post_choice`, shared with the FastAPI route
    (which stays for the OpenAPI document and for a code typed in lower case); what is skipped is the
    framework's per-request machinery (middleware, routing, dependency solving), most of the host's time
    under load (docs/BENCHMARKS.md)."""

    fast_choices: tuple[str, ClassSession] | None = None

    async def __call__(self, scope, receive, send) -> None:
        fast = self.fast_choices
        if fast is not None and scope["type"] == "http" and scope["path"] == fast[0] and scope["method"] == "POST":
            await _fast_choice(fast[1], scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class _Disconnected(Exception):
    pass


async def _fast_choice(s: ClassSession, scope, receive, send) -> None:
    authorization, length = "", None
    for name, value in scope["headers"]:  # the first of each, as Starlette's Headers.get
        if name == b"authorization" and not authorization:
            authorization = value.decode("latin-1")
        elif name == b"content-length" and length is None:
            length = value.decode("latin-1")

    async def body() -> bytes:
        check_length(length)
        chunks, size = [], _Size()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size.add(chunk)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    try:
        status, answer = await post_choice(s, bearer_of(authorization), body)
    except ApiError as e:
        status, answer = e.status, e.body()
    except _Disconnected:
        return
    payload = dumps(answer)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", str(len(payload)).encode()),
                            (b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": payload})


def create_app(session: ClassSession, base_url: str = "") -> FastAPI:
    """The application serving one session (its API, its pages, /healthz)."""
    app = ClassroomApp(title="Pandore classroom", version=__version__, docs_url=None, redoc_url=None)
    app.fast_choices = (API.format(code=session.row.code) + "/choices", session)
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
        p = await s.join_async(data["pseudonym"])
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
        status, body = await post_choice(find(code), bearer(request), lambda: read_body(request))
        return JSONResponse(body, status_code=status)

    @app.post(API + "/undo", openapi_extra={
        **_body({"type": "object", "required": ["playthrough_id", "seq"], "additionalProperties": False,
                 "properties": {"playthrough_id": {"type": "string"}, "seq": {"type": "integer", "minimum": 1}}}),
        "responses": _responses(200, _STATE, 400, 401, 403, 404, 409, 413, 422, 423)})
    async def undo(code: str, request: Request):
        s = find(code)
        p = s.participant(bearer(request))
        data = await read_json(request, {"playthrough_id": True, "seq": True})
        return await s.undo_async(p, data["playthrough_id"], data["seq"])

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
        "responses": _responses(200, {"type": "object", "required": ["state"]}, 400, 401, 403, 404, 409, 413, 422,
                                423)})
    async def control(code: str, request: Request):
        s = find(code)
        s.trainer(bearer(request))
        data = await read_json(request, {"action": True, "node": False})
        return await s.control_async(data["action"], data.get("node"))

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
                if player is not None:
                    xapi.seen(player)  # an open stream is a heartbeat
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
