"""The CPython conformance interpreter: runs a scenario (spec/README.md) on a real asyncio
loop and returns its trace.

A scenario's coroutines become real coroutines (``async def``), its functions real
callables, and every asyncio call is the real one, so the order of events is CPython's.
Bodies are run by one generator-based executor: an ``await`` step yields the awaitable to
the coroutine frame that drives the generator, which awaits it for real and sends back
the result (or throws the exception). The TypeScript interpreter is built the same way
on generator coroutines, which is what lets both run in exactly the same order.
"""

import asyncio
import asyncio.runners
import contextvars
import re

from . import loops
from .trace_format import ClockReading, Tagger, dumps, format_time
from .virtual_loop import Deadlock, IterationLimit, VirtualTimeLoop

__all__ = ["run_scenario", "ScenarioError"]


class ScenarioError(Exception):
    """The scenario itself is wrong (unknown name, await in a function…). Never caught by
    a scenario's own except clauses; the run reports ERROR."""


# Exception types a scenario may construct, raise and catch (all exist in tulip too).
EXCEPTIONS = {
    "BaseException": BaseException,
    "Exception": Exception,
    "RuntimeError": RuntimeError,
    "NotImplementedError": NotImplementedError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "IndexError": IndexError,
    "KeyboardInterrupt": KeyboardInterrupt,
    "SystemExit": SystemExit,
    "CancelledError": asyncio.CancelledError,
    "TimeoutError": TimeoutError,
    "IncompleteReadError": asyncio.IncompleteReadError,
    "ConnectionResetError": ConnectionResetError,
    "InvalidStateError": asyncio.InvalidStateError,
    "QueueEmpty": asyncio.QueueEmpty,
    "QueueFull": asyncio.QueueFull,
    "BrokenBarrierError": asyncio.BrokenBarrierError,
    "BaseExceptionGroup": BaseExceptionGroup,
    "ExceptionGroup": ExceptionGroup,
}

# Loop exception-handler messages that depend on garbage collection (when __del__ runs),
# which no other runtime can reproduce: never traced.
_GC_MESSAGES = (
    "Task exception was never retrieved",
    "Future exception was never retrieved",
    "Task was destroyed but it is pending",
)

# The protocol callbacks a scenario may map to its functions (the `protocol` expression).
PROTOCOL_CALLBACKS = ("connection_made", "data_received", "eof_received", "connection_lost",
                      "pause_writing", "resume_writing")

_DEFAULT_TASK_NAME = re.compile(r"Task-\d+")

_BINARY = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "is": lambda a, b: a is b,
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "mod": lambda a, b: a % b,
    "index": lambda a, b: a[b],
}


class _Return:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


_BREAK = object()
_CONTINUE = object()


class Frame:
    """One activation of main, a coroutine or a function: its locals, and its actor."""

    def __init__(self, variables: dict, globals_: dict, actor: str):
        self.vars = variables
        self.globals = globals_
        self.actor = actor
        self.handling: list[BaseException] = []  # exceptions being handled, for bare raise

    def lookup(self, name: str):
        if name in self.vars:
            return self.vars[name]
        if name in self.globals:
            return self.globals[name]
        raise ScenarioError(f"name {name!r} is not bound")


