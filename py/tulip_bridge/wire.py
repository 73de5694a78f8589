"""The wire protocol: one msgpack array per ZeroMQ message, ``[kind, id, ...]``.

Ids are the caller's: CALL/STREAM/CANCEL/PULL name a call the sender made, RESULT/ERROR/
ITEM/END answer one the receiver made. ``ts/bridge/wire.ts`` is the same protocol.

====== ===  =====================================================================
kind   no.  fields after ``[kind, id]``
====== ===  =====================================================================
CALL    1   name, args (array), kwargs (map or nil), timeout (s, or nil), session (or nil)
STREAM  2   name, args, kwargs, credit (items the producer may send ahead), session
RESULT  3   value
ERROR   4   exception (codec ext 2)
CANCEL  5   message (or nil): cancel a call or close a stream
ITEM    6   value (one stream item)
END     7   (the stream is exhausted)
PULL    8   n: n more items of credit
HEARTBEAT 9 session, heartbeat: the sender's session id and its heartbeat (s); id is 0
====== ===  =====================================================================

``session`` in CALL/STREAM is the receiver's session as the caller knows it: a peer that
restarted refuses calls meant for its earlier life, so a call queued before a restart does
not run after its caller was told it failed (at most once, and never silently).

Each side pings every third of its own heartbeat and counts the other dead after
``max(its heartbeat, the other's)`` seconds of silence, so peers with different settings
never misjudge each other.
"""

from __future__ import annotations

from .codec import decode, encode

CALL, STREAM, RESULT, ERROR, CANCEL, ITEM, END, PULL, HEARTBEAT = range(1, 10)
KIND_NAMES = {CALL: "CALL", STREAM: "STREAM", RESULT: "RESULT", ERROR: "ERROR", CANCEL: "CANCEL",
              ITEM: "ITEM", END: "END", PULL: "PULL", HEARTBEAT: "HEARTBEAT"}
_ARITY = {CALL: 7, STREAM: 7, RESULT: 3, ERROR: 3, CANCEL: 3, ITEM: 3, END: 2, PULL: 3, HEARTBEAT: 4}


class ProtocolError(ValueError):
    """A frame that is not a valid message of this protocol."""


def encode_frame(*fields) -> bytes:
    return encode(list(fields))


def decode_frame(data: bytes) -> list:
    """Decodes and checks a frame's shape; raises ProtocolError if it is not one."""
    try:
        frame = decode(data)
    except Exception as e:
        raise ProtocolError(f"undecodable frame: {e}") from None
    if not isinstance(frame, list) or len(frame) < 2:
        raise ProtocolError("a frame is an array [kind, id, ...]")
    kind, cid = frame[0], frame[1]
    if type(kind) is not int or kind not in _ARITY or len(frame) != _ARITY[kind]:
        raise ProtocolError(f"unknown kind or wrong length: kind={kind!r:.20}, {len(frame)} fields")
    if type(cid) is not int or cid < 0:
        raise ProtocolError(f"bad id {cid!r:.20}")
    if kind in (CALL, STREAM):
        if not isinstance(frame[2], str) or not isinstance(frame[3], list) or not (
                frame[4] is None or isinstance(frame[4], dict)):
            raise ProtocolError("CALL/STREAM needs name (str), args (array), kwargs (map or nil)")
        if frame[4] and not all(isinstance(k, str) for k in frame[4]):
            raise ProtocolError("keyword names must be strings")
    return frame


def peek_header(data: bytes) -> tuple[int, int] | None:
    """(kind, id) read from the first bytes alone, for answering an oversized frame."""
    b = memoryview(data)
    try:
        at = 1 if 0x90 <= b[0] <= 0x9F else 3 if b[0] == 0xDC else 5 if b[0] == 0xDD else None
        if at is None or not b[at] < 0x80:
            return None
        kind, at = b[at], at + 1
        t = b[at]
        if t < 0x80:
            cid = t
        elif t == 0xCC:
            cid = b[at + 1]
        elif t == 0xCD:
            cid = int.from_bytes(b[at + 1:at + 3], "big")
        elif t == 0xCE:
            cid = int.from_bytes(b[at + 1:at + 5], "big")
        elif t == 0xCF:
            cid = int.from_bytes(b[at + 1:at + 9], "big")
        else:
            return None
        return kind, cid
    except IndexError:
        return None
