// Cancellation and deadlines both ways, with the TS side on a tulip event loop (Futures and
// Tasks) and, for the calling side, also from plain Node code (loop-free Futures).
import * as asyncio from "../../asyncio/index.js";
import { CancelledError, TimeoutError } from "../../asyncio/exceptions.js";
import { Peer } from "../../bridge/index.js";
import { startPython, Events, type PyPeer } from "./helpers.js";

let pyPeer: PyPeer;
beforeAll(async () => {
  pyPeer = await startPython(["--bind", "tcp://127.0.0.1:0"]);
});
afterAll(async () => {
  await pyPeer.stop();
});

test("plain Node: cancelling the returned Future cancels the Python task (its except/finally runs)", async () => {
  const events = new Events();
  const peer = await Peer.connect(pyPeer.endpoint, { log: () => {} });
  try {
    peer.register("report", events.push);
    const fut = peer.invoke("slow", { args: ["plain"] });
    await events.waitFor((e) => e[0] === "started" && e[1] === "plain");
    expect(fut.cancel()).toBe(true);
    await expect(fut).rejects.toBeInstanceOf(CancelledError);
    await events.waitFor((e) => e[0] === "cancelled" && e[1] === "plain");
  } finally {
    await peer.close();
  }
});

test("on a tulip loop: cancelling the awaiting Task cancels the remote task; the caller sees CancelledError", async () => {
  const events = new Events();
  const outcome = await asyncio.run(async () => {
    const peer = await Peer.connect(pyPeer.endpoint, { log: () => {} });
    try {
      peer.register("report", events.push);
      const fut = peer.invoke("slow", { args: ["task"] });
      expect(fut).toBeInstanceOf(asyncio.Future); // a tulip Future on the running loop
      const task = asyncio.create_task(async () => await fut);
      await events.waitFor((e) => e[0] === "started" && e[1] === "task");
      task.cancel();
      try {
        await task;
        return "not cancelled";
      } catch (e) {
        await events.waitFor((ev) => ev[0] === "cancelled" && ev[1] === "task");
        return e instanceof CancelledError ? "CancelledError" : String(e);
      }
    } finally {
      await peer.close();
    }
  });
  expect(outcome).toBe("CancelledError");
});

test("Python cancels its call: the TS function (a tulip Task) gets CancelledError and its finally runs", async () => {
  const seen: string[] = [];
  const answer = await asyncio.run(async () => {
    const peer = await Peer.connect(pyPeer.endpoint, { log: () => {} });
    try {
      peer.register("report", () => {});
      peer.register("jsSlow", async () => {
        seen.push("started");
        try {
          await asyncio.sleep(30);
          seen.push("finished");
        } catch (e) {
          seen.push(e instanceof CancelledError ? "CancelledError" : "other");
          throw e;
        } finally {
          seen.push("finally");
        }
      });
      return await peer.call("call_and_cancel", "jsSlow", 0.2);
    } finally {
      await peer.close();
    }
  });
  expect(answer).toBe("caller saw CancelledError");
  expect(seen).toEqual(["started", "CancelledError", "finally"]);
});

test("a TS deadline travels to Python: the remote task is cancelled and the caller gets TimeoutError", async () => {
  const events = new Events();
  const peer = await Peer.connect(pyPeer.endpoint, { log: () => {} });
  try {
    peer.register("report", events.push);
    const t0 = performance.now();
    const err = await peer.invoke("slow", { args: ["deadline"], timeout: 0.3 }).then(() => null, (e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    await events.waitFor((e) => e[0] === "cancelled" && e[1] === "deadline");
    // and a call that finishes within its deadline is unaffected
    expect(await peer.invoke("add", { args: [1, 1], timeout: 5 })).toBe(2);
  } finally {
    await peer.close();
  }
});

test("a Python deadline travels to TS: the TS task is cancelled and Python gets TimeoutError", async () => {
  const seen: string[] = [];
  const answer = await asyncio.run(async () => {
    const peer = await Peer.connect(pyPeer.endpoint, { log: () => {} });
    try {
      peer.register("jsSlow", async () => {
        try {
          await asyncio.sleep(30);
        } finally {
          seen.push("finally");
        }
      });
      return await peer.call("call_with_timeout", "jsSlow", 0.3);
    } finally {
      await peer.close();
    }
  });
  expect(answer).toMatch(/^TimeoutError: /);
  expect(seen).toEqual(["finally"]);
});
