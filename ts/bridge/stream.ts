/**
 * Streams: a remote async generator consumed with `for await`, and the producer that runs a
 * local one for the other side. Flow control is by credit: the consumer grants `window`
 * items up front and more (PULL) as it uses half of them; the producer asks its generator
 * for an item only while it holds credit, so it never runs more than `window` items ahead.
 */
import { CancelledError } from "../asyncio/exceptions.js";
import { createFuture, type TaskHandle } from "./aio.js";
import type { Peer, Remote } from "./peer.js";
import { END, ITEM, RESULT } from "./wire.js";

type Slot = { item: true; value: unknown } | { item: false; error: unknown };

/** An async iterator over a remote async generator (`peer.stream(...)`). */
export class RemoteStream<T = unknown> implements AsyncIterableIterator<T> {
  private id: number | null = null;
  private opening: Promise<number> | null = null;
  private readonly slots: Slot[] = [];
  private wake: (() => void) | null = null;
  private finished = false; // END or ERROR arrived
  private closed = false;
  private consumed = 0;

  constructor(private readonly peer: Peer, private readonly name: string, private readonly args: unknown[],
              private readonly kwargs: Record<string, unknown> | null) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** @internal */
  _onFrame(kind: number, value: unknown): void {
    if (this.finished) return;
    if (kind === ITEM) this.slots.push({ item: true, value });
    else {
      this.finished = true;
      if (this.id !== null) this.peer._pending.delete(this.id);
      this.slots.push({ item: false, error: kind === END || kind === RESULT ? null : value });
    }
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.closed) return { done: true, value: undefined };
    if (this.id === null) {
      this.opening ??= this.peer._openStream(this, this.name, this.args, this.kwargs);
      this.id = await this.opening;
    }
    while (this.slots.length === 0) {
      if (this.closed) return { done: true, value: undefined };
      // A loop Future when a tulip loop runs, so cancelling the consuming task lands here.
      const fut = createFuture<void>(this.peer._loop());
      this.wake = () => void (fut.done() || fut.set_result(undefined));
      try {
        await fut;
      } catch (e) {
        await this.return(); // the consumer was cancelled: close the remote generator
        throw e;
      }
    }
    const slot = this.slots.shift()!;
    if (!slot.item) {
      this.closed = true;
      if (slot.error === null) return { done: true, value: undefined };
      throw slot.error;
    }
    if (++this.consumed * 2 >= this.peer.streamWindow) {
      this.peer._pull(this.id, this.consumed); // half the window used: grant that much again
      this.consumed = 0;
    }
    return { done: false, value: slot.value as T };
  }

  /** Stops early (`break` in `for await` calls this): the remote generator is closed. */
  async return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      if (this.id !== null && !this.finished) this.peer._closeStream(this.id);
      this.finished = true;
      const w = this.wake;
      this.wake = null;
      w?.();
    }
    return { done: true, value: undefined };
  }

  async throw(e: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw e;
  }
}

/**
 * The most items a producer runs ahead of its consumer, whatever window the consumer asks for:
 * a consumer that grants 10^9 and never reads must not make the producer buffer 10^9 items.
 */
export const MAX_STREAM_WINDOW = 1024;

/** Runs a local async iterator for a remote consumer, within the credit it grants (never above its window). */
export class Producer {
  private credit: number;
  private readonly window: number;
  private waiter: (() => void) | null = null;
  private cancelled = false;
  /** The task running `run()` (set by the peer). */
  task: TaskHandle | null = null;

  constructor(private readonly peer: Peer, private readonly remote: Remote, private readonly id: number,
              private readonly it: AsyncIterator<unknown>, credit: number) {
    this.window = Math.min(credit, MAX_STREAM_WINDOW);
    this.credit = this.window;
  }

  addCredit(n: number): void {
    this.credit = Math.min(this.credit + n, this.window);
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** The consumer left (or died): stop and close the generator (its `finally` runs). */
  cancel(msg?: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const w = this.waiter;
    this.waiter = null;
    w?.();
    this.task?.cancel(msg);
  }

  async run(): Promise<void> {
    try {
      for (;;) {
        while (this.credit <= 0 && !this.cancelled) await new Promise<void>((r) => (this.waiter = r));
        if (this.cancelled) return;
        this.credit--;
        const r = await this.it.next();
        if (this.cancelled) return;
        if (r.done) return this.peer._sendEnd(this.remote, this.id);
        this.peer._reply(this.remote, ITEM, this.id, r.value);
      }
    } catch (e) {
      if (!this.cancelled) this.peer._reply(this.remote, 4 /* ERROR */, this.id, e);
    } finally {
      if (this.cancelled) {
        try {
          await this.it.return?.();
        } catch (e) {
          if (!(e instanceof CancelledError)) this.peer._reply(this.remote, 4, this.id, e);
        }
      }
    }
  }
}
