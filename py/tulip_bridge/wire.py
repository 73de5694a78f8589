"""The wire protocol: each ZeroMQ message carries one or more frames, each a msgpack array
``[kind, id, ...]``, back to back: a sender batches what it has queued for one peer, up to
``BATCH_FRAMES`` frames or ``BATCH_BYTES`` bytes (a larger frame goes alone).

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

import msgpack

from .codec import decode, encode

BATCH_FRAMES = 64
BATCH_BYTES = 64 * 1024

CALL, STREAM, RESULT, ERROR, CANCEL, ITEM, END, PULL, HEARTBEAT = range(1, 10)
KIND_NAMES = {CALL: "CALL", STREAM: "STREAM", RESULT: "RESULT", ERROR: "ERROR", CANCEL: "CANCEL",
              ITEM: "ITEM", END: "END", PULL: "PULL", HEARTBEAT: "HEARTBEAT"}
_ARITY = {CALL: 7, STREAM: 7, RESULT: 3, ERROR: 3, CANCEL: 3, ITEM: 3, END: 2, PULL: 3, HEARTBEAT: 4}


class ProtocolError(ValueError):
    """A frame that is not a valid message of this protocol."""


def encode_frame(*fields) -> bytes:
    return encode(list(fields))


def decode_frame(data: bytes) -> list:
    """Decodes a message holding exactly one frame and checks it; raises ProtocolError."""
    try:
        frame = decode(data)
    except Exception as e:
        raise ProtocolError(f"undecodable frame: {e}") from None
    return check_frame(frame)


def decode_frames(data: bytes) -> list:
    """Every frame of a message: ``(value, encoded size)`` for each, then a ProtocolError if
    the rest is not msgpack (what came before it still counts)."""
    out = []
    while data:
        try:
            out.append((decode(data), len(data)))
            break
        except msgpack.ExtraData as more:
            out.append((more.unpacked, len(data) - len(more.extra)))
            data = more.extra
        except Exception as e:
            out.append(ProtocolError(f"undecodable frame: {e}"))
            break
    return out


def call_id(value) -> int | None:
    """The id of a CALL/STREAM frame, to answer it with an error even when it is not acceptable."""
    if isinstance(value, list) and len(value) > 1 and value[0] in (CALL, STREAM) and type(value[1]) is int \
            and value[1] >= 0:
        return value[1]
    return None


def check_frame(frame) -> list:
    """Checks a decoded value's shape as a frame; raises ProtocolError if it is not one."""
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
