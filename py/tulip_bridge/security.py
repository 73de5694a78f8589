"""Where a peer may listen, and CURVE encryption.

A peer binds or connects to loopback (127.0.0.0/8, ``localhost``, ``::1``), ``ipc://`` or
``inproc://`` unless ``allow_remote=True``: exposing functions to a network is a choice
to make explicitly, and then with CURVE.
"""

from __future__ import annotations

import ipaddress
import re

import zmq

__all__ = ["check_endpoint", "apply_curve", "is_loopback_endpoint"]


def is_loopback_endpoint(endpoint: str) -> bool:
    if endpoint.startswith(("ipc://", "inproc://")):
        return True
    m = re.fullmatch(r"tcp://(\[[^\]]*\]|[^:/]*)(?::(\d+|\*))?", endpoint)
    if not m:
        return False
    host = m.group(1).strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(endpoint: str, allow_remote: bool) -> None:
    """Raises ValueError for a non-loopback endpoint unless ``allow_remote``."""
    if not allow_remote and not is_loopback_endpoint(endpoint):
        raise ValueError(f"refusing {endpoint!r}: not loopback; pass allow_remote=True to expose a peer "
                         "beyond this machine (and consider curve=...)")


def apply_curve(sock: zmq.Socket, curve: dict | None, *, server: bool):
    """Sets CURVE keys (z85 text or bytes) on a socket before it binds or connects.

    Server: ``{"secret_key", "public_key"}`` and optionally ``"authorized_keys"`` (client public
    keys; others are refused by a ZAP handler). Client: ``{"server_key", "public_key", "secret_key"}``.
    Returns the authenticator to keep (or None).
    """
    if not curve:
        return None
    if not zmq.has("curve"):
        raise RuntimeError("this libzmq has no CURVE support")
    as_bytes = lambda k: k.encode() if isinstance(k, str) else k  # noqa: E731
    sock.curve_secretkey = as_bytes(curve["secret_key"])
    sock.curve_publickey = as_bytes(curve["public_key"])
    if not server:
        sock.curve_serverkey = as_bytes(curve["server_key"])
        return None
    sock.curve_server = True
    keys = curve.get("authorized_keys")
    if keys is None:
        return None
    from zmq.auth.asyncio import AsyncioAuthenticator

    allowed = {as_bytes(k) for k in keys}

    class _Keys:
        def callback(self, domain, key):
            return key in allowed

    auth = AsyncioAuthenticator(sock.context)
    auth.start()
    auth.configure_curve_callback("tulip", credentials_provider=_Keys())
    sock.zap_domain = b"tulip"
    return auth
