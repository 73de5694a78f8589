// The TS codec against Python's real codec (tulip_bridge.codec, on msgpack), both ways.
import { decode, encode, EncodeError } from "../../bridge/codec.js";
import { RemoteError } from "../../bridge/errors.js";
import { ValueError, KeyError, CancelledError, TimeoutError } from "../../asyncio/exceptions.js";
import { py } from "./helpers.js";

// Python decodes each hex line and prints [type name, repr] per value, as JSON.
const PY_DECODE = `
import sys, json
from tulip_bridge.codec import decode
out = []
for line in sys.stdin.read().split():
    v = decode(bytes.fromhex(line))
    out.append([type(v).__name__, repr(v)] + ([v.remote_type] if isinstance(v, BaseException) else []))
print(json.dumps(out))
`;

function pyView(values: unknown[]): Array<[string, string]> {
  return JSON.parse(py(PY_DECODE, values.map((v) => encode(v).toString("hex")).join("\n")));
}

describe("TS encode -> Python decode", () => {
  test("scalars, ints beyond 32 and 53 bits, bigints beyond 64 bits", () => {
    const got = pyView([null, undefined, true, false, 0, -1, 127, 2 ** 31, 2 ** 32 + 1, 2 ** 40, -(2 ** 40), 2 ** 53 + 2,
      2n ** 63n - 1n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 80n) + 7n, 1.5, -0.0, NaN, Infinity, 1e300]);
    expect(got).toEqual([
      ["NoneType", "None"], ["NoneType", "None"], ["bool", "True"], ["bool", "False"], ["int", "0"], ["int", "-1"],
      ["int", "127"], ["int", "2147483648"], ["int", "4294967297"], ["int", "1099511627776"], ["int", "-1099511627776"],
      ["int", "9007199254740994"], ["int", String(2n ** 63n - 1n)], ["int", String(2n ** 64n - 1n)], ["int", String(2n ** 64n)],
      ["int", String(-(2n ** 80n) + 7n)], ["float", "1.5"], ["float", "-0.0"], ["float", "nan"], ["float", "inf"], ["float", "1e+300"],
    ]);
  });

  test("strings, bytes, arrays, objects, Maps, Dates, errors", () => {
    const got = pyView(["héllo ✓", "x".repeat(70000), new Uint8Array([0, 255]), Buffer.from("ab"), [1, [2, "3"]],
      { a: 1, b: { c: null } }, new Map<unknown, unknown>([[1, "one"], ["k", [true]]]), new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250)),
      new ValueError("bad value"), new TypeError("js type error"), new (class Weird extends Error {})("odd")]);
    expect(got[0]).toEqual(["str", "'héllo ✓'"]);
    expect(got[1][0]).toBe("str");
    expect(got[1][1].length).toBe(70002);
    expect(got.slice(2, 7)).toEqual([
      ["bytes", "b'\\x00\\xff'"], ["bytes", "b'ab'"], ["list", "[1, [2, '3']]"], ["dict", "{'a': 1, 'b': {'c': None}}"],
      ["dict", "{1: 'one', 'k': [True]}"],
    ]);
    expect(got[7]).toEqual(["datetime", "datetime.datetime(2024, 2, 29, 12, 30, 15, 250000, tzinfo=datetime.timezone.utc)"]);
    expect(got[8]).toEqual(["ValueError", "ValueError('bad value')", "ValueError"]);
    expect(got[9]).toEqual(["TypeError", "TypeError('js type error')", "TypeError"]);
    expect(got[10]).toEqual(["RemoteError", "RemoteError('odd')", "Error"]); // JS's Error has no Python class
  });

  test("a user's subclass of a tulip exception crosses under its own name", () => {
    class FetchError extends ValueError {}
    const got = pyView([new FetchError("503"), new ValueError("plain")]);
    expect(got[0]).toEqual(["RemoteError", "RemoteError('503')", "FetchError"]);
    expect(got[1]).toEqual(["ValueError", "ValueError('plain')", "ValueError"]);
  });

  test("unencodable values fail on the sender, naming where they are", () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ args: [1, () => 2] }, /cannot encode a function \(at value\.args\[1\]\)/],
      [[Symbol("s")], /cannot encode a symbol \(at value\[0\]\)/],
      [new Set([1]), /cannot encode an instance of Set/],
      [{ x: new (class Point { x = 1 })() }, /an instance of Point \(at value\.x\)/],
      [new Date(NaN), /invalid Date/],
      [new Float32Array(2), /instance of Float32Array/],
    ];
    for (const [v, re] of cases) {
      expect(() => encode(v)).toThrow(EncodeError);
      expect(() => encode(v)).toThrow(re);
    }
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => encode(cyclic)).toThrow(/nested too deeply or cyclic|over 512/);
  });
});

