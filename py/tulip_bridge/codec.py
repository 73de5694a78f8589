"""The bridge's type map: msgpack both ways, the same as ``ts/bridge/codec.ts``.

=============================  ======================  ==============================
Python (encode)                msgpack                 JavaScript
=============================  ======================  ==============================
``None``                       nil                     ``null``
``bool``                       bool                    ``boolean``
``int`` within 64 bits         int                     ``number`` (within ±2**53) or ``bigint``
``int`` beyond 64 bits         ext 1 (two's compl.)    ``bigint``
``float``                      float64                 ``number``
``str``                        str                     ``string``
``bytes``, ``bytearray``,      bin                     ``Buffer`` (a ``Uint8Array``)
``memoryview``
``list``, ``tuple``            array                   ``Array`` (arrives here as ``list``, or
                                                       as ``tuple`` where it is a map key)
``dict``                       map                     plain object (string keys) or ``Map``
                                                       (any other key; tuple keys as arrays)
``datetime``                   timestamp (ext -1)      ``Date`` (milliseconds); naive
                                                       datetimes are local time, as
                                                       ``datetime.timestamp()`` reads them
``BaseException``              ext 2                   the same-named class, or ``RemoteError``
=============================  ======================  ==============================

Decoding gives aware UTC datetimes. Anything else (sets, arbitrary objects) raises
``TypeError`` on the sender, naming the offending type.
"""

from __future__ import annotations

import builtins
import asyncio
import ast
import datetime as _dt
import struct
import traceback

import msgpack

__all__ = ["encode", "decode", "RemoteError", "UnknownFunctionError", "exception_info", "exception_from_info"]

EXT_BIGINT = 1
EXT_EXCEPTION = 2


class RemoteError(Exception):
    """A remote exception whose type has no counterpart here; ``remote_type`` keeps its name."""

    def __init__(self, remote_type: str, message: str, remote_traceback: str = ""):
        super().__init__(message)
        self.remote_type = remote_type
        self.remote_traceback = remote_traceback

    def __str__(self) -> str:
        return f"{self.remote_type}: {self.args[0]}"


class UnknownFunctionError(LookupError):
    """The other side has no function registered under the called name."""


# Names that arrive as their own class: Python's built-in exceptions, asyncio's, the bridge's.
# Classes whose constructor needs more than a message (IncompleteReadError...) arrive as
# RemoteError, since their fields do not cross. So does every name that would end the process
# or a generator if raised here (SystemExit, KeyboardInterrupt, GeneratorExit, BaseException,
# StopIteration, StopAsyncIteration): only Exception subclasses, and CancelledError (a remote
# task that cancelled itself), are rebuilt as themselves.
_NOT_REBUILT = ("BaseExceptionGroup", "ExceptionGroup", "UnicodeDecodeError", "UnicodeEncodeError",
                "UnicodeTranslateError", "StopIteration", "StopAsyncIteration")
_KNOWN: dict[str, type[BaseException]] = {
    name: obj for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, Exception) and name not in _NOT_REBUILT
}
_KNOWN.update({
    "CancelledError": asyncio.CancelledError,
    "InvalidStateError": asyncio.InvalidStateError,
    "SendfileNotAvailableError": asyncio.SendfileNotAvailableError,
    "BrokenBarrierError": asyncio.BrokenBarrierError,
    "QueueEmpty": asyncio.QueueEmpty,
    "QueueFull": asyncio.QueueFull,
    "UnknownFunctionError": UnknownFunctionError,
})


def exception_info(exc: BaseException) -> tuple[str, str, str]:
    """(type name, message, traceback text) of an exception, as the wire carries it."""
    if isinstance(exc, RemoteError):
        return exc.remote_type, str(exc.args[0]) if exc.args else "", exc.remote_traceback
    tb = "".join(traceback.format_exception(exc)) if exc.__traceback__ is not None else ""
    return type(exc).__name__, str(exc), tb


