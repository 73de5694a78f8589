// Issue 14 item 2: `peer.call(…)` is a lazy coroutine, as Python's is. Each way of running a
// coroutine against a live Python peer, on a tulip loop and from plain Node code; and an
// un-awaited call sends nothing. `invoke` is the Future form (cancel.test.ts).
import * as asyncio from "../../asyncio/index.js";
import { CancelledError, TimeoutError, ValueError } from "../../asyncio/exceptions.js";
import { Peer, RemoteCall } from "../../bridge/index.js";
import { startPython, Events, type PyPeer } from "./helpers.js";

let py: PyPeer;
beforeAll(async () => {
  py = await startPython(["--bind", "tcp://127.0.0.1:0"]);
});
afterAll(async () => {
  await py.stop();
});

/** How a task or future ended (tulip Futures are thenables whose `then` returns nothing). */
async function outcomeOf(f: PromiseLike<unknown>): Promise<string> {
  try {
    await f;
    return "not cancelled";
  } catch (e) {
    return e instanceof CancelledError ? "CancelledError" : String(e);
  }
}

/** Runs `body` on a tulip loop with a peer connected to the Python peer (`report` → events). */
function onLoop<R>(body: (peer: Peer, events: Events) => Promise<R>): Promise<R> {
  return asyncio.run(async () => {
    const events = new Events();
    const peer = await Peer.connect(py.endpoint, { log: () => {} });
    peer.register("report", events.push);
    try {
      return await body(peer, events);
    } finally {
      await peer.close();
    }
  }) as Promise<R>;
}

test("call() makes a coroutine object; await runs it", async () => {
  const got = await onLoop(async (peer) => {
    const c = peer.call("add", 1, 2);
    expect(c).toBeInstanceOf(RemoteCall);
    expect(asyncio.iscoroutine(c)).toBe(true);
    expect(String(c)).toBe("<coroutine object Peer.call>");
    return await c;
  });
  expect(got).toBe(3);
});

test("asyncio.create_task(peer.call(…))", async () => {
  const got = await onLoop(async (peer) => {
    const t = asyncio.create_task(peer.call("add", 2, 3));
    expect(t).toBeInstanceOf(asyncio.Task);
    return await t;
  });
  expect(got).toBe(5);
});

test("TaskGroup.create_task(peer.call(…))", async () => {
  const got = await onLoop(async (peer) => {
    const tasks: asyncio.Task<unknown>[] = [];
    await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
      for (let i = 0; i < 5; i++) tasks.push(tg.create_task(peer.call("add", i, 10)));
    });
    return tasks.map((t) => t.result());
  });
  expect(got).toEqual([10, 11, 12, 13, 14]);
});

test("gather(peer.call(…), …), a failing one with return_exceptions", async () => {
  const got = await onLoop(async (peer) =>
    asyncio.gather(peer.call("add", 1, 1), peer.call("fail", "ValueError", "no"), peer.call("echo", "x"), { return_exceptions: true }));
  expect(got[0]).toBe(2);
  expect(got[1]).toBeInstanceOf(ValueError);
  expect(got[2]).toEqual(["x"]);
});

test("wait_for(peer.call(…), t): on timeout the remote task is cancelled", async () => {
  const outcome = await onLoop(async (peer, events) => {
    try {
      await asyncio.wait_for(peer.call("slow", "wait_for"), 0.3);
      return "no timeout";
    } catch (e) {
      await events.waitFor((ev) => ev[0] === "cancelled" && ev[1] === "wait_for");
      return e instanceof TimeoutError ? "TimeoutError" : String(e);
    }
  });
  expect(outcome).toBe("TimeoutError");
  expect(await onLoop(async (peer) => asyncio.wait_for(peer.call("add", 4, 4), 5))).toBe(8);
});

test("shield(peer.call(…)): cancelling the outer future leaves the remote call running", async () => {
  const got = await onLoop(async (peer, events) => {
    expect(await asyncio.shield(peer.call("add", 1, 2))).toBe(3);
    const before = new Set(asyncio.all_tasks());
    const outer = asyncio.shield(peer.call("slow", "shielded", 0.3));
    const inner = [...asyncio.all_tasks()].find((t) => !before.has(t))!;
    await events.waitFor((e) => e[0] === "started" && e[1] === "shielded");
    outer.cancel();
    const seen = await outcomeOf(outer);
    return [seen, await inner, events.list.some((e) => e[0] === "cancelled")];
  });
  expect(got).toEqual(["CancelledError", "finished", false]);
});

test("cancelling the task that runs a call cancels the remote task", async () => {
  const outcome = await onLoop(async (peer, events) => {
    const t = asyncio.create_task(peer.call("slow", "task"));
    await events.waitFor((e) => e[0] === "started" && e[1] === "task");
    t.cancel();
    const seen = await outcomeOf(t);
    await events.waitFor((e) => e[0] === "cancelled" && e[1] === "task");
    return seen;
  });
  expect(outcome).toBe("CancelledError");
});

test("plain Node code: await, then() returning a Promise, Promise.all, rejections", async () => {
  const peer = await Peer.connect(py.endpoint, { log: () => {} });
  try {
    expect(await peer.call("add", 1, 2)).toBe(3);
    const chained = peer.call("add", 2, 2).then((v) => v * 10);
    expect(chained).toBeInstanceOf(Promise);
    expect(await chained).toBe(40);
    expect(await Promise.all([peer.call("add", 1, 0), peer.call("add", 2, 0)])).toEqual([1, 2]);
    await expect(peer.call("fail", "ValueError", "no")).rejects.toBeInstanceOf(ValueError);
    await expect(peer.call("add", 1, 2).catch(() => 0)).resolves.toBe(3);
    // A coroutine runs once, as in Python.
    const c = peer.call("add", 5, 5);
    expect(await c).toBe(10);
    await expect(Promise.resolve(c)).rejects.toThrow(/cannot reuse already awaited coroutine/);
  } finally {
    await peer.close();
  }
});

test("an un-awaited call sends nothing; it is sent when first stepped", async () => {
  const events = new Events();
  const peer = await Peer.connect(py.endpoint, { log: () => {} });
  peer.register("report", events.push);
  try {
    const lazy = peer.call("slow", "lazy", 0);
    const dropped = peer.call("slow", "dropped", 0);
    void dropped;
    expect(peer._pending.size).toBe(0);
    // Frames of one connection are handled in order, and `slow` reports as it starts: had the
    // lazy calls left, their reports would be in before this one's.
    expect(await peer.invoke("slow", { args: ["marker", 0] })).toBe("finished");
    await events.waitFor((e) => e[1] === "marker");
    expect(events.list.map((e) => e[1])).toEqual(["marker"]);
    expect(await lazy).toBe("finished");
    expect(events.list.map((e) => e[1])).toEqual(["marker", "lazy"]);
  } finally {
    await peer.close();
  }
});

test("a bound TS peer: a handler returning peer.call(…) calls back the peer that called it", async () => {
  // Python's call_back(name) calls our `ping`, which answers with a call to Python's `add`:
  // the coroutine runs in the served call's task, so it goes back to that caller.
  const server = await Peer.bind("tcp://127.0.0.1:0", { log: () => {} });
  const client = await startPython(["--connect", server.endpoint]);
  try {
    await server.waitForPeer(10);
    server.register("ping", () => server.call("add", 20, 22));
    expect(await server.call("call_back", "ping")).toBe(42);
    const onLoopToo = await asyncio.run(async () => server.call("call_back", "ping"));
    expect(onLoopToo).toBe(42);
  } finally {
    await server.close();
    await client.stop();
  }
});
