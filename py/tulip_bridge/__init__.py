"""tulip_bridge: the CPython side of tulip (bridge peer and conformance interpreter)."""

__version__ = "0.1.0"
