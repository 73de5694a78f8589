// gather: a tuple of the results, one per argument, in order; return_exceptions widens each.
import * as asyncio from "tulip";
import { BaseException, Future } from "tulip";
import { expectType } from "./_expect.js";

async function num(): Promise<number> {
  return 1;
}
const lazyStr = asyncio.coroutine(async function lazyStr(): Promise<string> {
  return "s";
});
const genBool = asyncio.coroutine(function* genBool(): Generator<unknown, boolean, unknown> {
  return true;
});

export async function main(): Promise<void> {
  const fut = asyncio.get_running_loop().create_future<bigint>();
  const task = asyncio.create_task(num());

  expectType<Future<[number, string]>>()(asyncio.gather(num(), lazyStr()));
  expectType<[number, string, boolean, bigint, number, null]>()(
    await asyncio.gather(num(), lazyStr(), genBool(), fut, task, asyncio.sleep(0)),
  );
  expectType<[number, string]>()(await asyncio.gather(() => num(), async () => "lazy"));
  const [a, b] = await asyncio.gather(num(), lazyStr());
  const a1: number = a;
  const b1: string = b;
  // @ts-expect-error the second result is a string
  const b2: number = b;
  // @ts-expect-error there are two results
  const [, , c] = await asyncio.gather(num(), lazyStr());

  // an array of one type: an array of results
  const many = [num(), num(), num()];
  expectType<number[]>()(await asyncio.gather(...many));
  expectType<[]>()(await asyncio.gather());

  // return_exceptions: each result may be what its awaitable raised instead
  const [x, y] = await asyncio.gather(num(), lazyStr(), { return_exceptions: true });
  expectType<number | BaseException | Error>()(x);
  expectType<string | BaseException | Error>()(y);
  if (!(x instanceof Error)) expectType<number>()(x);
  // @ts-expect-error it may be an exception
  const x1: number = x;
  expectType<(number | BaseException | Error)[]>()(await asyncio.gather(...many, { return_exceptions: true }));
  const flag: boolean = Math.random() > 0.5;
  expectType<[number | BaseException | Error]>()(await asyncio.gather(num(), { return_exceptions: flag }));
  expectType<[number, string]>()(await asyncio.gather(num(), lazyStr(), { return_exceptions: false }));

  // @ts-expect-error a number is not awaitable
  asyncio.gather(num(), 5);
  // @ts-expect-error gather's only option is return_exceptions
  asyncio.gather(num(), { return_exception: true });
}