def _args_from_str(cls: type[BaseException], message: str) -> tuple:
    """Arguments that give ``cls`` the remote ``str(exc)``: a KeyError's str is its key's repr."""
    if not message:
        return ()
    if issubclass(cls, KeyError):
        try:
            return (ast.literal_eval(message),)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pass
    return (message,)


def exception_from_info(type_name: str, message: str, tb: str) -> BaseException:
    """The same-named exception (with the remote traceback as a note), or RemoteError."""
    cls = _KNOWN.get(type_name)
    exc: BaseException
    if cls is None:
        exc = RemoteError(type_name, message, tb)
    else:
        try:
            exc = cls(*_args_from_str(cls, message))
        except Exception:
            exc = RemoteError(type_name, message, tb)
        exc.remote_type = type_name  # type: ignore[attr-defined]
        exc.remote_traceback = tb  # type: ignore[attr-defined]
    if tb:
        exc.add_note(f"--- remote traceback ({type_name}) ---\n{tb.rstrip()}")
    return exc


def _bigint_bytes(v: int) -> bytes:
    n = (v + (v < 0)).bit_length() // 8 + 1
    return v.to_bytes(n, "big", signed=True)


def _exception_bytes(exc: BaseException) -> bytes:
    parts = [s.encode("utf-8", "backslashreplace") for s in exception_info(exc)]  # valid UTF-8 for the other side
    return b"".join(struct.pack(">I", len(p)) + p for p in parts)


def _exception_from_bytes(data: bytes) -> BaseException:
    parts = []
    at = 0
    for _ in range(3):
        if at + 4 > len(data):
            raise ValueError("truncated exception extension")
        (n,) = struct.unpack_from(">I", data, at)
        if at + 4 + n > len(data):
            raise ValueError("truncated exception extension")
        parts.append(data[at + 4:at + 4 + n].decode("utf-8", "replace"))
        at += 4 + n
    return exception_from_info(*parts)


def _default(obj):
    if isinstance(obj, int):  # beyond 64 bits (msgpack's OverflowError sends it here)
        return msgpack.ExtType(EXT_BIGINT, _bigint_bytes(obj))
    if isinstance(obj, _dt.datetime):  # naive, or a datetime subclass
        if obj.tzinfo is None:
            obj = obj.astimezone()
        return msgpack.Timestamp.from_datetime(obj)
    if isinstance(obj, BaseException):
        return msgpack.ExtType(EXT_EXCEPTION, _exception_bytes(obj))
    if isinstance(obj, memoryview):
        return obj.tobytes()
    raise TypeError(f"tulip bridge: cannot encode an object of type {type(obj).__qualname__}: {obj!r:.80}")


def _ext_hook(code: int, data: bytes):
    if code == EXT_BIGINT:
        return int.from_bytes(data, "big", signed=True)
    if code == EXT_EXCEPTION:
        return _exception_from_bytes(data)
    raise ValueError(f"unknown msgpack extension type {code}")


_packer = msgpack.Packer(default=_default, use_bin_type=True, datetime=True, autoreset=True)


def encode(value) -> bytes:
    """Encodes one value; raises TypeError on the sender for anything outside the type map."""
    try:
        return _packer.pack(value)
    except TypeError:
        raise
    except (ValueError, OverflowError) as e:
        raise TypeError(f"tulip bridge: cannot encode value: {e}") from None


def _hashable(key):
    """A map key as a dict takes it: arrays (lists here) become tuples, at any depth."""
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


def _pairs_with_tuple_keys(pairs):
    try:
        return {_hashable(k): v for k, v in pairs}
    except TypeError as e:  # a map as a key: no dict can hold it
        raise ValueError(f"a map key has no Python counterpart: {e}") from None


def decode(data: bytes):
    """Decodes one value; raises ValueError (or a msgpack error) on malformed input. Arrays
    decode as lists, and as tuples where they are map keys (dict keys must be hashable)."""
    try:
        return msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, timestamp=3, strict_map_key=False,
                               use_list=True)
    except TypeError:  # an unhashable map key: the slower decoder that makes keys tuples
        return msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, timestamp=3, strict_map_key=False,
                               use_list=True, object_pairs_hook=_pairs_with_tuple_keys)
