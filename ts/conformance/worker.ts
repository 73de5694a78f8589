/**
 * The worker thread that runs tulip's side of the conformance suite for the runner
 * (implementations.ts, IsolatedTulip): one scenario at a time, in the form asked. The main
 * thread keeps a watchdog, so a step that never yields even where the runtime's budgets
 * cannot see it (a synchronous loop inside tulip itself) ends as a TIMEOUT, and a memory
 * limit turns a runaway allocation into one as well, instead of ending the whole run.
 *
 * workerData.preload: module URLs imported first (tests use it to inject a bug).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Form } from "./forms.js";
import { TulipImplementation, quietNeverAwaited } from "./implementations.js";
import type { Scenario } from "./scenario.js";

quietNeverAwaited();
for (const url of (workerData?.preload ?? []) as string[]) await import(url);
const tulips = new Map<Form, TulipImplementation>();
parentPort!.on("message", async ({ seq, sc, form, timeoutMs }: { seq: number; sc: Scenario; form: Form; timeoutMs: number }) => {
  let tulip = tulips.get(form);
  if (tulip === undefined) tulips.set(form, (tulip = new TulipImplementation(form)));
  parentPort!.postMessage({ seq, outcome: await tulip.run(sc, timeoutMs) });
});
parentPort!.postMessage({ ready: true });
