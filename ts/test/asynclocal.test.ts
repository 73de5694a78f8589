// The async-local slot under tulip's frames (ts/_asynclocal.ts): what it carries and what not.
import { getStore, run } from "../_asynclocal.js";

const tick = () => new Promise<void>((r) => setImmediate(r));

test("the value follows the awaits of an async function, also of foreign promises", async () => {
  const seen: unknown[] = [];
  const body = async () => {
    seen.push(getStore());
    await null;
    seen.push(getStore());
    await tick();
    seen.push(getStore());
    await new Promise((r) => setTimeout(r, 1));
    seen.push(getStore());
  };
  const p = run("A", body);
  expect(getStore()).toBeUndefined(); // restored as soon as run() returns
  await p;
  expect(seen).toEqual(["A", "A", "A", "A"]);
});

test("interleaved async functions keep their own values", async () => {
  const seen: string[] = [];
  const body = async (name: string) => {
    for (let i = 0; i < 3; i++) {
      await tick();
      seen.push(`${name}:${getStore()}`);
    }
  };
  await Promise.all([run("A", body, "a"), run("B", body, "b"), body("c")]);
  expect(seen.filter((s) => s.startsWith("a"))).toEqual(["a:A", "a:A", "a:A"]);
  expect(seen.filter((s) => s.startsWith("b"))).toEqual(["b:B", "b:B", "b:B"]);
  expect(seen.filter((s) => s.startsWith("c"))).toEqual(["c:undefined", "c:undefined", "c:undefined"]);
});

test("then() callbacks run with the value of the code that called then()", async () => {
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r));
  const seen: unknown[] = [];
  run("A", () => p.then(() => seen.push(getStore())));
  run("B", () => p.then(() => seen.push(getStore())));
  resolve();
  await p;
  await null;
  expect(seen).toEqual(["A", "B"]);
});

test("nested runs restore the outer value, also when the inner one throws", () => {
  run("outer", () => {
    expect(() => run("inner", () => {
      expect(getStore()).toBe("inner");
      throw new Error("boom");
    })).toThrow("boom");
    expect(getStore()).toBe("outer");
  });
  expect(getStore()).toBeUndefined();
});

test("callbacks Node calls itself (timers, immediates) run outside any value, as loop callbacks do", async () => {
  const seen: unknown[] = [];
  await run("A", () => new Promise<void>((resolve) => {
    setTimeout(() => {
      seen.push(getStore());
      setImmediate(() => {
        seen.push(getStore());
        resolve();
      });
    }, 1);
  }));
  expect(seen).toEqual([undefined, undefined]);
});
