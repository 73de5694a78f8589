// ContextVar.set() returns a Token; reset(token) restores the previous value; a token works once.
import * as asyncio from "tulip";
import { ContextVar, type Token } from "tulip/contextvars";

const level = new ContextVar<number>("level");

async function nested(): Promise<Token<number>> {
  const token = level.set(level.get() + 1);
  try {
    console.log("inside, level", level.get());
    await asyncio.sleep(0);
  } finally {
    level.reset(token);
  }
  return token;
}

async function main(): Promise<void> {
  try {
    level.get();
  } catch (e) {
    if (!(e instanceof asyncio.LookupError)) throw e;
    console.log("no value yet:", e.name);
  }
  console.log("get with a default:", level.get(42));
  level.set(1);
  const token = await nested();
  console.log("after reset, level", level.get());
  const t = level.set(5);
  level.reset(t);
  try {
    level.reset(t);
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    console.log("a used token raises RuntimeError");
  }
  console.log("level", level.get());
}

await asyncio.run(main());
