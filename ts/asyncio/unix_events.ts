/**
 * Child watchers (unix_events.py). Node's child_process reaps its children itself, so there
 * is nothing to watch: like asyncio's Proactor loop (which has no watchers), each class
 * raises NotImplementedError saying so. They exist so that ported code gets that clear error.
 */
import { NotImplementedError } from "./exceptions.js";

export const __all__ = [
  "AbstractChildWatcher", "SafeChildWatcher", "FastChildWatcher", "PidfdChildWatcher",
  "MultiLoopChildWatcher", "ThreadedChildWatcher",
] as const;

const WHY = "child watchers are not needed on Node.js: child_process reaps its children and reports their exit";

export abstract class AbstractChildWatcher {
  constructor() {
    throw new NotImplementedError(`${new.target.name}: ${WHY}`);
  }
}
export class SafeChildWatcher extends AbstractChildWatcher {}
export class FastChildWatcher extends AbstractChildWatcher {}
export class PidfdChildWatcher extends AbstractChildWatcher {}
export class MultiLoopChildWatcher extends AbstractChildWatcher {}
export class ThreadedChildWatcher extends AbstractChildWatcher {}
