// tulip's public surface against CPython's asyncio.__all__ (read from the real Python).
import * as asyncio from "../../asyncio/index.js";
import { cpython } from "../helpers/cpython.js";

/**
 * asyncio names tulip does not export yet, each with the issue that brings it. The test
 * fails when one of them appears, so this list stays true.
 */
const NOT_YET: Record<string, string> = {};

test("every name in CPython's asyncio.__all__ is exported, or listed as not yet", () => {
  const names = JSON.parse(cpython("import asyncio, json; print(json.dumps(sorted(asyncio.__all__)))")[0]) as string[];
  const exported = new Set(Object.keys(asyncio));
  const missing = names.filter((n) => !exported.has(n) && !(n in NOT_YET));
  expect(missing).toEqual([]);
  const stale = Object.keys(NOT_YET).filter((n) => exported.has(n) && (asyncio.__all__ as readonly string[]).includes(n));
  expect(stale).toEqual([]);
  // each module's __all__ names something it really exports
  for (const n of asyncio.__all__) expect(exported.has(n)).toBe(true);
});

test("names Node cannot support raise NotImplementedError saying why", async () => {
  expect(() => new asyncio.SafeChildWatcher()).toThrow(/child_process reaps its children/);
  expect(() => asyncio.get_child_watcher()).toThrow(asyncio.NotImplementedError);
  const loop = asyncio.new_event_loop();
  expect(() => loop.add_reader(3, () => {})).toThrow(/raw file descriptors/);
  loop.close();
});
