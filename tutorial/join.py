"""How learners join the room: the app's public address and its QR code (no Streamlit).

The address is the setting ``TUTORIAL_PUBLIC_URL`` or, without it, the address the host's browser
uses – in both cases reduced to the app's start page: no page path, no query, no fragment, so the
projector never shows a learner's personal link (or anything else a query could carry).
"""
from __future__ import annotations

import io
import ipaddress
from typing import Optional
from urllib.parse import urlsplit, urlunsplit

from tutorial.chapters import CHAPTERS

_PAGE_PATHS = {c.url_path for c in CHAPTERS if c.url_path}


def public_address(configured: Optional[str], browser_url: Optional[str]) -> Optional[str]:
    """The app's start page as learners should open it (None: neither source is a usable address)."""
    for candidate in (configured, browser_url):
        address = start_page(candidate)
        if address is not None:
            return address
    return None


def start_page(url: Optional[str]) -> Optional[str]:
    """``url`` reduced to the app's start page ("http://host:8501/raum?x=1" → "http://host:8501/");
    None for anything that is not an http(s) address."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port      # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in _PAGE_PATHS:
        segments = segments[:-1]
    path = "/" + "/".join(segments) + ("/" if segments else "")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def only_this_computer(address: str) -> bool:
    """True when ``address`` names this computer itself (localhost, 127.0.0.1, ::1): learners' devices
    cannot open it."""
    host = urlsplit(address).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_png(address: str, scale: int = 10) -> bytes:
    """The QR code of ``address`` as a PNG (black on white, with the standard quiet zone)."""
    import segno      # only the host's projector needs it

    code = segno.make(address, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