class Interpreter:
    def __init__(self, scenario: dict, shuffle_seed: int | None = None, loop: str = "asyncio",
                 real_clock: bool = False):
        loops.check(loop)
        self.sc = scenario
        self.shuffle_seed = shuffle_seed
        self.coroutines = scenario.get("coroutines", {})
        self.functions = scenario.get("functions", {})
        # uvloop's timers are libuv's, on the machine's clock: it has no virtual clock, so on
        # uvloop every scenario runs on the real clock (traced as `-`, its readings marked).
        # `real_clock` does the same on asyncio: the control that tells uvloop's differences
        # from a real clock's.
        self.on_uvloop = loop == "uvloop"
        self.forced_real = real_clock or self.on_uvloop
        self.virtual = scenario.get("clock", "virtual") == "virtual" and not self.forced_real
        self.lines: list[str] = []
        self.labels: dict[int, tuple[object, str]] = {}
        self.coro_labels: dict[int, tuple[object, str]] = {}
        self.fn_cache: dict[str, object] = {}
        self.globals: dict = {}
        self.errors: list[BaseException] = []
        self.finished = False
        self.loop = None
        self.origin = 0.0  # with forced_real, the loop's time when the run began (ClockReading)
        self.main_task = None
        self.tagger = Tagger(self.labels, self.task_name, self.coro_label)

    # -- naming ---------------------------------------------------------------------
    def coro_label(self, coro) -> str:
        entry = self.coro_labels.get(id(coro))
        return entry[1] if entry is not None and entry[0] is coro else "?"

    def task_name(self, task) -> str:
        """A task's actor: its name if the scenario gave one, else its coroutine's label."""
        name = task.get_name()
        if not _DEFAULT_TASK_NAME.fullmatch(name):
            return name
        return self.coro_label(task.get_coro())

    def current_actor(self) -> str:
        task = asyncio.current_task()
        return "?" if task is None else self.task_name(task)

    def bind(self, frame: Frame, name: str, value) -> None:
        frame.vars[name] = value
        if not (value is None or isinstance(value, (bool, int, float, str, list, tuple))):
            self.labels.setdefault(id(value), (value, name))

    # -- trace ----------------------------------------------------------------------
    def emit(self, actor: str, event: str, args: list) -> None:
        if self.finished:
            return
        loop = self.loop
        # On the real clock, times and iteration counts depend on the machine: order only.
        t = format_time(loop.time()) if self.virtual else "-"
        it = loop.iteration if self.virtual else "-"
        self.lines.append(f"{t} {it} {actor} {event} {dumps(self.tagger.tag(args))}")

    def on_loop_exception(self, loop, context: dict) -> None:
        message = context.get("message", "")
        if message.startswith(_GC_MESSAGES):
            return
        kind = "callback" if message.startswith("Exception in callback") else message
        self.emit("loop", "exception", [kind, context.get("exception")])

    # -- running --------------------------------------------------------------------
    def run(self) -> list[str]:
        if self.on_uvloop:
            loop = self.loop = loops.new_uvloop()
        else:
            loop = self.loop = VirtualTimeLoop() if self.virtual else _CountingLoop()
        self.origin = loop.time()
        loop.set_exception_handler(self.on_loop_exception)
        if self.shuffle_seed is not None:
            loop.set_task_factory(_shuffled_task_factory(self.shuffle_seed))
        main = self.make_coro("main", [], "main", self.sc["main"], globals_frame=True)
        stuck = False
        try:
            # What asyncio.run / asyncio.Runner do, written out so that a deadlock can stop
            # the run instead of hanging it.
            task = self.main_task = loop.create_task(main, context=contextvars.copy_context())
            try:
                result = loop.run_until_complete(task)
            except (Deadlock, IterationLimit) as e:
                stuck = True
                self.emit("loop", "deadlock" if isinstance(e, Deadlock) else "limit", [])
            except ScenarioError as e:
                self.errors.append(e)
            except BaseException as e:  # noqa: B902 - the scenario's own outcome
                self.emit("runner", "raise", [e])
            else:
                self.emit("runner", "return", [result])
            if not stuck:
                try:
                    asyncio.runners._cancel_all_tasks(loop)
                    loop.run_until_complete(loop.shutdown_asyncgens())
                    loop.run_until_complete(loop.shutdown_default_executor())
                except (Deadlock, IterationLimit) as e:
                    self.emit("loop", "deadlock" if isinstance(e, Deadlock) else "limit", [])
        finally:
            self.finished = True
            loop.close()
        if self.errors:
            raise self.errors[0]
        return self.lines

    # -- coroutines and functions -----------------------------------------------------
    def make_coro(self, name, args, label, body=None, globals_frame=False):
        if body is None:
            if name not in self.coroutines:
                raise ScenarioError(f"no coroutine named {name!r}")
            defn = self.coroutines[name]
            params, body = defn.get("params", []), defn["body"]
            if len(params) != len(args):
                raise ScenarioError(f"{name} takes {len(params)} arguments, got {len(args)}")
            variables = dict(zip(params, args))
        else:
            variables = None
        coro = self._coro_body(name, args, body, variables)
        self.coro_labels[id(coro)] = (coro, label)
        return coro

    async def _coro_body(self, name, args, body, variables):
        frame = Frame(self.globals if variables is None else variables, self.globals,
                      self.current_actor())
        self.emit(frame.actor, "start", [name, *args])
        gen = self.exec_block(body, frame)
        send, exc = None, None
        try:
            while True:
                try:
                    aw = gen.send(send) if exc is None else gen.throw(exc)
                except StopIteration as stop:
                    sig = stop.value
                    break
                try:
                    send, exc = await aw, None
                except BaseException as e:  # noqa: B902 - handed to the scenario's body
                    send, exc = None, e
        except ScenarioError as e:
            self.errors.append(e)
            raise
        except BaseException as e:
            self.emit(frame.actor, "raise", [name, e])
            raise
        finally:
            exc = None
        value = sig.value if isinstance(sig, _Return) else None
        self.emit(frame.actor, "return", [name, value])
        return value

    def make_corofn(self, name):
        """The scenario's coroutine as a coroutine function: each call makes a coroutine."""
        if name not in self.coroutines:
            raise ScenarioError(f"no coroutine named {name!r}")

        def corofn(*args):
            return self.make_coro(name, list(args), name)

        corofn.__name__ = corofn.__qualname__ = name
        return corofn

    def make_protocol(self, callbacks: dict, label: str):
        """A protocol factory: each protocol it makes calls the scenario's functions from
        the callbacks mapped in ``callbacks``, and keeps asyncio.Protocol's defaults for
        the rest. The protocol and its transport are labelled ``label`` in traces."""
        unknown = sorted(set(callbacks) - set(PROTOCOL_CALLBACKS))
        if unknown:
            raise ScenarioError(f"not a protocol callback: {', '.join(unknown)}")
        fns = {cb: self.make_fn(name) for cb, name in callbacks.items()}
        interp = self

        def forward(cb):
            def method(self, *args):
                try:
                    return fns[cb](*args)
                except ScenarioError:
                    # Raised into the transport, it would only reach the exception handler
                    # and main would wait forever: end the run, which reports ERROR.
                    interp.main_task.cancel()
                    raise
            method.__name__ = cb
            return method

        made = forward("connection_made") if "connection_made" in fns else None

        class ScenarioProtocol(asyncio.Protocol):
            def __init__(self):
                interp.labels.setdefault(id(self), (self, label))

            def connection_made(self, transport):
                interp.labels.setdefault(id(transport), (transport, label))
                if made is not None:
                    made(self, transport)

        for cb in fns:
            if cb != "connection_made":
                setattr(ScenarioProtocol, cb, forward(cb))
        return ScenarioProtocol

    def make_fn(self, name):
        if name not in self.functions:
            raise ScenarioError(f"no function named {name!r}")
        if name not in self.fn_cache:
            defn = self.functions[name]

            def fn(*args):
                return self._call_fn(name, defn, args)

            fn.__name__ = fn.__qualname__ = name
            self.fn_cache[name] = fn
        return self.fn_cache[name]

    def _call_fn(self, name, defn, args):
        params = defn.get("params", [])
        if len(params) != len(args):
            raise ScenarioError(f"{name} takes {len(params)} arguments, got {len(args)}")
        frame = Frame(dict(zip(params, args)), self.globals, name)
        self.emit(name, "call", list(args))
        gen = self.exec_block(defn["body"], frame)
        try:
            gen.send(None)
        except StopIteration as stop:
            sig = stop.value
        except ScenarioError as e:
            self.errors.append(e)
            raise
        except BaseException as e:
            self.emit(name, "raise", [e])
            raise
        else:
            gen.close()
            e = ScenarioError(f"function {name} awaits")
            self.errors.append(e)
            raise e
        return sig.value if isinstance(sig, _Return) else None

    # -- statements (generators: yield an awaitable, get its result back) -------------
    def exec_block(self, steps, frame):
        for step in steps:
            sig = yield from self.exec_step(step, frame)
            if sig is not None:
                return sig
        return None

    def exec_step(self, st, frame):
        if "await" in st:
            value = yield self.eval(st["await"], frame)
            if "as" in st:
                self.bind(frame, st["as"], value)
        elif "do" in st:
            value = self.eval(st["do"], frame)
            if "as" in st:
                self.bind(frame, st["as"], value)
        elif "trace" in st:
            values = [self.eval(v, frame) for v in st.get("values", [])]
            self.emit(frame.actor, "trace", [st["trace"], *values])
        elif "return" in st:
            return _Return(self.eval(st["return"], frame))
        elif "raise" in st:
            if st["raise"] is None:
                if not frame.handling:
                    raise ScenarioError("bare raise outside an except clause")
                raise frame.handling[-1]
            exc = self.eval(st["raise"], frame)
            if not isinstance(exc, BaseException):
                raise ScenarioError("raise of a non-exception")
            raise exc
        elif "if" in st:
            branch = st.get("then", []) if self.eval(st["if"], frame) else st.get("else", [])
            return (yield from self.exec_block(branch, frame))
        elif "while" in st:
            while self.eval(st["while"], frame):
                sig = yield from self.exec_block(st["body"], frame)
                if sig is _BREAK:
                    break
                if sig is not None and sig is not _CONTINUE:
                    return sig
        elif "for" in st:
            for item in self.eval(st["in"], frame):
                self.bind(frame, st["for"], item)
                sig = yield from self.exec_block(st["body"], frame)
                if sig is _BREAK:
                    break
                if sig is not None and sig is not _CONTINUE:
                    return sig
        elif "break" in st:
            return _BREAK
        elif "continue" in st:
            return _CONTINUE
        elif "try" in st:
            return (yield from self.exec_try(st, frame))
        elif "async_with" in st:
            return (yield from self.exec_async_with(st, frame))
        elif "pass" in st:
            pass
        else:
            raise ScenarioError(f"unknown statement {sorted(st)}")
        return None

    def exec_try(self, st, frame):
        try:
            sig = yield from self.exec_block(st["try"], frame)
        except ScenarioError:
            raise
        except BaseException as e:
            for handler in st.get("except", []):
                types = tuple(EXCEPTIONS[t] for t in handler.get("types", [])) or BaseException
                if isinstance(e, types):
                    if "as" in handler:
                        self.bind(frame, handler["as"], e)
                    frame.handling.append(e)
                    try:
                        return (yield from self.exec_block(handler["body"], frame))
                    finally:
                        frame.handling.pop()
            raise
        else:
            if "else" in st and sig is None:
                return (yield from self.exec_block(st["else"], frame))
            return sig
        finally:
            if "finally" in st:
                fsig = yield from self.exec_block(st["finally"], frame)
                if fsig is not None:
                    # as in Python: return/break/continue in finally drops the exception
                    return fsig  # noqa: B012

    def exec_async_with(self, st, frame):
        cm = self.eval(st["async_with"], frame)
        entered = yield type(cm).__aenter__(cm)
        if "as" in st:
            self.bind(frame, st["as"], entered)
        try:
            sig = yield from self.exec_block(st["body"], frame)
        except ScenarioError:
            raise
        except BaseException as e:
            if not (yield type(cm).__aexit__(cm, type(e), e, e.__traceback__)):
                raise
            return None
        yield type(cm).__aexit__(cm, None, None, None)
        return sig

    # -- expressions ------------------------------------------------------------------
    def deadline(self, name: str, args: list) -> list:
        """A deadline the scenario gives as a number (``call_at(1, …)``) is a time on the
        virtual clock, which counts from 0; on a forced real clock it counts from the run's
        start, so that it keeps its meaning (and it is a reading there)."""
        if self.forced_real and name in _DEADLINE_TAKERS and args and type(args[0]) in (int, float):
            return [ClockReading(self.origin + args[0], self.origin), *args[1:]]
        return args

    def clock(self, name: str, value):
        """The loop's time and a timeout's or timer handle's deadline are clock readings; on
        uvloop's (or a forced) real clock they are marked (trace_format.ClockReading), so that comparing
        the trace with asyncio's virtual one skips them."""
        if self.forced_real and name in ("time", "when") and isinstance(value, float):
            return ClockReading(value, self.origin)
        return value

    def eval(self, x, frame):
        if isinstance(x, str):
            return frame.lookup(x[1:]) if x.startswith("$") else x
        if x is None or isinstance(x, (bool, int, float)):
            return x
        if isinstance(x, list):
            return [self.eval(v, frame) for v in x]
        ev = lambda v: self.eval(v, frame)  # noqa: E731
        # Python's order: the receiver, then the arguments left to right, then keywords.
        target = ev(x["on"]) if "on" in x else None
        args = [ev(a) for a in x.get("args", [])]
        kwargs = {k: ev(v) for k, v in x.get("kwargs", {}).items()}
        if "asyncio" in x:
            value = getattr(asyncio, x["asyncio"])(*self.deadline(x["asyncio"], args), **kwargs)
            if x["asyncio"] == "new_event_loop":
                # A loop the scenario makes reports to the scenario's handler (`loop` events).
                value.set_exception_handler(self.on_loop_exception)
            return value
        if "loop" in x:
            return self.clock(x["loop"], getattr(asyncio.get_running_loop(), x["loop"])(*self.deadline(x["loop"], args), **kwargs))
        if "method" in x:
            return self.clock(x["method"], getattr(target, x["method"])(*self.deadline(x["method"], args), **kwargs))
        if "attr" in x:
            return getattr(target, x["attr"])
        if "contextvars" in x:
            return getattr(contextvars, x["contextvars"])(*args, **kwargs)
        if "coro" in x:
            return self.make_coro(x["coro"], args, x.get("label", x["coro"]))
        if "fn" in x:
            return self.make_fn(x["fn"])
        if "corofn" in x:
            return self.make_corofn(x["corofn"])
        if "protocol" in x:
            return self.make_protocol(x["protocol"], x.get("label", "protocol"))
        if "bytes" in x:
            return x["bytes"].encode()
        if "exc" in x:
            return EXCEPTIONS[x["exc"]](*args)
        if "tuple" in x:
            return tuple(ev(v) for v in x["tuple"])
        if "lit" in x:
            return x["lit"]
        if "range" in x:
            return list(range(*[ev(v) for v in x["range"]]))
        if "not" in x:
            return not ev(x["not"])
        if "len" in x:
            return len(ev(x["len"]))
        if "and" in x:
            return all(ev(v) for v in x["and"])
        if "or" in x:
            return any(ev(v) for v in x["or"])
        for op, fn in _BINARY.items():
            if op in x:
                a, b = x[op]
                return fn(*_comparable(op, ev(a), ev(b)))
        raise ScenarioError(f"unknown expression {sorted(x)}")


