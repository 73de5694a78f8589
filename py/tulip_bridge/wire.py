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
HEARTBEAT 9 session, heartbeat[, idempotent]: the sender's session id and its heartbeat (s);
            id is 0; optionally the names it registered as idempotent (array of str), which
            a caller may send again to another worker if this one dies (``retry``)
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
    """A frame that is not a valid message of this protocol. ``reply_as`` is the exception type
    a call refused for it is answered with (TypeError for a field of the wrong type)."""

    def __init__(self, message: str, reply_as: type[Exception] = TypeError):
        super().__init__(message)
        self.reply_as = reply_as


class BadFrame(ProtocolError):
    """A frame that could not be decoded but whose extent could be read, so the frames after
    it still count; ``kind`` and ``cid`` are its kind and id when its head could be read."""

    def __init__(self, message: str, kind: int | None, cid: int | None):
        super().__init__(message, ValueError)
        self.kind = kind
        self.cid = cid


# The deepest nesting a decoded frame is refused at, in the message (msgpack's own encoders
# stop at 512 levels; its C decoder at 1024, V8's stack somewhere past 2000).
MAX_DEPTH = 512

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
    """Every frame of a message: ``(value, encoded size)`` for each, and a ``BadFrame`` for one
    that does not decode: the frames after it still count, unless it is truncated or not
    msgpack at all, when it is the last."""
    out = []
    while data:
        try:
            out.append((decode(data), len(data)))
            break
        except msgpack.ExtraData as more:
            out.append((more.unpacked, len(data) - len(more.extra)))
            data = more.extra
        except Exception as e:
            kind, cid = head(data)
            try:
                end, depth = scan(data)
            except ProtocolError as bad:  # the rest of the message is lost, but the call can be answered
                out.append(BadFrame(f"undecodable frame: {bad}", kind, cid))
                break
            why = f"nested {depth} levels deep (the limit is {MAX_DEPTH})" if depth > MAX_DEPTH else str(e) or type(e).__name__
            out.append(BadFrame(f"undecodable frame: {why}", kind, cid))
            data = data[end:]
    return out


def scan(data: bytes, pos: int = 0) -> tuple[int, int]:
    """Where the msgpack value at ``pos`` ends, and how deep it nests, without decoding it
    (no recursion: any depth). Raises ProtocolError if it is truncated or not msgpack."""
    n = len(data)
    stack = [1]  # values still to read at each open level
    depth = 0
    while stack:
        if stack[-1] == 0:
            stack.pop()
            continue
        stack[-1] -= 1
        if pos >= n:
            raise ProtocolError("truncated")
        b = data[pos]
        pos += 1
        children = 0
        if b <= 0x7f or b >= 0xe0 or b in (0xc0, 0xc2, 0xc3):
            pass
        elif b <= 0x8f:
            children = 2 * (b & 0x0f)
        elif b <= 0x9f:
            children = b & 0x0f
        elif b <= 0xbf:
            pos += b & 0x1f
        elif b in _FIXED:
            pos += _FIXED[b]
        elif b in _SIZED:
            width, extra = _SIZED[b]
            if pos + width > n:
                raise ProtocolError("truncated")
            pos += width + extra + int.from_bytes(data[pos:pos + width], "big")
        elif b in _CONTAINERS:
            width, per = _CONTAINERS[b]
            if pos + width > n:
                raise ProtocolError("truncated")
            children = per * int.from_bytes(data[pos:pos + width], "big")
            pos += width
        else:
            raise ProtocolError(f"byte 0x{b:02x} is not msgpack")
        if children:
            stack.append(children)
            depth = max(depth, len(stack) - 1)
    if pos > n:
        raise ProtocolError("truncated")
    return pos, depth


# msgpack heads: fixed-size payloads; (length width, extra bytes) for bin/str/ext; (count width, values per entry).
_FIXED = {0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8,
          0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17}
_SIZED = {0xc4: (1, 0), 0xc5: (2, 0), 0xc6: (4, 0), 0xc7: (1, 1), 0xc8: (2, 1), 0xc9: (4, 1),
          0xd9: (1, 0), 0xda: (2, 0), 0xdb: (4, 0)}
_CONTAINERS = {0xdc: (2, 1), 0xdd: (4, 1), 0xde: (2, 2), 0xdf: (4, 2)}