describe("Python encode -> TS decode", () => {
  const hex = py(`
import datetime, asyncio
from tulip_bridge.codec import encode
values = [None, True, 7, -7, 2**31, 2**40, -(2**40), 2**53, 2**53 + 1, 2**63 - 1, 2**64 - 1, 2**64, -(2**100), 1.0, 0.1,
          "s", b"\\x00\\x01", bytearray(b"z"), (1, 2), [1, (2,)], {"a": {"b": 1}}, {1: 2},
          datetime.datetime(2024, 2, 29, 12, 30, 15, 250999, tzinfo=datetime.timezone.utc),
          ValueError("v"), KeyError("k"), asyncio.CancelledError("c"), TimeoutError("t"), ZeroDivisionError("z")]
print("\\n".join(encode(v).hex() for v in values))
`).trim().split("\n");
  const got = hex.map((h) => decode(Buffer.from(h, "hex")));

  test("ints keep their value: numbers within 2^53, bigints beyond; never floats", () => {
    expect(got.slice(0, 13)).toEqual([null, true, 7, -7, 2 ** 31, 2 ** 40, -(2 ** 40), 2 ** 53, 2n ** 53n + 1n, 2n ** 63n - 1n,
      2n ** 64n - 1n, 2n ** 64n, -(2n ** 100n)]);
    expect(got[13]).toBe(1);
    expect(got[14]).toBe(0.1);
  });

  test("str, bytes, tuples, dicts, datetimes", () => {
    expect(got[15]).toBe("s");
    expect(got[16]).toBeInstanceOf(Uint8Array);
    expect([...(got[16] as Uint8Array)]).toEqual([0, 1]);
    expect([...(got[17] as Uint8Array)]).toEqual([122]);
    expect(got.slice(18, 22)).toEqual([[1, 2], [1, [2]], { a: { b: 1 } }, new Map([[1, 2]])]); // a non-string key: a Map, not "1"
    expect(got[22]).toEqual(new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250)));
  });

  test("exceptions arrive as tulip's same-named classes, unknown names as RemoteError", () => {
    expect(got[23]).toBeInstanceOf(ValueError);
    expect((got[23] as Error).message).toBe("v");
    expect(got[24]).toBeInstanceOf(KeyError);
    expect((got[24] as Error).message).toBe("'k'"); // Python's str(KeyError('k')), not quoted twice
    expect(got[25]).toBeInstanceOf(CancelledError);
    expect(got[26]).toBeInstanceOf(TimeoutError);
    expect(got[27]).toBeInstanceOf(RemoteError);
    expect((got[27] as RemoteError).remoteType).toBe("ZeroDivisionError");
    expect((got[27] as RemoteError).name).toBe("RemoteError");
  });

  test("malformed input throws instead of returning garbage", () => {
    expect(() => decode(Buffer.from([0x92, 0x01]))).toThrow();
    expect(() => decode(Buffer.from([0xc7, 0x05, 0x02, 0, 0]))).toThrow();
  });
});
