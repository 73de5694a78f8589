// The jobs bench/executors.bench.mjs runs in worker threads (each crosses by module and export name).
import { threadable } from "../dist/concurrent/index.js";

export const noop = threadable(import.meta.url, function noop(x) {
  return x;
});

/** CPU-bound: n rounds of integer mixing; the result depends on every round. */
export const burn = threadable(import.meta.url, function burn(n) {
  let h = 0;
  for (let i = 0; i < n; i++) h = (Math.imul(h ^ i, 2654435761) + 1) | 0;
  return h;
});
