"""Finding the classroom sessions announced on the LAN (zeroconf / mDNS, DNS-SD).

A host announces each session as a `_pandore._tcp.local.` service (see
`game.classroom.host.announce`); its TXT record carries the session `code`
and the scenario's `title`. `browse()` listens for a moment and returns what
answered. Discovery is a best effort: school networks often block multicast
or isolate laptops from each other, so an empty list is a normal answer and
the join screen must always offer to type the address and the code.

    >>> from game.classroom.discovery import browse
    >>> browse(1.5)                                     # doctest: +SKIP
    [Found(name='Tutoriel', url='http://192.168.1.20:8765', code='K7PM3Q')]

`url` is the host's base address (the `url` of the host's first JSON line):
the API is `{url}/api/v1/sessions/{code}`, the browser pages `{url}/j/{code}`.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from typing import NamedTuple

SERVICE_TYPE = "_pandore._tcp.local."

log = logging.getLogger(__name__)


class Found(NamedTuple):
    """A session that answered: what to show (`name`), where it is (`url`), what to join (`code`)."""

    name: str
    url: str
    code: str


def _text(props: dict, key: str) -> str:
    value = props.get(key.encode())
    if not isinstance(value, bytes):
        return ""
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return ""


def _valid_code(code: str) -> bool:
    """DESIGN.md's session code: 4 to 8 unambiguous capitals and digits."""
    from .session import CODE_ALPHABET

    return 4 <= len(code) <= 8 and all(c in CODE_ALPHABET for c in code)


def _url(info) -> str | None:
    """`http://host:port` from a resolved service: an IPv4 address first, else a global IPv6 one."""
    if not info.port:
        return None
    v4, v6 = [], []
    for text in info.parsed_addresses():
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            continue
        if ip.version == 4:
            v4.append(ip)
        elif not ip.is_link_local:  # a link-local address needs a zone a browser will not take
            v6.append(ip)
    if v4:
        return f"http://{v4[0]}:{info.port}"
    if v6:
        return f"http://[{v6[0]}]:{info.port}"
    return None


def found_of(info) -> Found | None:
    """The session a resolved service announces, or None when it is not a usable Pandore session."""
    props = info.properties or {}
    code = _text(props, "code").upper()
    url = _url(info)
    if not _valid_code(code) or url is None:
        return None
    name = _text(props, "title") or info.name.removesuffix("." + SERVICE_TYPE)
    return Found(name[:80], url, code)


def browse(timeout: float = 1.5) -> list[Found]:
    """The Pandore sessions that answer on the LAN within `timeout` seconds, sorted by name.

    Never raises: without a network, or where multicast is blocked, the answer is `[]`.
    Blocks the calling thread for about `timeout` seconds (call it off the UI thread).
    """
    try:
        from zeroconf import ServiceBrowser, ServiceStateChange, Zeroconf
    except ImportError:  # pragma: no cover  (a declared dependency)
        return []
    deadline = time.monotonic() + max(0.0, timeout)
    try:
        zc = Zeroconf()
    except Exception as e:  # noqa: BLE001  (no interface, no multicast: nothing to find)
        log.info("LAN discovery unavailable: %s", e)
        return []
    names: list[str] = []
    seen: set[str] = set()
    arrived = threading.Event()
    lock = threading.Lock()

    def on_change(zeroconf, service_type, name, state_change):
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            with lock:
                if name not in seen:
                    seen.add(name)
                    names.append(name)
            arrived.set()

    results: dict[tuple[str, str], Found] = {}
    browser = None
    try:
        browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=[on_change])
        done = 0
        while True:
            arrived.clear()  # before the snapshot: a name that arrives after it wakes the wait below
            with lock:
                todo = names[done:]
                done = len(names)
            for name in todo:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                # The announcement's SRV, TXT and address records usually came with it: from the cache at once.
                info = zc.get_service_info(SERVICE_TYPE, name, timeout=max(1, int(left * 1000)))
                f = found_of(info) if info is not None else None
                if f is not None:
                    results[(f.url, f.code)] = f
            left = deadline - time.monotonic()
            if left <= 0:
                break
            arrived.wait(left)
    except Exception as e:  # noqa: BLE001  (discovery must never stop the join screen)
        log.info("LAN discovery failed: %s", e)
    finally:
        try:
            if browser is not None:
                browser.cancel()
            zc.close()
        except Exception:  # noqa: BLE001
            pass
    return sorted(results.values(), key=lambda f: (f.name.casefold(), f.code, f.url))
