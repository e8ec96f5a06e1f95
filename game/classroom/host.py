"""Running a session's host: uvicorn on a socket we bind ourselves (so `--port 0` knows its port
before the first line is printed), a clean stop on SIGTERM/SIGINT, a best-effort LAN announcement."""

from __future__ import annotations

import json
import socket
import sys
from dataclasses import dataclass

from .app import create_app
from .session import ClassSession

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Address:
    url: str
    join_url: str


def bind_socket(bind: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # No Nagle: a response's headers and body are two writes, and the client's delayed ACK would
    # otherwise add 40 ms to every acknowledgement (accepted sockets inherit this on Linux).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((bind, port))
    sock.listen(2048)  # connections made before uvicorn starts wait in the backlog
    sock.set_inheritable(True)
    return sock


def public_host(bind: str) -> str:
    """The address trainees type: the bound one, or this machine's name resolved when bound to all."""
    if bind not in ("0.0.0.0", "::", ""):
        return bind
    try:
        ip = socket.gethostbyname(socket.gethostname())
        return ip if not ip.startswith("127.") else "127.0.0.1"
    except OSError:
        return "127.0.0.1"


def address(session: ClassSession, bind: str, port: int) -> Address:
    host = public_host(bind)
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{port}"
    return Address(url, f"{url}/j/{session.row.code}")


def first_line(session: ClassSession, addr: Address) -> str:
    return json.dumps({"session": session.row.id, "code": session.row.code, "url": addr.url,
                       "join_url": addr.join_url, "trainer_token": session.row.trainer_token})


def announce(session: ClassSession, bind: str, port: int):
    """Announce the session on the LAN with zeroconf (best effort: None when it cannot)."""
    if bind in LOOPBACK:
        return None
    try:
        from zeroconf import ServiceInfo, Zeroconf

        host = public_host(bind)
        info = ServiceInfo("_pandore._tcp.local.", f"Pandore {session.row.code}._pandore._tcp.local.",
                           addresses=[socket.inet_aton(host)], port=port,
                           properties={"code": session.row.code, "scenario": session.row.scenario_id})
        zc = Zeroconf()
        zc.register_service(info)
        return zc, info
    except Exception:  # noqa: BLE001  (discovery is often blocked on school networks: typing the address works)
        return None


def serve(session: ClassSession, bind: str = "0.0.0.0", port: int = 8765, on_ready=None, lrs=None,
          abandon_after: float | None = None, notify=None) -> int:
    """Serve until SIGTERM/SIGINT. `on_ready(address)` runs once the socket is listening.

    `lrs` (an `lrs.LrsConfig`, or None) is where the session's xAPI statements are forwarded."""
    import uvicorn

    from . import lrs as _lrs

    sock = bind_socket(bind, port)
    addr = address(session, bind, sock.getsockname()[1])
    app = create_app(session, addr.url)
    forwarder = _lrs.Forwarder(session, addr.url, lrs, notify=notify,
                               abandon_after=_lrs.ABANDON_AFTER if abandon_after is None else abandon_after).start()

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            app.state.stopping = True  # open event streams end, so the stop is prompt
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=3,
                            lifespan="off")
    server = Server(config)
    if on_ready is not None:
        on_ready(addr)
    sys.stdout.flush()
    zc = announce(session, bind, addr_port(addr))
    # uvicorn stops on SIGTERM/SIGINT, then raises the signal again to the handler it found: make that
    # handler a no-op so that a stop asked for is a clean exit (0), not a death by signal.
    import signal

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    try:
        server.run(sockets=[sock])
    finally:
        if zc is not None:
            try:
                zc[0].unregister_service(zc[1])
                zc[0].close()
            except Exception:  # noqa: BLE001
                pass
        forwarder.stop()
        sock.close()
        session.store.close()
    return 0


def addr_port(addr: Address) -> int:
    return int(addr.url.rsplit(":", 1)[1])
