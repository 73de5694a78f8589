// The grid's workloads as plain async functions, as TypeScript users write them. bench/forms.bench.mjs
// runs this very source twice: as it is (form "plain": real JavaScript async functions, called and
// handed to create_task) and after tulip's compile step (form "compiled": dist/compile.js's
// `transform`, which turns each async function into a tulip coroutine). Keep it plain: every async
// function here is a workload's; the counters `c.n` are how the bench checks the work was done.
import * as asyncio from "../dist/asyncio/index.js";

// sleep(0) steps: each of `tasks` workers loops `await asyncio.sleep(0)` k times.
async function sleepWorker(k, c) {
  for (let i = 0; i < k; i++) {
    await asyncio.sleep(0);
    c.n++;
  }
}

export async function sleepMain(tasks, k, c) {
  const workers = [];
  for (let i = 0; i < tasks; i++) workers.push(asyncio.create_task(sleepWorker(k, c)));
  await asyncio.gather(...workers);
}

// task create+await: each of `tasks` workers creates a child task and awaits it, k times.
async function child(c) {
  c.n++;
  return 1;
}

async function spawnWorker(k, c) {
  let sum = 0;
  for (let i = 0; i < k; i++) sum += await asyncio.create_task(child(c));
  c.sum += sum;
}

export async function spawnMain(tasks, k, c) {
  const workers = [];
  for (let i = 0; i < tasks; i++) workers.push(asyncio.create_task(spawnWorker(k, c)));
  await asyncio.gather(...workers);
}

// Queue put/get pairs: `tasks` producer/consumer pairs, each pair through its own Queue(maxsize).
async function producer(q, k) {
  for (let i = 0; i < k; i++) await q.put(i);
}

async function consumer(q, k, c) {
  let sum = 0;
  for (let i = 0; i < k; i++) {
    sum += await q.get();
    c.n++;
  }
  c.sum += sum;
}

export async function queueMain(tasks, k, maxsize, c) {
  const workers = [];
  for (let i = 0; i < tasks; i++) {
    const q = new asyncio.Queue(maxsize);
    workers.push(asyncio.create_task(producer(q, k)), asyncio.create_task(consumer(q, k, c)));
  }
  await asyncio.gather(...workers);
}

// Bytes per pending task: `tasks` tasks each awaiting one Event; `measure()` runs while all of
// them are pending, then the event is set and every waiter must finish.
async function waiter(ev, c) {
  await ev.wait();
  c.n++;
}

export async function memMain(tasks, c, measure) {
  const ev = new asyncio.Event();
  const waiters = [];
  for (let i = 0; i < tasks; i++) waiters.push(asyncio.create_task(waiter(ev, c)));
  await asyncio.sleep(0);
  await asyncio.sleep(0);
  c.measured = measure();
  ev.set();
  await asyncio.gather(...waiters);
}
