// The named semantic mutations of `npm run mutate` (scripts/mutate.mjs): each one a bug that
// could plausibly be written into the code that drives plain and lazy async functions — the
// task step and its wakeup, the hand-over of a plain body to its task, the suspension report
// of an `await`, the promise-hook frame that says which task an `await` belongs to, the
// compiled coroutines' runtime, and the done callbacks of futures — plus the two "a step that
// never yields" bugs of issue 13, which must come out as TIMEOUTs of scenarios.
//
// `find` must occur exactly once in `file` (ts/test/conformance/mutations.test.ts checks
// this against today's source, so the list cannot drift silently); `replace` is what it
// becomes. `models` says, in one line, which real bug the mutant stands for.

/** @type {{ id: string, file: string, find: string, replace: string, models: string }[]} */
export const MUTATIONS = [
  // ---- the two of issue 13: a step that never yields ----
  {
    id: "sleep0-returns-at-once",
    file: "ts/asyncio/coroutines.ts",
    find: "      this._state = 1;\n      return BARE_YIELD;",
    replace: "      this._state = 2;\n      return { value: this._result, done: true };",
    models: "sleep(0) returns without yielding, so a `while (…) await sleep(0)` loop never gives the loop back",
  },
  {
    id: "callback-requeued-into-batch",
    file: "ts/asyncio/base_events.ts",
    find: "    this._ready.push(handle);\n    if (this._idle) this._wakeup();",
    replace: "    this._ready.push(handle);\n    if (this._inBatch) this._ntodo++;\n    if (this._idle) this._wakeup();",
    models: "a callback scheduled while a batch runs joins that batch, so a task stepping itself with sleep(0) never ends it",
  },

  // ---- the task step ----
  {
    id: "wakeup-by-any-future",
    file: "ts/asyncio/tasks.ts",
    find: "    if (future !== this._fut_waiter) return;\n",
    replace: "",
    models: "__wakeup steps the task for any future whose callback it is on, not only the one it waits on",
  },
  {
    id: "cancel-not-forwarded",
    file: "ts/asyncio/tasks.ts",
    find: "      if (this._fut_waiter.cancel(msg)) {",
    replace: "      if (this._fut_waiter.done()) {",
    models: "cancel() of a suspended task does not cancel the future it waits on, so the body never sees CancelledError there",
  },
  {
    id: "cancel-during-step-lost",
    file: "ts/asyncio/tasks.ts",
    find: "          if (this._must_cancel) {\n            if (fut.cancel(this._cancel_message)) this._must_cancel = false;\n          }\n",
    replace: "",
    models: "a cancel() that arrives while the task runs is not forwarded to the future it then suspends on",
  },
  {
    id: "foreign-wait-not-aborted",
    file: "ts/asyncio/tasks.ts",
    find: "        if (w.aborted) return; // cancelled meanwhile: the outcome is dropped",
    replace: "        // (mutant: a cancelled foreign wait still resumes the body)",
    models: "a task cancelled while waiting on a foreign promise is resumed a second time when the promise settles",
  },
  {
    id: "foreign-cancel-waits-for-promise",
    file: "ts/asyncio/tasks.ts",
    find: "    if (w !== null && this._fut_waiter === null && this._foreign) {",
    replace: "    if (w !== null && this._fut_waiter === null && !this._foreign) {",
    models: "cancel() of a task suspended on a foreign promise waits for the promise instead of waking the task at once",
  },
  {
    id: "await-of-future-is-bad-yield",
    file: "ts/asyncio/tasks.ts",
    find: "      } else if (fut._asyncio_future_blocking || viaAwait) {",
    replace: "      } else if (fut._asyncio_future_blocking) {",
    models: "an async function's `await fut` (reported through then, not yield*) is refused as a bare `yield fut`",
  },
  {
    id: "foreign-step-not-marked",
    file: "ts/asyncio/tasks.ts",
    find: "  _stepWentForeign(): void {\n    this._foreign = true;\n  }",
    replace: "  _stepWentForeign(): void {}",
    models: "a body resumed by a foreign promise is not known to be its task's, so its next `await` cannot suspend the task",
  },

  // ---- the hand-over of plain bodies and the suspension report ----
  {
    id: "adopt-no-retag",
    file: "ts/asyncio/tasks.ts",
    find: "      retagSince(body, this);\n",
    replace: "",
    models: "a plain body called in another task's step keeps its first await credited to the caller (the wrong task)",
  },
  {
    id: "adopt-not-foreign",
    file: "ts/asyncio/tasks.ts",
    find: "    this._foreign = true;\n    if (_inFrame()) {",
    replace: "    if (_inFrame()) {",
    models: "a task made of a started plain body cannot be suspended by that body's first await (no _fut_waiter: cancel is lost)",
  },
  {
    id: "adopt-top-level-no-frame",
    file: "ts/asyncio/tasks.ts",
    find: "      _setTopLevelFrame(this);\n",
    replace: "",
    models: "asyncio.run(main()) with a plain main: main's code is not run in its task's frame (current_task, contextvars)",
  },
  {
    id: "wait_for-takes-plain-late",
    file: "ts/asyncio/tasks.ts",
    find: "  if (fut instanceof Promise && _inFrame()) fut = ensure_future(fut);\n",
    replace: "",
    models: "wait_for(plainCall(), t) takes the body into its task only at wait_for's first step, after the caller was credited",
  },
  {
    id: "suspend-any-task",
    file: "ts/asyncio/tasks.ts",
    find: "  return task instanceof Task && task._canSuspend() ? task : null;",
    replace: "  return task instanceof Task && !task.done() ? task : null;",
    models: "an await is credited to the frame's task even when that task is not the one stepping (wrong task suspended)",
  },
  {
    id: "await-cancel-as-result",
    file: "ts/asyncio/tasks.ts",
    find: "  task._yielded(fut, (exc) => (exc !== NOEXC ? onRej(exc) : fut._resolveWith(fut._result, onRes, onRej)), true);",
    replace: "  task._yielded(fut, () => fut._resolveWith(fut._result, onRes, onRej), true);",
    models: "the exception thrown in at an async function's `await fut` (a cancellation) is delivered as the future's result",
  },
  {
    id: "inline-await-outside-frame",
    file: "ts/asyncio/tasks.ts",
    find: "    const prev = _enterFrame(task);\n    try {\n      task._driveGen(body, NOEXC, undefined, onRes, onRej);",
    replace: "    const prev = _enterFrame(_inFrame() ? task : (undefined as unknown as _Frame));\n    try {\n      task._driveGen(body, NOEXC, undefined, onRes, onRej);",
    models: "a coroutine awaited inline by the top-level plain main runs outside main's frame: plain bodies it starts cannot be handed to their own tasks",
  },
  {
    id: "lazy-await-error-as-result",
    file: "ts/asyncio/tasks.ts",
    find: "  if (body instanceof Promise) {\n    body.then(onRes, onRej);\n    return;\n  }",
    replace: "  if (body instanceof Promise) {\n    body.then(onRes, onRes);\n    return;\n  }",
    models: "awaiting a lazy async coroutine hands its exception back as its result",
  },

  // ---- the promise-hook frame (ts/_asynclocal.ts) ----
  {
    id: "asynclocal-promise-untagged",
    file: "ts/_asynclocal.ts",
    find: "        promise[SLOT] = current;\n",
    replace: "",
    models: "a promise made in a task does not carry the task's frame: continuations after an await run outside every task",
  },
  {
    id: "asynclocal-frame-leaks",
    file: "ts/_asynclocal.ts",
    find: "      current = saved.pop();",
    replace: "      saved.pop();",
    models: "a promise reaction's frame is not restored when the reaction ends: it leaks into the code that runs next",
  },
  {
    id: "asynclocal-log-kept-across-jobs",
    file: "ts/_asynclocal.ts",
    find: "      clearLog();\n      saved.push(current);",
    replace: "      saved.push(current);",
    models: "the log of promises a body's eager start made is not reset per job, so retagging moves an earlier job's promises",
  },
  {
    id: "retag-skips-own-promise",
    file: "ts/_asynclocal.ts",
    find: "  for (let j = i; j < logCount; j++) if (log[j]![SLOT] === from) log[j]![SLOT] = value;",
    replace: "  for (let j = i + 1; j < logCount; j++) if (log[j]![SLOT] === from) log[j]![SLOT] = value;",
    models: "off by one: the hand-over moves the promises after the body's own promise but not that promise itself",
  },
  {
    id: "retag-other-frames",
    file: "ts/_asynclocal.ts",
    find: "  for (let j = i; j < logCount; j++) if (log[j]![SLOT] === from) log[j]![SLOT] = value;",
    replace: "  for (let j = i; j < logCount; j++) log[j]![SLOT] = value;",
    models: "the hand-over also moves promises made meanwhile by other frames (another task's awaits credited to this one)",
  },

  // ---- the compiled coroutines' runtime (ts/asyncio/coroutines.ts, what ts/compile.ts emits calls) ----
  {
    id: "compiled-await-error-ignored",
    file: "ts/asyncio/coroutines.ts",
    find: "          } catch (e) {\n            exc = e;\n          }",
    replace: "          } catch (e) {\n            exc = NO_EXC;\n            value = undefined;\n          }",
    models: "an exception (a cancellation) at a compiled coroutine's await is swallowed: the await gives undefined",
  },
  {
    id: "compiled-close-skips-finally",
    file: "ts/asyncio/coroutines.ts",
    find: "    this._gen.return(undefined); // runs the body's finally blocks",
    replace: "    // (mutant: the body is not closed)",
    models: "a compiled coroutine closed while suspended does not run its body's finally blocks",
  },
  {
    id: "then-does-not-claim",
    file: "ts/asyncio/coroutines.ts",
    find: "  then<R1 = T, R2 = never>(onRes?: ((v: T) => R1 | PromiseLike<R1>) | null, onRej?: ((e: any) => R2 | PromiseLike<R2>) | null): any {\n    this._claimed = true;",
    replace: "  then<R1 = T, R2 = never>(onRes?: ((v: T) => R1 | PromiseLike<R1>) | null, onRej?: ((e: any) => R2 | PromiseLike<R2>) | null): any {",
    models: "a compiled coroutine awaited by code outside every task still counts as an orphan and is also run as a task of its own",
  },

  {
    id: "compile-skips-async-arrows",
    file: "ts/compile.ts",
    find: "if (!path.node.async || path.node.generator || keptPlain(path)) return;",
    replace: "if (!path.node.async || path.node.generator || keptPlain(path) || t.isArrowFunctionExpression(path.node)) return;",
    models: "the compile step leaves async arrows as plain async functions (only declarations and methods become coroutines)",
  },

  // ---- futures' callbacks and their await ----
  {
    id: "done-callbacks-reversed",
    file: "ts/asyncio/futures.ts",
    find: "    for (let i = 0; i < callbacks.length; i += 2) {\n      const cb = callbacks[i];",
    replace: "    for (let i = callbacks.length - 2; i >= 0; i -= 2) {\n      const cb = callbacks[i];",
    models: "a future's done callbacks are scheduled last-added first",
  },
  {
    id: "await-done-future-yields",
    file: "ts/asyncio/futures.ts",
    find: "    if (this._state !== _PENDING) {\n      this._settle(res, rej);\n      return undefined;\n    }",
    replace: "    if (this._state !== _PENDING) {\n      this.add_done_callback(() => this._settle(res, rej));\n      return undefined;\n    }",
    models: "an async function's `await` of a future that is already done waits for a loop iteration (Python's does not yield)",
  },
  {
    id: "await-pending-future-unreported",
    file: "ts/asyncio/futures.ts",
    find: "    if (suspendHook !== null && suspendHook(this, res, rej)) return undefined;\n",
    replace: "",
    models: "an async function's `await fut` does not suspend its task (no _fut_waiter): the task cannot be cancelled there",
  },
  {
    id: "done-callback-context-ignored",
    file: "ts/asyncio/futures.ts",
    find: "      const ctx = context ?? copy_context();",
    replace: "      const ctx = copy_context();",
    models: "add_done_callback(cb, { context }) runs cb in the adder's context instead of the one given",
  },
];

/** Applies a mutation to a file's text; throws unless its snippet occurs exactly once. */
export function mutate(source, m) {
  const at = source.indexOf(m.find);
  if (at < 0 || source.indexOf(m.find, at + 1) >= 0) {
    throw new Error(`${m.id}: its snippet must occur exactly once in ${m.file} (found ${source.split(m.find).length - 1})`);
  }
  return source.slice(0, at) + m.replace + source.slice(at + m.find.length);
}
