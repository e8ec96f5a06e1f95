"""LAN discovery: a real host's zeroconf announcement seen by `browse()`, and no failure of it stops the host."""

from __future__ import annotations

import socket
import struct
import time
from types import SimpleNamespace

import pytest

from game.classroom import discovery
from game.classroom.discovery import SERVICE_TYPE, Found, browse, found_of

from .conftest import ROOT, start_host

pytest.importorskip("zeroconf")


def lan_ipv4() -> str | None:
    """The address of the interface carrying outgoing traffic (None without a route)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            ip = s.getsockname()[0]
    except OSError:
        return None
    return None if ip.startswith("127.") else ip


def multicast_to_self(ip: str) -> str | None:
    """None when a multicast datagram sent on `ip`'s interface comes back to this machine; else why not."""
    group = "239.255.83.77"
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        rx.bind(("", 0))
        port = rx.getsockname()[1]
        rx.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                      struct.pack("4s4s", socket.inet_aton(group), socket.inet_aton(ip)))
        rx.settimeout(1.0)
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(ip))
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        tx.sendto(b"pandore-probe", (group, port))
        data, _ = rx.recvfrom(64)
        return None if data == b"pandore-probe" else "a multicast datagram came back altered"
    except OSError as e:
        return f"multicast on {ip} does not work here: {e}"
    finally:
        rx.close()
        tx.close()


@pytest.fixture(scope="module")
def lan() -> str:
    ip = lan_ipv4()
    if ip is None:
        pytest.skip("no network interface with a route: nothing to announce on (only loopback)")
    why = multicast_to_self(ip)
    if why:
        pytest.skip(why)
    return ip


def browse_until(predicate, seconds: float = 12.0) -> list[Found]:
    """`browse()` again and again until `predicate(found)` holds or time runs out (probing takes ~1.5 s)."""
    deadline = time.monotonic() + seconds
    found: list[Found] = []
    while time.monotonic() < deadline:
        found = browse(1.5)
        if predicate(found):
            break
    return found


def test_a_host_on_the_lan_is_found_with_its_code_address_and_title(lan, home):
    h = start_host(home, "tutoriel", bind="0.0.0.0")
    try:
        assert h.url.startswith(f"http://{lan}:"), h.url  # the address trainees are told, not 127.0.0.1
        found = browse_until(lambda fs: any(f.code == h.code for f in fs))
        mine = [f for f in found if f.code == h.code]
        assert mine == [Found("Tutoriel : un message avant le rendez-vous", h.url, h.code)], found
        assert all(isinstance(f, Found) for f in found)
    finally:
        assert h.stop() == 0
    # Stopped: the announcement is taken back (zeroconf's goodbye), so the session is no longer listed.
    gone = browse_until(lambda fs: all(f.code != h.code for f in fs), seconds=6)
    assert all(f.code != h.code for f in gone), gone


def test_a_host_on_loopback_only_is_not_announced(lan, home):
    h = start_host(home, "tutoriel")  # --bind 127.0.0.1: nobody else could reach it
    try:
        time.sleep(2.0)  # longer than zeroconf's probing, had it announced
        assert all(f.code != h.code for f in browse(1.5))
    finally:
        assert h.stop() == 0


FAILING_ZEROCONF = """
import sys
import zeroconf

class Broken:
    def __init__(self, *a, **k):
        raise OSError(19, "No such device (multicast refused)")

zeroconf.Zeroconf = Broken
sys.argv[0] = "pandore"
from game.cli import main
sys.exit(main())
"""


def test_a_failure_to_announce_never_stops_the_host(home, client):
    """zeroconf that cannot open its sockets (as on a network without multicast): the host serves on."""
    h = start_host(home, "tutoriel", bind="0.0.0.0", argv=["-c", FAILING_ZEROCONF])
    try:
        time.sleep(1.0)
        assert h.proc.poll() is None
        r = client.post(f"{h.api}/participants", json={"pseudonym": "Camille"})
        assert r.status_code == 201, r.text
        assert client.get(f"{h.url}/j/{h.code}").status_code == 200
    finally:
        assert h.stop() == 0
    assert "Traceback" not in h.proc.stderr.read()


def test_announce_returns_none_on_any_failure_and_on_loopback(tmp_path):
    from game.classroom.host import Announcement, announce
    from game.classroom.session import ClassSession
    from game.classroom.store import Store

    store = Store(tmp_path / "s.sqlite3")
    try:
        session = ClassSession.create(store, ROOT / "scenarios" / "tutoriel" / "fr.yaml")
        assert announce(session, "127.0.0.1", 8765) is None

        class Refuses:
            closed = False

            def register_service(self, info, **_):
                raise OSError("sendto: network unreachable")

            def close(self):
                Refuses.closed = True

        assert announce(session, "192.0.2.77", 8765, zeroconf_factory=Refuses) is None
        assert Refuses.closed  # its sockets are not left open
        a = Announcement(session, "192.0.2.77", 8765, zeroconf_factory=Refuses).start()
        assert a.done.wait(5) and not a.announced
        a.close()
    finally:
        store.close()


def info(name="Pandore K7PM3Q", addresses=("192.168.1.20",), port=8765, **props):
    return SimpleNamespace(name=f"{name}.{SERVICE_TYPE}", port=port, parsed_addresses=lambda: list(addresses),
                           properties={k.encode(): v.encode() if isinstance(v, str) else v for k, v in props.items()})


def test_found_of_reads_code_title_and_address_and_refuses_what_cannot_be_joined():
    assert found_of(info(code="K7PM3Q", title="Tutoriel")) == Found("Tutoriel", "http://192.168.1.20:8765", "K7PM3Q")
    # no title: the service's own name; a lower-case code is the same code
    assert found_of(info(code="k7pm3q")) == Found("Pandore K7PM3Q", "http://192.168.1.20:8765", "K7PM3Q")
    # IPv4 first; else a routable IPv6 address in brackets; a link-local one cannot be typed in a browser
    assert found_of(info(addresses=("fd00::2", "10.0.0.3"), code="K7PM3Q")).url == "http://10.0.0.3:8765"
    assert found_of(info(addresses=("fe80::1", "fd00::2"), code="K7PM3Q")).url == "http://[fd00::2]:8765"
    assert found_of(info(addresses=("fe80::1",), code="K7PM3Q")) is None
    assert found_of(info(addresses=(), code="K7PM3Q")) is None
    assert found_of(info(code="K7PM3Q", port=0)) is None
    for bad in ("", "K7P", "K7PM3QQQQ", "K0PM3Q", "K7PM3!", "K7 PM3"):
        assert found_of(info(code=bad)) is None, bad
    assert found_of(info(code="K7PM")).code == "K7PM"  # DESIGN.md: 4 to 8 characters
    assert found_of(info(code=b"\xff\xfe" + b"ABCD")) is None  # not UTF-8
    assert found_of(info(title=b"\xff", code="K7PM3Q")).name == "Pandore K7PM3Q"


def test_browse_never_raises_without_a_network(monkeypatch):
    import zeroconf

    def refuse(*a, **k):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(zeroconf, "Zeroconf", refuse)
    t0 = time.monotonic()
    assert browse(0.2) == []
    assert time.monotonic() - t0 < 5
    assert discovery.browse.__defaults__ == (1.5,)