_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")

# The calls whose first argument is a deadline on the loop's clock.
_DEADLINE_TAKERS = ("call_at", "timeout_at", "reschedule")


def _comparable(op: str, a, b):
    """A clock reading compared with a plain number counts from the run's start, as the
    virtual clock does (trace_format.ClockReading; only on uvloop are there readings)."""
    if op in _COMPARISONS and isinstance(a, ClockReading) != isinstance(b, ClockReading):
        return (a.since_start() if isinstance(a, ClockReading) else a,
                b.since_start() if isinstance(b, ClockReading) else b)
    return a, b


class _CountingLoop(asyncio.SelectorEventLoop):
    """The real-clock loop: CPython's selector loop, counting iterations."""

    iteration = 0

    def _run_once(self):
        self.iteration += 1
        super()._run_once()


def _shuffled_task_factory(seed: int):
    """Tasks whose hashes are random, so that every set of tasks iterates in a new order.

    CPython keeps tasks in sets in places (TaskGroup._tasks, all_tasks() in asyncio.run's
    cleanup), and iterates them to cancel: the order then follows memory addresses, which
    no other runtime can reproduce. A scenario whose trace changes under this factory
    depends on that order and must be rewritten (see spec/README.md).
    """
    import random

    rng = random.Random(seed)

    class ShuffledTask(asyncio.Task):
        def __init__(self, *args, **kwargs):
            self._shuffled_hash = rng.getrandbits(60)  # before __init__ adds it to all_tasks
            super().__init__(*args, **kwargs)

        def __hash__(self):
            return self._shuffled_hash

    def factory(loop, coro, context=None):
        return ShuffledTask(coro, loop=loop, context=context)

    return factory


def run_scenario(scenario: dict, shuffle_seed: int | None = None, loop: str = "asyncio",
                 real_clock: bool = False) -> list[str]:
    """Run one scenario on CPython asyncio and return its trace lines. With a
    ``shuffle_seed``, sets of tasks iterate in a random order (a determinism check); with
    ``loop="uvloop"``, on a uvloop loop and its real clock (loops.py); with ``real_clock``, on
    asyncio's real clock even where the scenario is written for the virtual one."""
    return Interpreter(scenario, shuffle_seed, loop, real_clock).run()
