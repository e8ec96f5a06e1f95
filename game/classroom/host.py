"""Running a session's host: uvicorn on a socket we bind ourselves (so `--port 0` knows its port
before the first line is printed), a clean stop on SIGTERM/SIGINT, a best-effort LAN announcement."""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
from dataclasses import dataclass

from .app import create_app
from .session import ClassSession

LOOPBACK = ("127.0.0.1", "localhost", "::1")

log = logging.getLogger(__name__)


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
    """The address trainees type: the bound one; when bound to all, the address of the interface that
    carries this machine's outgoing traffic (no packet is sent), else its name resolved, else loopback."""
    if bind not in ("0.0.0.0", "::", ""):
        return bind
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # UDP: only picks the route
            ip = probe.getsockname()[0]
        if not ip.startswith(("127.", "0.")):
            return ip
    except OSError:
        pass
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


def service_info(session: ClassSession, host: str, port: int):
    """The zeroconf service of a session: `Pandore CODE._pandore._tcp.local.`, TXT `code`, `title`, `scenario`
    (what `game.classroom.discovery.browse` reads)."""
    from zeroconf import ServiceInfo

    from .discovery import SERVICE_TYPE

    title = session.rules.scenario.title
    # A TXT string holds at most 255 bytes with its key: a long title is cut on a character boundary.
    title = title.encode("utf-8")[:200].decode("utf-8", "ignore")
    return ServiceInfo(SERVICE_TYPE, f"Pandore {session.row.code}.{SERVICE_TYPE}",
                       server=f"pandore-{session.row.code.lower()}.local.", addresses=[socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)],
                       port=port, properties={"code": session.row.code, "title": title,
                                              "scenario": session.row.scenario_id})


def announce(session: ClassSession, bind: str, port: int, zeroconf_factory=None):
    """Announce the session on the LAN with zeroconf; best effort: (zeroconf, info), or None when it
    cannot (bound to loopback, no multicast, any error) — typing the address always works."""
    if bind in LOOPBACK:
        return None
    try:
        host = public_host(bind)
        if host.startswith("127.") or host == "::1":
            return None
        info = service_info(session, host, port)
        if zeroconf_factory is None:
            from zeroconf import Zeroconf as zeroconf_factory
        zc = zeroconf_factory()
        try:
            # allow_name_change: a second host of the same code on the LAN must not stop this one.
            zc.register_service(info, allow_name_change=True)
        except BaseException:
            zc.close()
            raise
        return zc, info
    except Exception as e:  # noqa: BLE001  (discovery is often blocked on school networks)
        log.info("the session is not announced on the LAN: %s", e)
        return None


def withdraw(announced) -> None:
    """Take an announcement back (best effort)."""
    if announced is None:
        return
    zc, info = announced
    try:
        zc.unregister_service(info)
    except Exception:  # noqa: BLE001
        pass
    try:
        zc.close()
    except Exception:  # noqa: BLE001
        pass


class Announcement:
    """The LAN announcement, made in a background thread: zeroconf's probing takes a second or two,
    and neither that wait nor any failure of it may delay or stop the host."""

    def __init__(self, session: ClassSession, bind: str, port: int, zeroconf_factory=None):
        self._args = (session, bind, port, zeroconf_factory)
        self._lock = threading.Lock()
        self._announced = None
        self._closed = False
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pandore-announce", daemon=True)

    def start(self) -> "Announcement":
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            announced = announce(*self._args)
        except BaseException:  # noqa: BLE001  (announce already swallows errors; belt and braces)
            announced = None
        with self._lock:
            if self._closed:
                withdraw(announced)
            else:
                self._announced = announced
        self.done.set()

    @property
    def announced(self) -> bool:
        return self._announced is not None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            announced, self._announced = self._announced, None
        withdraw(announced)


#: Allocations between two young-generation collections while serving (Python's default: 700).
GC_GEN0 = 100_000


def tune_gc() -> None:
    """Fewer cyclic-garbage collections while serving. A request allocates a few hundred objects that
    reference counting frees anyway, and Python's default threshold (700 net allocations) made the
    collector traverse the young survivors hundreds of times a second. With 1,000 trainees playing
    flat-out (bench/classroom_load.py) the host's CPU per acknowledgement fell by about 40 % at 20,000
    and about 10 % more at 100,000. The objects there already (the replayed session) are frozen out of
    the collector's scans."""
    import gc

    gc.collect()
    gc.freeze()
    _g0, g1, g2 = gc.get_threshold()
    gc.set_threshold(max(GC_GEN0, _g0), g1, g2)


def serve(session: ClassSession, bind: str = "0.0.0.0", port: int = 8765, on_ready=None, lrs=None,
          abandon_after: float | None = None, notify=None) -> int:
    """Serve until SIGTERM/SIGINT. `on_ready(address)` runs once the socket is listening.

    `lrs` (an `lrs.LrsConfig`, or None) is where the session's xAPI statements are forwarded."""
    import uvicorn

    from . import lrs as _lrs

    tune_gc()
    sock = bind_socket(bind, port)
    addr = address(session, bind, sock.getsockname()[1])
    app = create_app(session, addr.url)
    forwarder = _lrs.Forwarder(session, addr.url, lrs, notify=notify,
                               abandon_after=_lrs.ABANDON_AFTER if abandon_after is None else abandon_after).start()

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            app.state.stopping = True  # open event streams end, so the stop is prompt
            super().handle_exit(sig, frame)

    # proxy_headers off: the host never reads a client's address (none is kept), so the forwarded-for
    # rewriting uvicorn does on every request is work for nothing.
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=3,
                            lifespan="off", proxy_headers=False)
    server = Server(config)
    if on_ready is not None:
        on_ready(addr)
    sys.stdout.flush()
    announcement = Announcement(session, bind, addr_port(addr)).start()
    # uvicorn stops on SIGTERM/SIGINT, then raises the signal again to the handler it found: make that
    # handler a no-op so that a stop asked for is a clean exit (0), not a death by signal.
    import signal

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    try:
        server.run(sockets=[sock])
    finally:
        announcement.close()
        forwarder.stop()
        sock.close()
        session.store.close()
    return 0


def addr_port(addr: Address) -> int:
    return int(addr.url.rsplit(":", 1)[1])
