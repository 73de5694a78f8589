// Row 6 of issue 14: timeouts of any size. Node's timers take at most 2^31-1 ms and fire at
// once beyond it; the bridge's deadlines wait in steps and re-arm (bridge/timer.ts).
import { jest } from "@jest/globals";
import * as asyncio from "../../asyncio/index.js";
import { CancelledError } from "../../asyncio/exceptions.js";
import { Peer } from "../../bridge/index.js";
import { later, MAX_TIMER_MS } from "../../bridge/timer.js";
import { startPython, Events, type PyPeer } from "./helpers.js";

/** A timer made after an overflowed one fires after it (Node runs due timers in order). */
const afterAnyOverflowedTimer = () => new Promise((r) => setTimeout(r, 20));

test("later(): 30 days waits in steps below Node's limit, re-arming until the deadline", () => {
  jest.useFakeTimers();
  try {
    let fired = 0;
    later(30 * 86400, () => fired++);
    jest.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toBe(0);
    jest.advanceTimersByTime(30 * 86400 * 1000 - MAX_TIMER_MS - 1);
    expect(fired).toBe(0);
    jest.advanceTimersByTime(1);
    expect(fired).toBe(1);
    const t = later(40 * 86400, () => fired++);
    jest.advanceTimersByTime(39 * 86400 * 1000);
    t.clear();
    jest.advanceTimersByTime(2 * 86400 * 1000);
    expect(fired).toBe(1);
    later(Infinity, () => fired++);
    expect(jest.getTimerCount()).toBe(0); // never: no timer at all
  } finally {
    jest.useRealTimers();
  }
});

describe("a call with a deadline of 3e6 s (over 2^31 ms)", () => {
  let py: PyPeer;
  beforeAll(async () => {
    py = await startPython(["--bind", "tcp://127.0.0.1:0"]);
  });
  afterAll(async () => py.stop());

  test("TS caller, Python callee: the call stays pending, and cancels as usual", async () => {
    const events = new Events();
    const peer = await Peer.connect(py.endpoint, { log: () => {} });
    try {
      peer.register("report", events.push);
      const fut = peer.invoke("slow", { args: ["long"], timeout: 3e6 });
      await events.waitFor((e) => e[0] === "started" && e[1] === "long");
      await afterAnyOverflowedTimer();
      expect(await peer.call("add", 1, 1)).toBe(2);
      expect(fut.done()).toBe(false);
      fut.cancel();
      await events.waitFor((e) => e[0] === "cancelled" && e[1] === "long");
    } finally {
      await peer.close();
    }
  });

  test("TS caller, TS callee on a tulip loop: neither side's timer fires early", async () => {
    await asyncio.run(async () => {
      const server = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
      const seen: string[] = [];
      const started = asyncio.get_running_loop().create_future();
      server.register("slow", async () => {
        started.set_result(null);
        try {
          await asyncio.sleep(30);
        } catch (e) {
          seen.push(e instanceof CancelledError ? `cancelled ${String(e.message)}` : String(e));
          throw e;
        }
      });
      const client = await Peer.connect(server.endpoint, { log: () => {} });
      try {
        const fut = client.invoke("slow", { timeout: 3e6 });
        await started;
        await afterAnyOverflowedTimer();
        expect([fut.done(), seen]).toEqual([false, []]);
        fut.cancel();
        await expect(Promise.resolve(fut)).rejects.toBeInstanceOf(CancelledError);
      } finally {
        await client.close();
        await server.close();
      }
    });
  });
});
