// The bridge: a peer with a registry checks names and arguments and infers results; one
// without takes any name, with the result type said at the call.
import * as asyncio from "tulip";
import { Peer, RemoteCall, RemoteStream, type BridgeFuture } from "tulip/bridge";
import { expectType } from "./_expect.js";

/** What the Python side registers. */
interface Py {
  add(a: number, b: number): number;
  "stats.mean"(xs: number[]): Promise<number>;
  greet(name: string, options?: { polite: boolean }): string;
  rows(query: string): AsyncIterable<[number, string]>;
}
/** What this side registers. */
interface Node {
  upper(s: string): string;
  ticks(n: number): AsyncIterable<number>;
}

export async function main(): Promise<void> {
  const peer = await Peer.connect<Py, Node>("tcp://127.0.0.1:5555");
  expectType<RemoteCall<number>>()(peer.call("add", 1, 2));
  expectType<number>()(await peer.call("add", 1, 2));
  expectType<number>()(await peer.call("stats.mean", [1, 2, 3]));
  expectType<string>()(await peer.call("greet", "ada", { polite: true }));
  expectType<number>()(await peer.invoke("add", { args: [1, 2], timeout: 1.5 }));
  expectType<number>()(await peer.invoke("add", { args: [1], kwargs: { b: 2 } }));
  expectType<number>()(await asyncio.wait_for(peer.call("add", 1, 2), 1));
  expectType<[number, string]>()(await asyncio.gather(peer.call("add", 1, 2), peer.call("greet", "ada")));
  expectType<RemoteStream<[number, string]>>()(peer.stream("rows", "select"));
  for await (const [id, name] of peer.stream("rows", "select")) {
    expectType<number>()(id);
    expectType<string>()(name);
  }
  for await (const row of peer.streamWith("rows", { args: ["q"], kwargs: { limit: 5 } })) expectType<[number, string]>()(row);
  peer.register("upper", (s) => s.toUpperCase());
  peer.register("upper", async (s: string) => s.toUpperCase());
  peer.register("ticks", async function* (n) {
    for (let i = 0; i < n; i++) yield i;
  });

  // @ts-expect-error no such remote function
  peer.call("sub", 1, 2);
  // @ts-expect-error add takes numbers
  peer.call("add", "1", 2);
  // @ts-expect-error add takes two arguments
  peer.call("add", 1);
  // @ts-expect-error add's result is a number
  const s: string = await peer.call("add", 1, 2);
  // @ts-expect-error rows is a stream: its items, not a result, are typed; add is not a stream
  peer.stream("add", 1, 2);
  // @ts-expect-error a typed peer says its result types in the registry, not at the call
  peer.call<number>("anything");
  // @ts-expect-error invoke's args are add's
  peer.invoke("add", { args: ["1"] });
  // @ts-expect-error this side registers no "lower"
  peer.register("lower", (s: string) => s.toLowerCase());
  // @ts-expect-error upper returns a string
  peer.register("upper", (s: string) => s.length);

  // without a registry: any name; the result type at the call, `any` by default
  const loose = await Peer.bind("tcp://127.0.0.1:0");
  expectType<RemoteCall<number>>()(loose.call<number>("add", 1, 2));
  expectType<number>()(await loose.call<number>("add", 1, 2));
  expectType<string[]>()(await loose.invoke<string[]>("conformance.run", { args: [1], kwargs: { x: 1 } }));
  expectType<RemoteStream<number>>()(loose.stream<number>("count", 5));
  const anything = await loose.call("whatever", 1, "two", [3]);
  loose.register("add", async (a: number, b: number) => a + b);
  loose.register("rows", async function* () {
    yield 1;
  });
  await peer.close();
  await loose.close();
}
