// Tasks, futures and running: the result type flows from the coroutine in each of its forms.
import * as asyncio from "tulip";
import { Future, Task, type CoroutineObject } from "tulip";
import { expectType } from "./_expect.js";

async function num(): Promise<number> {
  return 1;
}
const lazyStr = asyncio.coroutine(async function lazyStr(): Promise<string> {
  return "s";
});
const genBool = asyncio.coroutine(function* genBool(): Generator<unknown, boolean, unknown> {
  yield* asyncio.sleep(0);
  return true;
});
function* rawGen(): Generator<unknown, bigint, unknown> {
  return 1n;
}
async function forever(): Promise<never> {
  for (;;) await asyncio.sleep(1);
}

export async function main(): Promise<number> {
  // create_task: every coroutine form, and a zero-argument function (a lazy coroutine)
  expectType<Task<number>>()(asyncio.create_task(num()));
  expectType<Task<string>>()(asyncio.create_task(lazyStr()));
  expectType<Task<boolean>>()(asyncio.create_task(genBool()));
  expectType<Task<bigint>>()(asyncio.create_task(rawGen()));
  expectType<Task<number>>()(asyncio.create_task(() => num()));
  expectType<Task<number>>()(asyncio.create_task(async () => 5, { name: "five" }));
  expectType<Task<null>>()(asyncio.create_task(asyncio.sleep(1)));
  expectType<Task<string>>()(asyncio.create_task(asyncio.sleep(1, "later")));
  expectType<Task<number>>()(asyncio.get_running_loop().create_task(num()));
  expectType<Task<number>>()(new Task(num()));
  const n: number = await asyncio.create_task(num());
  expectType<number>()(asyncio.create_task(num()).result());
  // @ts-expect-error the result is a number, not a string
  const s: string = await asyncio.create_task(num());
  // @ts-expect-error a Task<number> is not a Task<string>
  const ts: Task<string> = asyncio.create_task(num());
  // @ts-expect-error a Future is not a coroutine (create_task raises TypeError)
  asyncio.create_task(asyncio.get_running_loop().create_future<number>());
  // @ts-expect-error a coroutine function with parameters is not a lazy coroutine: call it
  asyncio.create_task(async (x: number) => x);
  // @ts-expect-error not a coroutine at all
  asyncio.create_task(5);

  // Task<never>, for a worker that never returns, goes wherever a Task goes
  const worker = asyncio.create_task(forever());
  expectType<Task<never>>()(worker);
  const all: Task<unknown>[] = [worker, asyncio.create_task(num())];
  const f: Future<unknown> = worker;
  worker.cancel();
  await asyncio.gather(worker, { return_exceptions: true });
  await asyncio.wait([worker, ...all]);
  await asyncio.wait_for(worker, 1);
  await asyncio.shield(worker);
  asyncio.all_tasks().add(worker);

  // ensure_future, wait_for, shield: Futures too
  const fut = asyncio.get_running_loop().create_future<string>();
  expectType<Future<string>>()(asyncio.ensure_future(fut));
  expectType<Future<number>>()(asyncio.ensure_future(num()));
  expectType<Future<number>>()(asyncio.ensure_future({ then: (res: (v: number) => void) => res(9) }));
  expectType<CoroutineObject<number>>()(asyncio.wait_for(num(), 1));
  expectType<CoroutineObject<string>>()(asyncio.wait_for(fut, null));
  expectType<CoroutineObject<boolean>>()(asyncio.wait_for(() => genBool(), 0.5));
  expectType<Future<number>>()(asyncio.shield(num()));
  expectType<Future<string>>()(asyncio.shield(lazyStr()));
  // @ts-expect-error wait_for's result is a number
  const w: string = await asyncio.wait_for(num(), 1);
  // @ts-expect-error not awaitable
  asyncio.ensure_future(5);

  // wait: the sets hold the futures given, with their own types
  const t1 = asyncio.create_task(num());
  const t2 = asyncio.create_task(lazyStr());
  const [done, pending] = await asyncio.wait([t1, t2], { return_when: asyncio.FIRST_COMPLETED });
  expectType<Set<Task<number> | Task<string>>>()(done);
  expectType<Set<Task<number> | Task<string>>>()(pending);
  const [d2] = await asyncio.wait([t1]);
  for (const t of d2) expectType<number>()(t.result());
  // @ts-expect-error wait takes futures, not coroutines (it raises TypeError for them)
  await asyncio.wait([num()]);

  // as_completed: each coroutine it yields resolves to one of the results
  for (const next of asyncio.as_completed([num(), lazyStr()])) expectType<number | string>()(await next);
  for (const next of asyncio.as_completed([t1, t1], { timeout: 1 })) expectType<number>()(await next);

  // TaskGroup.create_task, timeout, asyncWith
  const r = await asyncio.asyncWith(new asyncio.TaskGroup(), async (tg) => {
    expectType<asyncio.TaskGroup>()(tg);
    const a = tg.create_task(num());
    const b = tg.create_task(() => lazyStr());
    expectType<Task<number>>()(a);
    expectType<Task<string>>()(b);
    return a; // a thenable: the body's promise adopts it, as JavaScript's promises do
  });
  expectType<number>()(r);
  expectType<number>()(await asyncio.asyncWith(asyncio.timeout(1), async () => 5));
  expectType<string>()(await asyncio.asyncWith(asyncio.timeout_at(null), () => "sync"));
  expectType<asyncio.Timeout>()(await asyncio.timeout(1).__aenter__());
  expectType<boolean>()(await asyncio.asyncWith(new asyncio.Lock(), async (v) => v === null));
  const suppressing = { async __aenter__() { return 1; }, async __aexit__(): Promise<boolean> { return true; } };
  expectType<number | undefined>()(await asyncio.asyncWith(suppressing, async (v) => v + 1));
  {
    await using held = await asyncio.asyncEnter(asyncio.timeout(1));
    expectType<asyncio.Timeout>()(held.value);
  }
  return n;
}

// run, Runner.run, run_until_complete: Promises of the main coroutine's result
expectType<Promise<number>>()(asyncio.run(main()));
expectType<Promise<number>>()(asyncio.run(main));
expectType<Promise<string>>()(asyncio.run(lazyStr()));
expectType<Promise<boolean>>()(new asyncio.Runner().run(genBool()));
expectType<Promise<number>>()(asyncio.new_event_loop().run_until_complete(num()));
expectType<Promise<string>>()(asyncio.new_event_loop().run_until_complete(new asyncio.Future<string>()));
expectType<Promise<number>>()(asyncio.asyncWith(new asyncio.Runner(), (runner) => runner.run(main())));
// @ts-expect-error asyncio.run's result is a number
const wrong: Promise<string> = asyncio.run(main());
// @ts-expect-error asyncio.run needs a coroutine (it raises ValueError for a Future)
asyncio.run(new asyncio.Future<number>());
