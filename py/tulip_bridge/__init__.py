"""tulip_bridge: the CPython side of tulip (bridge peer and conformance interpreter)."""

from .codec import RemoteError, UnknownFunctionError
from .peer import Peer, RemoteStream
from .registry import Registry

__version__ = "0.1.0"
__all__ = ["Peer", "RemoteStream", "Registry", "RemoteError", "UnknownFunctionError"]
