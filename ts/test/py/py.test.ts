// tulip/py: repr() and str() of the values ported code prints, against what CPython prints.
import * as asyncio from "../../asyncio/index.js";
import { print, repr, str, tuple, isTuple } from "../../py.js";
import { cpython } from "../helpers/cpython.js";

test("repr() and str() read as CPython's: None, bools, ints, floats, str quoting and escapes, bytes, lists, tuples, dicts, sets, exceptions", () => {
  const values: unknown[] = [
    null, undefined, true, false, 0, -3, 2 ** 53, 12345678901234567890n, 2 ** 60, 1e22, 0.1, -2.5, 1e-7, 3.5e-5, 1.5e300, 0.0001, NaN, Infinity, -Infinity, -0,
    "", "plain", "it's", 'say "hi"', `both ' and "`, "tab\tnew\nline\r", "back\\slash", "\x00\x1f\x7f", "é ✓ 日本", "\u200b", "\u{1F600}",
    new Uint8Array([]), Buffer.from("GET / HTTP/1.1\r\n"), new Uint8Array([0, 39, 34, 92, 127, 128, 255]), Buffer.from("it's"),
    [], [1, "a", [null, true]], tuple(), tuple([1]), tuple(["127.0.0.1", 8888]), { a: 1, "b'": [2] }, new Map<unknown, unknown>([[1, "one"], ["k", tuple([2])]]),
    new Set([1]), new Set(), new asyncio.ValueError("bad", 2), new asyncio.KeyError("k"), new asyncio.CancelledError(),
  ];
  const pyValues = `[
    None, None, True, False, 0, -3, 2 ** 53, 12345678901234567890, float(2 ** 60), 1e22, 0.1, -2.5, 1e-7, 3.5e-5, 1.5e300, 0.0001, float("nan"), float("inf"), float("-inf"), -0.0,
    "", "plain", "it's", 'say "hi"', "both ' and \\"", "tab\\tnew\\nline\\r", "back\\\\slash", "\\x00\\x1f\\x7f", "é ✓ 日本", "\\u200b", "\\U0001F600",
    b"", b"GET / HTTP/1.1\\r\\n", bytes([0, 39, 34, 92, 127, 128, 255]), b"it's",
    [], [1, "a", [None, True]], (), (1,), ("127.0.0.1", 8888), {"a": 1, "b'": [2]}, {1: "one", "k": (2,)},
    {1}, set(), ValueError("bad", 2), KeyError("k"), asyncio.CancelledError(),
  ]`;
  const ours = values.flatMap((v) => [repr(v), repr(str(v))]);
  const theirs = cpython(`import asyncio\nfor v in ${pyValues}:\n    print(repr(v)); print(repr(str(v)))\n`);
  expect(ours).toEqual(theirs);
});

test("tulip's own objects print their repr; a cycle prints as [...]; tuple() is a frozen array", async () => {
  const q = new asyncio.Queue<number>();
  q.put_nowait(1);
  expect(repr(q)).toBe(q.__repr__());
  await asyncio.run(asyncio.coroutine(function* () {
    const f = asyncio.get_running_loop().create_future();
    expect(repr([f])).toBe("[<Future pending>]");
    expect(str(f)).toBe("<Future pending>");
    yield* asyncio.sleep(0);
  }));
  const a: unknown[] = [1];
  a.push(a);
  expect(repr(a)).toBe("[1, [...]]");
  const t = tuple([1, 2]);
  expect(isTuple(t) && Object.isFrozen(t) && Array.isArray(t)).toBe(true);
  expect(isTuple([1, 2])).toBe(false);
  expect(str(new asyncio.ExceptionGroup("eg", [new asyncio.ValueError("x")]))).toBe("eg (1 sub-exception)");
});

test("print() writes str()s joined by spaces", () => {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((c: string) => { chunks.push(c); return true; }) as typeof process.stdout.write;
  try {
    print("Received", repr("hi"), "from", tuple(["::1", 80]), null, Buffer.from("x"));
  } finally {
    process.stdout.write = write;
  }
  expect(chunks).toEqual(["Received 'hi' from ('::1', 80) None b'x'\n"]);
});
