// Shared by the order tests: run a scenario on tulip's virtual-time loop, and the same
// program on CPython 3.11 (with a virtual clock), each printing one line per event.
import * as asyncio from "../../asyncio/index.js";
import { VirtualTimeLoop } from "../../testing.js";
import { cpython, py } from "./cpython.js";

const { coroutine } = asyncio;
/** Python's `f"{x:g}"` for the times the traces print. */
export const g = (x: number): string => String(Number(x.toPrecision(6)));

export const fmt = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;

export async function trace(main: (out: string[], loop: VirtualTimeLoop) => unknown): Promise<string[]> {
  const out: string[] = [];
  const loop = new VirtualTimeLoop();
  asyncio.set_event_loop(loop);
  try {
    const r = await loop.run_until_complete(coroutine(async () => main(out, loop))());
    if (r !== undefined) out.push(`result ${r}`);
  } catch (e) {
    out.push(`raised ${fmt(e)}`);
  } finally {
    loop.close();
    asyncio.set_event_loop(null);
  }
  return out;
}

// Python side: a virtual-clock loop, so sleeps are instant and times exact.
export const PRELUDE = py`
  import asyncio
  class VLoop(asyncio.SelectorEventLoop):
      def __init__(self):
          super().__init__(); self._t = 0.0
          sel = self._selector; orig = sel.select
          def select(timeout=None):
              if timeout: self._t += timeout
              return orig(0)
          sel.select = select
      def time(self): return self._t
  def fmt(e): return f"{type(e).__name__}: {e}"
  def run(main):
      loop = VLoop(); asyncio.set_event_loop(loop)
      try:
          r = loop.run_until_complete(main())
          if r is not None: print(f"result {r}")
      except BaseException as e:
          print(f"raised {fmt(e)}")
      finally:
          loop.close()
`;
export const pyrun = (body: string) => cpython(PRELUDE + "\n" + py([body] as unknown as TemplateStringsArray));

