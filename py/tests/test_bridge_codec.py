"""The Python codec against the TS codec (run by a real node process), both ways."""

import asyncio
import datetime
import json
import subprocess

import pytest

from bridge_util import ROOT
from tulip_bridge.codec import RemoteError, decode, encode

NODE_DECODE = """
import { decode } from "./dist/bridge/codec.js";
let input = ""; process.stdin.on("data", (d) => (input += d)).on("end", () => {
  const out = input.split("\\n").filter(Boolean).map((h) => {
    const v = decode(Buffer.from(h, "hex"));
    const t = v === null ? "null" : typeof v === "object" ? v.constructor.name : typeof v;
    return [t, v instanceof Uint8Array ? [...v] : v instanceof Date ? v.toISOString() : v instanceof Error ? [v.name, v.message, v.remoteType] : typeof v === "bigint" ? String(v) : v];
  });
  console.log(JSON.stringify(out));
});
"""

NODE_ENCODE = """
import { encode } from "./dist/bridge/codec.js";
import { ValueError, KeyError, ExceptionGroup } from "./dist/asyncio/exceptions.js";
const values = [null, undefined, true, 3, -3, 2 ** 32, 2 ** 40, 2 ** 53 + 2, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 90n), 0.5, "é",
  new Uint8Array([1, 2]), [1, [2]], { a: { b: null } }, new Map([[1, "x"]]), new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 678)),
  new ValueError("v"), new RangeError("r"), new KeyError("k"), new KeyError(3), new ExceptionGroup("g", [new ValueError("v")])];
console.log(values.map((v) => encode(v).toString("hex")).join("\\n"));
"""


def node(script: str, stdin: str = "") -> str:
    return subprocess.run(["node", "--input-type=module", "-e", script], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, check=True).stdout


def test_python_encode_node_decode():
    values = [None, True, 7, 2**31, 2**40, 2**53, 2**53 + 1, 2**64 - 1, 2**64 + 1, -(2**70), 1.0, 2.5, "é", b"\x00\xff",
              (1, 2), [1, [2]], {"a": {"b": None}},
              datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc),
              ValueError("bad"), ZeroDivisionError("z"), asyncio.CancelledError(), KeyError("k"),
              ExceptionGroup("g", [KeyError("k")])]
    got = json.loads(node(NODE_DECODE, "\n".join(encode(v).hex() for v in values)))
    assert got == [
        ["null", None], ["boolean", True], ["number", 7], ["number", 2**31], ["number", 2**40], ["number", 2**53],
        ["bigint", str(2**53 + 1)], ["bigint", str(2**64 - 1)], ["bigint", str(2**64 + 1)], ["bigint", str(-(2**70))],
        ["number", 1], ["number", 2.5], ["string", "é"], ["Buffer", [0, 255]], ["Array", [1, 2]], ["Array", [1, [2]]],
        ["Object", {"a": {"b": None}}], ["Date", "2020-01-02T03:04:05.678Z"],
        ["ValueError", ["ValueError", "bad", "ValueError"]], ["RemoteError", ["RemoteError", "z", "ZeroDivisionError"]],
        ["CancelledError", ["CancelledError", "", "CancelledError"]],
        # e.message is the remote str(e): a KeyError's key repr'd once, a group's count included
        ["KeyError", ["KeyError", "'k'", "KeyError"]],
        ["RemoteError", ["RemoteError", "g (1 sub-exception)", "ExceptionGroup"]],
    ]


def test_node_encode_python_decode():
    got = [decode(bytes.fromhex(h)) for h in node(NODE_ENCODE).split()]
    assert got[:13] == [None, None, True, 3, -3, 2**32, 2**40, 2**53 + 2, 2**64 - 1, 2**64, -(2**90), 0.5, "é"]
    assert type(got[5]) is int and type(got[6]) is int and type(got[7]) is int  # never floats
    assert got[13] == b"\x01\x02" and got[14] == [1, [2]] and got[15] == {"a": {"b": None}} and got[16] == {1: "x"}
    assert got[17] == datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)
    assert type(got[18]) is ValueError and str(got[18]) == "v"
    assert isinstance(got[19], RemoteError) and got[19].remote_type == "RangeError"
    # A KeyError's str is its key's repr on both sides, so the key itself comes back.
    assert type(got[20]) is KeyError and got[20].args == ("k",) and str(got[20]) == "'k'"
    assert type(got[21]) is KeyError and got[21].args == (3,) and str(got[21]) == "3"
    assert isinstance(got[22], RemoteError) and got[22].remote_type == "ExceptionGroup" and got[22].args[0] == "g (1 sub-exception)"


def test_unencodable_fails_on_the_sender():
    for bad in [{1, 2}, object(), {"k": lambda: 1}, complex(1, 2)]:
        with pytest.raises(TypeError, match="tulip bridge: cannot encode"):
            encode(bad)


def test_malformed_input_raises():
    for data in [b"\x92\x01", b"\xc7\x05\x02\x00\x00", b"\xc1"]:
        with pytest.raises(Exception):
            decode(data)
