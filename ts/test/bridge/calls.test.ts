// Calls both ways between this process and a real Python peer process.
import { Peer } from "../../bridge/index.js";
import { RemoteError, UnknownFunctionError } from "../../bridge/errors.js";
import { ValueError, KeyError } from "../../asyncio/exceptions.js";
import { startPython, Events, type PyPeer } from "./helpers.js";

let pyPeer: PyPeer;
let peer: Peer;
const events = new Events();

beforeAll(async () => {
  pyPeer = await startPython(["--bind", "tcp://127.0.0.1:0"]);
  peer = await Peer.connect(pyPeer.endpoint, { heartbeat: 2, log: () => {} });
  peer.register("report", events.push);
  peer.register("jsAdd", async (a: number, b: number) => a + b);
  peer.register("jsScale", (x: number, opts?: { scale?: number }) => x * (opts?.scale ?? 1));
  peer.register("jsFail", async (kind: string) => {
    if (kind === "value") throw new ValueError("js value error");
    if (kind === "range") throw new RangeError("js range error");
    throw new Error("plain js error");
  });
  peer.register("jsTwo", (a: unknown, b: unknown) => [a, b]);
  peer.register("jsBig", () => [2 ** 40, 2n ** 70n, new Uint8Array([9])]);
});

afterAll(async () => {
  await peer.close();
  await pyPeer.stop();
});

describe("TS -> Python", () => {
  test("positional calls, including a dotted name and a plain (sync) function", async () => {
    expect(await peer.call("add", 1, 2)).toBe(3);
    expect(await peer.call("stats.mean", [1, 2, 3, 6])).toBe(3);
    expect(await peer.call("sync_echo", { a: [1, "x"] })).toEqual({ a: [1, "x"] });
  });

  test("keyword arguments cross: invoke('add', {args:[1, 2], kwargs:{scale: 10}}) runs add(1, 2, scale=10)", async () => {
    expect(await peer.invoke("add", { args: [1, 2], kwargs: { scale: 10 } })).toBe(30);
    expect(await peer.invoke("echo", { args: [1], kwargs: { k: "v" } })).toEqual([[1], { k: "v" }]);
  });

  test("many calls in flight at once, each answered with its own result", async () => {
    const n = 2000;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => peer.call("add", i, 1)));
    expect(results).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  test("remote exceptions arrive as the same-named class, with message and remote traceback", async () => {
    const e1 = await peer.call("fail", "ValueError", "bad input").then(() => null, (e) => e);
    expect(e1).toBeInstanceOf(ValueError);
    expect(e1.message).toBe("bad input");
    expect(e1.remoteTraceback).toMatch(/Traceback \(most recent call last\)[\s\S]*bridge_funcs\.py[\s\S]*ValueError: bad input/);
    const e2 = await peer.call("fail", "KeyError", "k").then(() => null, (e) => e);
    expect(e2).toBeInstanceOf(KeyError);
    expect(e2.message).toBe("'k'");
  });

  test("an exception tulip lacks arrives as RemoteError keeping the Python type name", async () => {
    const e = await peer.call("divide", 1, 0).then(() => null, (e) => e);
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.remoteType).toBe("ZeroDivisionError");
    expect(e.message).toBe("division by zero");
    expect(e.stack).toMatch(/remote traceback \(ZeroDivisionError\)[\s\S]*return a \/ b/);
  });

  test("unknown function and wrong argument count are error replies; the peer keeps serving", async () => {
    await expect(peer.call("no.such.function")).rejects.toBeInstanceOf(UnknownFunctionError);
    await expect(peer.call("add", 1)).rejects.toThrow(/missing 1 required positional argument/);
    await expect(peer.call("add", 1, 2, 3, 4)).rejects.toThrow(TypeError);
    expect(await peer.call("add", 2, 2)).toBe(4);
  });

  test("an unencodable argument fails on the sender and never reaches Python", async () => {
    await expect(peer.call("add", () => 1, 2)).rejects.toThrow(/cannot encode a function \(at frame\[3\]\[0\]\)/);
    await expect(peer.call("add", 1, new Set([1]))).rejects.toThrow(TypeError);
  });
});

describe("Python -> TS", () => {
  test("Python calls a TS async function (through call_back)", async () => {
    expect(await peer.call("call_back", "jsAdd", 20, 22)).toBe(42);
  });

  test("keywords from Python reach the TS function as a trailing options object", async () => {
    expect(await peer.call("call_back_kw", "jsScale", [3], { scale: 5 })).toBe(15);
    expect(await peer.call("call_back_kw", "jsScale", [3], {})).toBe(3);
  });

  test("values the TS side returns decode in Python with their types", async () => {
    expect(await peer.call("call_back", "jsBig")).toEqual([2 ** 40, 2n ** 70n, Buffer.from([9])]);
  });

  test("TS exceptions arrive in Python as the same-named Python exception, others as RemoteError", async () => {
    const [type1, msg1, remote1, hasTb1] = await peer.call("remote_error", "jsFail", "value");
    expect([type1, msg1, remote1, hasTb1]).toEqual(["ValueError", "js value error", "ValueError", true]);
    const [type2, msg2, remote2] = await peer.call("remote_error", "jsFail", "range");
    expect([type2, msg2, remote2]).toEqual(["RemoteError", "RangeError: js range error", "RangeError"]);
  });

  test("Python calling an unknown TS name, or with a wrong argument count, gets an error", async () => {
    expect((await peer.call("remote_error", "nothing.here"))[0]).toBe("UnknownFunctionError");
    const [t2, m2] = await peer.call("remote_error", "jsTwo", 1, 2, 3);
    expect([t2, m2]).toEqual(["TypeError", "jsTwo() takes 2 positional arguments but 3 were given"]);
  });
});

test("row 7: dicts with bytes, tuple, int, None, float keys arrive as Maps; '__proto__' stays an own key", async () => {
  const keys = await peer.call("make", "keys");
  expect(keys).toBeInstanceOf(Map);
  expect([...keys]).toEqual([[Buffer.from("k"), 1], [[1, "a"], 2], [1, "one"], [null, 0], [2.5, [true]]]);
  const proto = await peer.call("make", "proto");
  expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  expect(Object.keys(proto)).toEqual(["__proto__", "a"]);
  expect(Object.getOwnPropertyDescriptor(proto, "__proto__")!.value).toEqual({ x: 1 });
});

test("row 7: a Map with array keys reaches Python as tuple keys; a key Python cannot hash fails on the sender", async () => {
  expect(await peer.call("types_of", new Map<unknown, unknown>([[[1, "a"], 2], [Buffer.from("b"), 3]]))).toEqual([
    ["dict", "{(1, 'a'): 2, b'b': 3}"],
  ]);
  await expect(Promise.resolve(peer.call("types_of", new Map([[new Map(), 1]])))).rejects.toThrow(/cannot encode a map key that is an instance of Map/);
  await expect(Promise.resolve(peer.call("types_of", new Map([[[{ a: 1 }], 1]])))).rejects.toThrow(/map key/);
});
