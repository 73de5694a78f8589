// Streams both ways: async generators consumed with for-await / async-for, credit-based flow
// control, early exit closing the remote generator.
import * as asyncio from "../../asyncio/index.js";
import { CancelledError, KeyError } from "../../asyncio/exceptions.js";
import { Peer } from "../../bridge/index.js";
import { startPython, Events, type PyPeer } from "./helpers.js";

let pyPeer: PyPeer;
let peer: Peer;
const events = new Events();
const tsGen: string[] = [];
const WINDOW = 4;

beforeAll(async () => {
  pyPeer = await startPython(["--bind", "tcp://127.0.0.1:0"]);
  peer = await Peer.connect(pyPeer.endpoint, { streamWindow: WINDOW, log: () => {} });
  peer.register("report", events.push);
  peer.register("jsCount", async function* (n: number) {
    try {
      for (let i = 0; i < n; i++) {
        tsGen.push(`yield ${i}`);
        yield i * 10;
      }
    } finally {
      tsGen.push("finally");
    }
  });
});

afterAll(async () => {
  await peer.close();
  await pyPeer.stop();
});

test("for await over a Python async generator yields every item, then ends", async () => {
  const got: number[] = [];
  for await (const x of peer.stream<number>("count", 50, "all")) got.push(x);
  expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
  await events.waitFor((e) => e[0] === "closed" && e[1] === "all" && e[2] === 50);
});

test("flow control: the Python producer never runs more than the window ahead of a slow consumer", async () => {
  let consumed = 0;
  let maxAhead = 0;
  for await (const x of peer.stream<number>("count", 40, "slow")) {
    consumed++;
    // give the producer every chance to run ahead: wait until it has reported up to where it is
    await events.waitFor((e) => e[0] === "produced" && e[1] === "slow" && (e[2] as number) >= x + 1);
    const produced = Math.max(...events.list.filter((e) => e[0] === "produced" && e[1] === "slow").map((e) => e[2] as number));
    maxAhead = Math.max(maxAhead, produced - consumed);
  }
  expect(consumed).toBe(40);
  expect(maxAhead).toBeLessThanOrEqual(WINDOW);
});

test("leaving the loop early closes the Python generator (its finally runs)", async () => {
  const got: number[] = [];
  for await (const x of peer.stream<number>("count", 1000, "early")) {
    got.push(x);
    if (x === 2) break;
  }
  expect(got).toEqual([0, 1, 2]);
  const [, , produced] = await events.waitFor((e) => e[0] === "closed" && e[1] === "early");
  expect(produced as number).toBeLessThanOrEqual(3 + WINDOW);
});

test("an exception in the Python generator ends the loop with the same-named exception", async () => {
  const got: number[] = [];
  const err = await (async () => {
    for await (const x of peer.stream<number>("gen_fail", 3)) got.push(x);
  })().then(() => null, (e) => e);
  expect(got).toEqual([0, 1, 2]);
  expect(err).toBeInstanceOf(KeyError);
});

test("Python iterates a TS async generator with async for", async () => {
  tsGen.length = 0;
  expect(await peer.call("sum_stream", "jsCount", 5)).toEqual([0, 10, 20, 30, 40]);
  expect(tsGen.at(-1)).toBe("finally");
});

test("Python leaving early closes the TS generator, which ran at most a window ahead", async () => {
  tsGen.length = 0;
  expect(await peer.call("take_stream", "jsCount", 2, 1000)).toEqual([0, 10]);
  for (let i = 0; i < 50 && tsGen.at(-1) !== "finally"; i++) await new Promise((r) => setImmediate(r)); // let the CANCEL land
  expect(tsGen.at(-1)).toBe("finally");
  // the Python consumer's window is 16 (its default): the TS producer stopped within it
  expect(tsGen.filter((s) => s.startsWith("yield")).length).toBeLessThanOrEqual(2 + 16);
});

test("on a tulip loop, Python leaving early interrupts the TS generator where it awaits (its finally runs at once)", async () => {
  const seen: string[] = [];
  const got = await asyncio.run(async () => {
    const p = await Peer.connect(pyPeer.endpoint, { log: () => {} });
    try {
      p.register("jsTicker", async function* () {
        try {
          yield 1;
          yield 2;
          await asyncio.sleep(30); // where the CANCEL finds it
          yield 3;
        } catch (e) {
          seen.push(e instanceof CancelledError ? "CancelledError" : String(e));
          throw e;
        } finally {
          seen.push("finally");
        }
      });
      const t0 = performance.now();
      const items = await p.call("take_stream", "jsTicker", 2);
      for (let i = 0; i < 200 && !seen.includes("finally"); i++) await asyncio.sleep(0.01);
      expect(performance.now() - t0).toBeLessThan(5000);
      return items;
    } finally {
      await p.close();
    }
  });
  expect(got).toEqual([1, 2]);
  expect(seen).toEqual(["CancelledError", "finally"]);
});

test("on a tulip loop, cancelling the task consuming a Python stream closes the Python generator", async () => {
  await asyncio.run(async () => {
    const p = await Peer.connect(pyPeer.endpoint, { log: () => {} });
    p.register("report", events.push);
    try {
      const consumer = asyncio.create_task(async () => {
        for await (const x of p.stream<number>("count", 1000, "cancelled-consumer")) {
          if (x === 1) await asyncio.sleep(30); // cancelled here, or while waiting for an item
        }
      });
      await events.waitFor((e) => e[0] === "produced" && e[1] === "cancelled-consumer" && (e[2] as number) >= 2);
      consumer.cancel();
      const outcome = await asyncio.gather(consumer, { return_exceptions: true });
      expect(outcome[0]).toBeInstanceOf(CancelledError);
      await events.waitFor((e) => e[0] === "closed" && e[1] === "cancelled-consumer");
    } finally {
      await p.close();
    }
  });
});
