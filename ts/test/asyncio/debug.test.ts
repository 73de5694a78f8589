// Debug mode and introspection: the warnings and reprs users rely on.
import * as asyncio from "../../asyncio/index.js";
import { VirtualTimeLoop } from "../../testing.js";

function capture(): { messages: string[]; restore: () => void } {
  const messages: string[] = [];
  const saved = asyncio.logger.handlers;
  asyncio.logger.handlers = [(r) => messages.push(r.message)];
  return { messages, restore: () => { asyncio.logger.handlers = saved; } };
}

test("debug mode warns when an eagerly started async function is made a task, and when a step is slow", async () => {
  const loop = new VirtualTimeLoop();
  loop.set_debug(true);
  loop.slow_callback_duration = 0.05;
  const log = capture();
  try {
    await loop.run_until_complete(asyncio.coroutine(async () => {
      async function eager() { await asyncio.sleep(0); }
      await asyncio.create_task(eager());
      await asyncio.create_task(asyncio.coroutine(async function slowstep() {
        (asyncio.get_running_loop() as VirtualTimeLoop).advance_time(0.2);
        await asyncio.sleep(0);
      })());
    })());
  } finally { log.restore(); }
  expect(log.messages.some((m) => /already started running when the task was created/.test(m))).toBe(true);
  expect(log.messages.some((m) => /^Executing <Handle Task\.__step\(<Task pending name='Task-\d+' coro=<slowstep\(\)>.*\) created at .*> took 0\.200 seconds$/.test(m))).toBe(true);
  loop.close();
});

test("get_stack / print_stack, get_coro, repr of tasks and handles", async () => {
  const loop = new VirtualTimeLoop();
  await loop.run_until_complete(asyncio.coroutine(async () => {
    const coro = asyncio.sleep(10);
    const t = asyncio.create_task(coro, { name: "napper" });
    expect(t.get_coro()).toBe(coro);
    expect(`${t}`).toBe("<Task pending name='napper' coro=<sleep()>>");
    await asyncio.sleep(0);
    expect(`${t}`).toMatch(/^<Task pending name='napper' coro=<sleep\(\)> wait_for=<Future pending cb=\[.*\]>>$/);
    let printed = "";
    t.print_stack({ file: { write: (s: string) => { printed += s; } } });
    expect(printed).toMatch(/^Stack for <Task pending name='napper'.*\(most recent call last\):\n/);
    expect(t.get_stack().length).toBeGreaterThan(0);
    t.cancel();
    expect(`${t}`).toMatch(/^<Task cancelling name='napper'/);
    await asyncio.gather(t, { return_exceptions: true });
    expect(`${t}`).toBe("<Task cancelled name='napper' coro=<sleep()>>");
    const h = loop.call_later(5, function cb(x: number) { void x; }, 1);
    expect(`${h}`).toBe("<TimerHandle when=5 cb(1)>");
    h.cancel();
    expect(`${h}`).toBe("<TimerHandle cancelled when=5>");
  })());
  loop.close();
});