def head(data: bytes) -> tuple[int | None, int | None]:
    """The kind and id at the start of an encoded frame (an array of at least two), read from
    its first bytes alone: what lets a frame that does not decode still be answered."""
    if not data:
        return None, None
    b, pos = data[0], 1
    if 0x92 <= b <= 0x9f:
        pass
    elif b in (0xdc, 0xdd):
        pos += 2 if b == 0xdc else 4
    else:
        return None, None
    if pos >= len(data) or data[pos] > 0x7f:
        return None, None
    kind = data[pos]
    pos += 1
    if pos >= len(data):
        return kind, None
    b = data[pos]
    if b <= 0x7f:
        return kind, b
    width = {0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8}.get(b)
    if width is None or pos + 1 + width > len(data):
        return kind, None
    return kind, int.from_bytes(data[pos + 1:pos + 1 + width], "big")


def call_id(value) -> int | None:
    """The id of a CALL/STREAM frame, to answer it with an error even when it is not acceptable."""
    if isinstance(value, list) and len(value) > 1 and value[0] in (CALL, STREAM) and type(value[1]) is int \
            and value[1] >= 0:
        return value[1]
    return None


def kind_and_id(value) -> tuple[int | None, int | None]:
    """A decoded frame's kind and id, each None where it is not what the protocol wants."""
    if not isinstance(value, list) or len(value) < 2:
        return None, None
    kind = value[0] if type(value[0]) is int else None
    cid = value[1] if type(value[1]) is int and value[1] >= 0 else None
    return kind, cid


_MSGPACK_NAMES = {type(None): "nil", dict: "map", list: "array", bytes: "bin"}


def _type_name(v) -> str:
    """The msgpack name of a decoded value's type (both sides word refusals alike)."""
    return _MSGPACK_NAMES.get(type(v), type(v).__name__)


def check_frame(frame) -> list:
    """Checks a decoded value's shape as a frame, and the types of a CALL's or STREAM's fields;
    raises ProtocolError (``reply_as`` says how a refused call is answered) if it is not one."""
    if not isinstance(frame, list) or len(frame) < 2:
        raise ProtocolError("a frame is an array [kind, id, ...]")
    kind, cid = frame[0], frame[1]
    if type(kind) is not int or kind not in _ARITY or (len(frame) != _ARITY[kind]
                                                       and not (kind == HEARTBEAT and len(frame) == 5)):
        raise ProtocolError(f"unknown kind or wrong length: kind={kind!r:.20}, {len(frame)} fields")
    if type(cid) is not int or cid < 0:
        raise ProtocolError(f"bad id {cid!r:.20}")
    if kind in (CALL, STREAM):
        name, args, kwargs, extra, session = frame[2:]
        if not isinstance(name, str):
            raise ProtocolError(f"the function name must be a str, not {_type_name(name)}")
        if not isinstance(args, list):
            raise ProtocolError(f"args must be an array, not {_type_name(args)}")
        if not (kwargs is None or isinstance(kwargs, dict)):
            raise ProtocolError(f"kwargs must be a map or nil, not {_type_name(kwargs)}")
        if kwargs and not all(isinstance(k, str) for k in kwargs):
            raise ProtocolError(f"keyword names must be strings")
        if not (session is None or isinstance(session, str)):
            raise ProtocolError(f"session must be a str or nil, not {_type_name(session)}")
        if kind == CALL and extra is not None:
            if type(extra) not in (int, float):
                raise ProtocolError(f"timeout must be a number of seconds or nil, not {_type_name(extra)}")
            if not extra >= 0:  # NaN too
                raise ProtocolError(f"timeout must be >= 0, not {extra!r}", ValueError)
        if kind == STREAM:
            if type(extra) is not int:
                raise ProtocolError(f"credit must be an int, not {_type_name(extra)}")
            if extra < 1:
                raise ProtocolError(f"credit must be >= 1, not {extra!r}", ValueError)
    if kind == HEARTBEAT and len(frame) == 5:
        names = frame[4]
        if not isinstance(names, list) or len(names) > 10_000 or not all(isinstance(n, str) for n in names):
            raise ProtocolError(f"a HEARTBEAT's idempotent names must be an array of str, not {_type_name(names)}")
    return frame
