/**
 * A port of CPython's heapq (push, pop, heapify), sift for sift, so that entries with equal
 * keys come out in exactly CPython's order. heapq is not stable: twelve timers with one
 * deadline fire as 0 2 6 5 11 10 9 8 7 1 3 4, and asyncio users can observe that.
 */

export type Less<T> = (a: T, b: T) => boolean;

function siftdown<T>(heap: T[], startpos: number, pos: number, lt: Less<T>): void {
  const newitem = heap[pos];
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    const parent = heap[parentpos];
    if (lt(newitem, parent)) {
      heap[pos] = parent;
      pos = parentpos;
      continue;
    }
    break;
  }
  heap[pos] = newitem;
}

function siftup<T>(heap: T[], pos: number, lt: Less<T>): void {
  const endpos = heap.length;
  const startpos = pos;
  const newitem = heap[pos];
  let childpos = 2 * pos + 1;
  while (childpos < endpos) {
    const rightpos = childpos + 1;
    if (rightpos < endpos && !lt(heap[childpos], heap[rightpos])) childpos = rightpos;
    heap[pos] = heap[childpos];
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  heap[pos] = newitem;
  siftdown(heap, startpos, pos, lt);
}

export function heappush<T>(heap: T[], item: T, lt: Less<T>): void {
  heap.push(item);
  siftdown(heap, 0, heap.length - 1, lt);
}

export function heappop<T>(heap: T[], lt: Less<T>): T {
  const lastelt = heap.pop() as T;
  if (heap.length > 0) {
    const returnitem = heap[0];
    heap[0] = lastelt;
    siftup(heap, 0, lt);
    return returnitem;
  }
  return lastelt;
}

export function heapify<T>(heap: T[], lt: Less<T>): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftup(heap, i, lt);
}
