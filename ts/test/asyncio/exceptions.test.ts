import { CancelledError, Exception, ExceptionGroup, IncompleteReadError, OSError, RuntimeError, ValueError, BaseException } from "../../asyncio/exceptions.js";

test("names and messages read as CPython's", () => {
  const e = new RuntimeError("Event loop is closed");
  expect(`${e.name}: ${e.message}`).toBe("RuntimeError: Event loop is closed");
  expect(new CancelledError().message).toBe("");
  expect(new IncompleteReadError(new Uint8Array(3), 10).message).toBe("3 bytes read on a total of 10 expected bytes");
  expect(new OSError(98, "Address already in use").message).toBe("[Errno 98] Address already in use");
});

test("hierarchy: CancelledError is a BaseException, not an Exception", () => {
  expect(new CancelledError()).toBeInstanceOf(BaseException);
  expect(new CancelledError() instanceof Exception).toBe(false);
  expect(new Error("x") instanceof Exception).toBe(true);
  expect(new ValueError() instanceof RuntimeError).toBe(false);
});

test("ExceptionGroup split/subgroup keep the nesting", () => {
  const g = new ExceptionGroup("eg", [new ValueError("a"), new ExceptionGroup("inner", [new RuntimeError("b"), new ValueError("c")])]);
  expect(g.message).toBe("eg (2 sub-exceptions)");
  const [m, r] = g.split(ValueError);
  expect(m!.exceptions.length).toBe(2);
  expect((m!.exceptions[1] as ExceptionGroup).exceptions.map((e) => (e as Error).message)).toEqual(["c"]);
  expect(r!.exceptions.length).toBe(1);
  expect(g instanceof Exception).toBe(true);
  expect(() => new ExceptionGroup("x", [])).toThrow(ValueError);
});
