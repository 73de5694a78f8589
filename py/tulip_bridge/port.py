"""tulip port: Python asyncio source to tulip TypeScript, walking CPython's own ast.

    python -m tulip_bridge.port [--allow-todo] FILE...

prints one JSON object: {"results": [{"file", "ts"} | {"file", "error"}]}. The TypeScript
follows the README's porting conventions: plain async functions (run through tulip's compile
step), keyword-only arguments as a trailing options object, `async with` as
`asyncio.asyncWith`, `except E` as `instanceof`, and Python's builtins from `tulip/py`, whose
`print`, `str` and `repr` show values as Python does. A construct with no faithful translation
stops the file with `file:line:col: cannot port <construct>: <why>`; with --allow-todo it
becomes a `todo()` call that throws at run time, marked `// TODO(tulip port)`.
"""
import ast
import json
import sys

from . import port_blocking, port_threads

# Python builtins the runtime module tulip/py provides under the same name.
BUILTINS = {
    "print", "len", "range", "enumerate", "zip", "sorted", "min", "max", "sum", "isinstance",
    "str", "repr", "int", "float", "bool", "list", "dict", "set", "tuple", "abs", "round", "any",
    "all", "reversed", "hasattr", "getattr", "setattr", "callable", "iter", "next", "divmod",
    "frozenset", "bytes", "ord", "chr", "hex", "map", "filter", "id", "hash", "issubclass", "anext",
}
# Names whose Python meaning tulip/py gives under another name (a JavaScript keyword or global).
RENAMED_BUILTINS = {"map": "map_", "filter": "filter_", "id": "id_", "hash": "hash_"}
# Exception classes: tulip exports them with Python's names (TypeError is JavaScript's own).
EXCEPTIONS = {
    "BaseException", "Exception", "RuntimeError", "NotImplementedError", "RecursionError", "ValueError",
    "LookupError", "KeyError", "IndexError", "AttributeError", "EOFError", "StopIteration", "ArithmeticError", "OverflowError",
    "StopAsyncIteration", "KeyboardInterrupt", "SystemExit", "GeneratorExit", "OSError", "ConnectionError",
    "BrokenPipeError", "ConnectionAbortedError", "ConnectionRefusedError", "ConnectionResetError",
    "FileNotFoundError", "PermissionError", "BlockingIOError", "ProcessLookupError", "ChildProcessError",
    "TimeoutError", "BaseExceptionGroup", "ExceptionGroup",
}
# asyncio's classes (called with `new`).
ASYNCIO_CLASSES = {
    "Future", "Task", "Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "Queue",
    "PriorityQueue", "LifoQueue", "TaskGroup", "Runner", "Timeout", "Protocol", "BaseProtocol",
    "BufferedProtocol", "DatagramProtocol", "SubprocessProtocol", "StreamReader", "StreamWriter",
    "StreamReaderProtocol", "CancelledError", "InvalidStateError", "TimeoutError", "IncompleteReadError",
    "LimitOverrunError", "BrokenBarrierError", "QueueEmpty", "QueueFull", "SendfileNotAvailableError",
    "SelectorEventLoop", "DefaultEventLoopPolicy", "Handle", "TimerHandle", "AbstractEventLoop",
} | EXCEPTIONS
CONTEXTVARS_CLASSES = {"ContextVar", "Context", "Token"}
# concurrent.futures' classes (tulip/concurrent, called with `new`).
CONCURRENT_CLASSES = {
    "Future", "Executor", "ThreadPoolExecutor", "ProcessPoolExecutor", "CancelledError", "TimeoutError",
    "InvalidStateError", "BrokenExecutor", "BrokenThreadPool", "BrokenProcessPool",
}
# tulip/concurrent's positional parameters that Python code often names.
CONCURRENT_POSITIONAL = {"as_completed": ["fs", "timeout"], "wait": ["fs"], "ThreadPoolExecutor": ["max_workers"],
                         "ProcessPoolExecutor": ["max_workers"]}
# Keyword arguments that are positional parameters in tulip (the rest go to the options object).
POSITIONAL_KEYWORDS = {
    "sleep": ["delay", "result"], "wait_for": ["fut", "timeout"], "Queue": ["maxsize"],
    "PriorityQueue": ["maxsize"], "LifoQueue": ["maxsize"], "Semaphore": ["value"],
    "BoundedSemaphore": ["value"], "Barrier": ["parties"], "cancel": ["msg"], "timeout": ["delay"],
    "timeout_at": ["when"], "open_connection": ["host", "port"], "start_server": ["client_connected_cb", "host", "port"],
    "create_server": ["protocol_factory", "host", "port"], "create_connection": ["protocol_factory", "host", "port"],
    "ContextVar": ["name"], "read": ["n"], "readexactly": ["n"], "readuntil": ["separator"],
    "set_result": ["result"], "set_exception": ["exception"], "Condition": ["lock"], "communicate": ["input"],
    "create_subprocess_shell": ["cmd"], "call_soon": ["callback"], "call_later": ["delay", "callback"],
    "call_at": ["when", "callback"], "run_until_complete": ["future"], "ensure_future": ["coro_or_future"],
    "shield": ["arg"], "wait": ["fs"], "as_completed": ["fs"], "create_task": ["coro"], "run": ["main"],
    "reschedule": ["when"], "wait_closed": [], "acquire": [], "put": ["item"], "put_nowait": ["item"],
    "result": ["timeout"], "exception": ["timeout"],
}
# Calls that return a Promise in tulip where Python blocks (they run the loop): awaited.
BLOCKING_METHODS = {"run_until_complete", "run_forever"}
# Methods of Python's builtin types, and what they become.
SIMPLE_METHODS = {
    "append": "push", "upper": "toUpperCase", "lower": "toLowerCase", "startswith": "startsWith",
    "endswith": "endsWith", "replace": "replaceAll", "reverse": "reverse", "discard": "delete",
}
HELPER_METHODS = {  # receiver.m(args) -> m(receiver, args) from tulip/py
    "items", "keys", "values", "encode", "decode", "remove", "index", "count", "sort", "copy",
    "update", "setdefault", "strip", "lstrip", "rstrip", "split", "find", "isdigit", "isalpha", "title",
    "capitalize", "zfill", "ljust", "rjust", "center", "splitlines", "hex",
}
PREDICATE_METHODS = {
    "done", "cancelled", "empty", "full", "locked", "is_set", "at_eof", "can_write_eof", "expired",
    "is_closing", "is_serving", "is_running", "is_closed", "startswith", "endswith", "isdigit", "isalpha",
    "get_debug", "is_reading",
}
JS_RESERVED = {
    "function", "var", "new", "delete", "this", "switch", "case", "default", "typeof", "instanceof",
    "void", "with", "do", "catch", "const", "let", "enum", "export", "extends", "super", "interface",
    "package", "private", "protected", "public", "static", "yield", "arguments", "eval", "null", "true",
    "false", "undefined", "NaN", "Infinity", "Object", "Array", "Symbol", "Promise", "Error", "Map", "Set",
    "String", "Number", "Boolean", "Buffer", "process", "console", "Math", "JSON",
}
# Python modules tulip/py gives a counterpart of (the parts a ported asyncio program uses).
HELPER_MODULES = {"errno", "signal", "time", "sys", "functools", "os", "statistics", "gc"}
# Methods of asyncio's objects often passed as callbacks (bound where passed, as Python binds them).
KNOWN_METHODS = {
    "cancel", "set_result", "set_exception", "set", "clear", "put_nowait", "get_nowait", "release", "notify",
    "notify_all", "close", "write", "result", "done", "cancelled", "stop", "append", "add_done_callback",
    "run_forever", "run_until_complete",
}
# Generic classes made `<any>`: Python's code puts anything in them.
GENERIC_CLASSES = {"ContextVar", "Queue", "PriorityQueue", "LifoQueue", "Future"}
# Calls whose result tulip declares nullable, asserted non-null where a method is called on them.
NULLABLE_CALLS = {"current_task"}
BINOPS = {ast.Sub: "-", ast.Div: "/", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
          ast.LShift: "<<", ast.RShift: ">>"}
CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def template_text(text):
    """A literal part of a template literal: escaped, line ends included (a template literal
    reads a raw CR or CRLF as LF, so "\\r\\n" must stay an escape)."""
    out = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    out = out.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return "".join(c if c >= " " or c in "\\" else f"\\u{ord(c):04x}" for c in out)


class CannotPort(Exception):
    def __init__(self, node, construct, why):
        super().__init__(construct, why)
        self.node, self.construct, self.why = node, construct, why


def _assigned_names(target, out):
    if isinstance(target, ast.Name):
        out.append(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for e in target.elts:
            _assigned_names(e, out)
    elif isinstance(target, ast.Starred):
        _assigned_names(target.value, out)


class Scope:
    """A function's (or the module's) locals: which are declared where."""

    def __init__(self, kind, body, params=(), parent=None, is_async=False, is_method=False):
        self.kind, self.parent, self.is_async, self.is_method = kind, parent, is_async, is_method
        self.declared = set(params)
        self.globals = set()
        self.counts = {}
        self.top = {}  # name -> the top-level statement that first assigns it
        self.hoist = []
        self.listish, self.bytesish = set(), set()
        self.numish, self.not_num = set(), set()
        self._collect(body, top=True)
        for name, n in self.counts.items():
            if name in self.declared or name in self.globals:
                continue
            if name not in self.top:
                self.hoist.append(name)

    def _collect(self, body, top):
        for stmt in body:
            self._stmt(stmt, top)

    def _note(self, name, stmt, top, value=None):
        if name in self.globals:
            return
        first = name not in self.counts
        self.counts[name] = self.counts.get(name, 0) + 1
        if first and top:
            self.top[name] = stmt
        if value is not None:
            if isinstance(value, ast.Constant) and type(value.value) in (int, float):
                self.numish.add(name)
            elif not isinstance(stmt, ast.AugAssign):
                self.not_num.add(name)
            if isinstance(value, (ast.List, ast.ListComp)) or (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                                                                 and value.func.id in ("list", "sorted")):
                self.listish.add(name)
            if (isinstance(value, ast.Constant) and isinstance(value.value, bytes)) or (
                    isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "encode"):
                self.bytesish.add(name)

    def _stmt(self, s, top):
        if isinstance(s, (ast.Global, ast.Nonlocal)):
            self.globals.update(s.names)
        elif isinstance(s, ast.Delete):  # `del x` ports as a rebinding (`x = undefined`)
            for t in s.targets:
                if isinstance(t, ast.Name):
                    self._note(t.id, s, False)
        elif isinstance(s, ast.Assign):
            for t in s.targets:
                names = []
                _assigned_names(t, names)
                for n in names:
                    self._note(n, s, top and len(s.targets) == 1, s.value if isinstance(t, ast.Name) else None)
        elif isinstance(s, (ast.AugAssign, ast.AnnAssign)):
            names = []
            _assigned_names(s.target, names)
            for n in names:
                self._note(n, s, top and isinstance(s, ast.AnnAssign) and s.value is not None, getattr(s, "value", None))
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            names = []
            _assigned_names(s.target, names)
            for n in names:
                self._note(n, s, False)
            self._collect(s.body, False)
            self._collect(s.orelse, False)
        elif isinstance(s, (ast.While, ast.If)):
            self._collect(s.body, False)
            self._collect(s.orelse, False)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                if item.optional_vars is not None:
                    names = []
                    _assigned_names(item.optional_vars, names)
                    for n in names:
                        self._note(n, s, False)
            self._collect(s.body, False)
        elif isinstance(s, (ast.Try, ast.TryStar)):
            self._collect(s.body, False)
            for h in s.handlers:
                self._collect(h.body, False)
            self._collect(s.orelse, False)
            self._collect(s.finalbody, False)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.declared.add(s.name)
        elif isinstance(s, (ast.Import, ast.ImportFrom)):
            for a in s.names:
                self.declared.add((a.asname or a.name).split(".")[0])
        if isinstance(s, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.If, ast.While)):
            for node in ast.walk(s):
                if isinstance(node, ast.NamedExpr):
                    self._note(node.target.id, s, False)

    def lookup_listish(self, name):
        s = self
        while s is not None:
            if name in s.counts or name in s.declared:
                return name in s.listish
            s = s.parent
        return False

    def lookup_numish(self, name):
        s = self
        while s is not None:
            if name in s.counts or name in s.declared:
                return name in s.numish and name not in s.not_num
            s = s.parent
        return False

    def lookup_bytesish(self, name):
        s = self
        while s is not None:
            if name in s.counts or name in s.declared:
                return name in s.bytesish
            s = s.parent
        return False


class Porter:
    def __init__(self, source, filename, allow_todo=False):
        self.source, self.filename, self.allow_todo = source, filename, allow_todo
        self.helpers = set()
        self.imports = []  # import lines in order
        self.asyncio = None  # the name the module gives asyncio
        self.out = []
        self.level = 0
        self.scope = None
        self.functions = {}  # name -> ast args (for keyword arguments at call sites)
        self.classes = set()
        self.dataclasses = {}
        self.exc_names = []  # except-bound names, innermost last
        self.module_aliases = {}  # local name -> python module ("asyncio", "contextvars", ...)
        self.from_names = {}  # local name -> (module, name)
        self.tmp = 0
        self.class_stack = []
        self.called_methods = set(KNOWN_METHODS)
        self.user_names = set()
        self.fn_body = None
        self._receivers = set()
        self.exception_classes = set()
        self.comments = []
        self.methods = {}  # method name -> ast args, for keyword arguments (None: two definitions)
        self.plain_methods = set()  # names of this file's undecorated methods (not properties)
        self.blocking_plan = port_blocking.Plan()  # plain defs and lambdas that run the loop: async (port_blocking.py)
        self.threadable = []  # top-level defs run in a worker thread: exported, tagged threadable (port_threads.py)
        self.concurrent_imports = []  # names imported from tulip/concurrent, one import line

    # ---- output ----
    def line(self, text):
        self.out.append("  " * self.level + text if text else "")

    def fail(self, node, construct, why):
        raise CannotPort(node, construct, why)

    def todo(self, node, construct, why):
        """An untranslatable expression: an error, or with --allow-todo a call that throws."""
        if not self.allow_todo:
            self.fail(node, construct, why)
        self.helpers.add("todo")
        msg = f"{self.filename}:{node.lineno}:{node.col_offset + 1}: cannot port {construct}: {why}"
        return f"todo({json.dumps(msg)}) /* TODO(tulip port) */"

    def helper(self, name):
        if name in self.user_names:
            self.helpers.add(f"{name} as py_{name}")
            return f"py_{name}"
        self.helpers.add(name)
        return name

    def ns(self):
        if self.asyncio is None:
            self.asyncio = "asyncio"
            self.imports.append('import * as asyncio from "tulip";')
        return self.asyncio

    def concurrent_import(self, *names):
        """Names from tulip/concurrent, on one import line (where the program imports concurrent.futures)."""
        self.concurrent_imports += [n for n in names if n not in self.concurrent_imports]

    def fresh(self, base):
        self.tmp += 1
        return f"{base}{self.tmp}" if self.tmp > 1 else base

    # ---- the module ----
    def port(self):
        tree = ast.parse(self.source, self.filename)
        nodes = list(ast.walk(tree))  # every node, once: the passes below read this list
        self.user_names = set()
        for node in nodes:
            if isinstance(node, ast.Name):
                self.user_names.add(node.id)
            elif isinstance(node, ast.arg):
                self.user_names.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.user_names.add(node.name)
            elif isinstance(node, ast.alias):
                self.user_names.add((node.asname or node.name).split(".")[0])
        self.user_names -= BUILTINS
        self.runners = set()
        for node in nodes:
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if self._is_runner(item.context_expr) and isinstance(item.optional_vars, ast.Name):
                        self.runners.add(item.optional_vars.id)
            elif isinstance(node, ast.Assign) and self._is_runner(node.value):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.runners.add(t.id)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                self.called_methods.add(node.func.attr)
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node.args if node.name not in self.functions else None
            elif isinstance(node, ast.ClassDef):
                self.classes.add(node.name)
                if any(isinstance(b, ast.Name) and (b.id in EXCEPTIONS or b.id in self.exception_classes) or
                       isinstance(b, ast.Attribute) and b.attr in EXCEPTIONS for b in node.bases):
                    self.exception_classes.add(node.name)
                for st in node.body:
                    if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.methods[st.name] = st.args if st.name not in self.methods else None
                        if not st.decorator_list:  # a plain method: bound where passed as a value
                            self.plain_methods.add(st.name)
                for d in node.decorator_list:
                    if (isinstance(d, ast.Name) and d.id == "dataclass") or (isinstance(d, ast.Attribute) and d.attr == "dataclass"):
                        self.dataclasses[node.name] = node
        for node in tree.body:  # asyncio's names, known before the statements that import them are ported
            if isinstance(node, ast.Import):
                self.module_aliases.update((a.asname or a.name, a.name) for a in node.names if a.name == "asyncio")
            elif isinstance(node, ast.ImportFrom) and node.module == "asyncio":
                self.from_names.update((a.asname or a.name, ("asyncio", a.name)) for a in node.names)
        self.blocking_plan = port_blocking.plan(tree, self.is_blocking_call, nodes)
        self.tree, self.nodes, self._inits = tree, nodes, None
        self.call_funcs = {id(n.func) for n in nodes if isinstance(n, ast.Call)}
        self.threadable = port_threads.plan(tree, self.fail, nodes)
        if self.threadable:
            self.concurrent_import("isMainModule", "threadable")
        body = tree.body
        header = []
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            header = ["// " + l if l else "//" for l in body[0].value.value.strip().splitlines()]
            body = body[1:]
        self.comments = self.full_line_comments(body[0].lineno if body else 1)
        first = body[0].lineno if body else 10 ** 9
        while self.comments and self.comments[0][0] < first:
            header.append("// " + self.comments.pop(0)[1])
        self.scope = Scope("module", body)
        for node in nodes:  # a name a function rebinds with `global` is reassigned: let, not const
            if isinstance(node, ast.Global):
                for n in node.names:
                    self.scope.counts[n] = self.scope.counts.get(n, 0) + 1
        self.fn_body = body
        self.prune_hoist(body)
        if self.scope.hoist:
            self.out.append("let " + ", ".join(f"{h}: any" for h in self.scope.hoist) + ";")
        self.block(body)
        for _, text in self.comments:
            self.out.append("// " + text if text else "//")
        helpers = sorted(self.helpers)
        if self.concurrent_imports:
            line = "import { " + ", ".join(sorted(self.concurrent_imports)) + ' } from "tulip/concurrent";'
            if "\0concurrent" not in self.imports:
                self.imports.append("\0concurrent")
            self.imports = [line if l == "\0concurrent" else l for l in self.imports]
        lines = header + self.imports
        if helpers:
            lines.append("import { " + ", ".join(helpers) + ' } from "tulip/py";')
        text = "\n".join(lines + [""] + self.out).rstrip() + "\n"
        while "\n\n\n\n" in text:
            text = text.replace("\n\n\n\n", "\n\n\n")
        return text

    def full_line_comments(self, first_line):
        """The source's comments on lines of their own, as (line, text); the leading block is the file's header."""
        import io
        import tokenize
        out = []
        try:
            for tok in tokenize.generate_tokens(io.StringIO(self.source).readline):
                if tok.type == tokenize.COMMENT and tok.line.strip().startswith("#"):
                    text = tok.string[1:]
                    out.append((tok.start[0], text[1:] if text.startswith(" ") else text))
        except (tokenize.TokenError, SyntaxError):
            return []
        if out and out[0][1].startswith("!"):
            out = out[1:]  # a #! line
        return out

    def comments_before(self, line):
        while self.comments and self.comments[0][0] < line:
            _, text = self.comments.pop(0)
            self.line("// " + text if text else "//")

    # ---- statements ----
    def block(self, body):
        for s in body:
            self.stmt(s)

    def body_block(self, body):
        self.level += 1
        self.block(body)
        self.level -= 1

    def stmt(self, s):
        m = getattr(self, "s_" + type(s).__name__, None)
        if self.level == 0 and isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and self.out and self.out[-1] != "":
            self.line("")
        self.comments_before(getattr(s, "lineno", 0) - (len(getattr(s, "decorator_list", [])) or 0))
        mark, level = len(self.out), self.level
        try:
            if m is None:
                self.fail(s, type(s).__name__.lower() + " statement", "no TypeScript translation")
            m(s)
        except CannotPort as e:
            if not self.allow_todo:
                raise
            # --allow-todo: the statement becomes a marked call that throws when reached
            del self.out[mark:]
            self.level = level
            n = e.node
            msg = f"{self.filename}:{getattr(n, 'lineno', s.lineno)}:{getattr(n, 'col_offset', s.col_offset) + 1}: cannot port {e.construct}: {e.why}"
            self.helpers.add("todo")
            self.line("// TODO(tulip port): " + msg)
            self.line(f"todo({json.dumps(msg)});")

    def s_Expr(self, s):
        v = s.value
        if isinstance(v, ast.Constant) and isinstance(v.value, str):
            for l in v.value.strip().splitlines():
                self.line("// " + l.strip())
            return
        if self.threadable and self.scope.kind == "module" and self.level == 0:
            # the worker that runs a threadable function imports this module: not this statement
            self.line(f"if (isMainModule(import.meta)) {self.expr_stmt(v)};")
            return
        text = self.expr_stmt(v)
        if isinstance(v, ast.Call) and self.runs_loop(v) and text.startswith("(await ") and text.endswith(")"):
            text = text[1:-1]
        self.line(text + ";")

    def expr_stmt(self, v):
        return self.expr(v)

    def s_Pass(self, s):
        pass

    def s_Break(self, s):
        self.line("break;")

    def s_Continue(self, s):
        self.line("continue;")

    def s_Global(self, s):
        pass

    s_Nonlocal = s_Global

    def s_Import(self, s):
        for a in s.names:
            local = a.asname or a.name
            if a.name == "asyncio":
                self.asyncio = local
                self.imports.append(f'import * as {local} from "tulip";')
            elif a.name == "asyncio.subprocess":
                self.asyncio = self.asyncio or "asyncio"
                self.imports.append(f'import * as {self.asyncio} from "tulip";')
            elif a.name == "contextvars":
                self.imports.append(f'import * as {local} from "tulip/contextvars";')
            elif a.name == "concurrent.futures":
                # `import concurrent.futures` binds `concurrent`; its `concurrent.futures` is one namespace here
                ns = a.asname or "concurrent_futures"
                self.imports.append(f'import * as {ns} from "tulip/concurrent";')
                if a.asname:
                    self.module_aliases[local] = a.name
                else:
                    self.module_aliases["concurrent"] = "concurrent"
                continue
            elif a.name in HELPER_MODULES or a.name in ("dataclasses", "typing"):
                if a.name in HELPER_MODULES:
                    self.helpers.add(a.name if local == a.name else f"{a.name} as {local}")
            else:
                self.fail(s, f"import {a.name}", "no tulip counterpart for this module")
            self.module_aliases[local] = a.name

    def s_ImportFrom(self, s):
        mod = s.module or ""
        names = []
        for a in s.names:
            local = a.asname or a.name
            if a.name == "*":
                self.fail(s, f"from {mod} import *", "name every imported name")
            self.from_names[local] = (mod, a.name)
            names.append(a.name if local == a.name else f"{a.name} as {local}")
        if mod in ("asyncio", "asyncio.subprocess"):
            self.imports.append("import { " + ", ".join(names) + ' } from "tulip";')
        elif mod == "contextvars":
            self.imports.append("import { " + ", ".join(names) + ' } from "tulip/contextvars";')
        elif mod == "concurrent.futures":
            if not self.concurrent_imports or "\0concurrent" not in self.imports:
                self.imports.append("\0concurrent")
            self.concurrent_import(*names)
        elif mod == "concurrent" and all(a.name == "futures" for a in s.names):
            for a in s.names:
                local = a.asname or a.name
                del self.from_names[local]
                self.module_aliases[local] = "concurrent.futures"
                self.imports.append(f'import * as {local} from "tulip/concurrent";')
        elif mod in ("dataclasses", "typing", "collections.abc", "__future__"):
            for a in s.names:
                if mod == "dataclasses" and a.name not in ("dataclass", "field"):
                    self.fail(s, f"from dataclasses import {a.name}", "only @dataclass is translated")
        elif mod == "functools" and all(a.name == "partial" for a in s.names):
            self.helpers.add("partial")
        else:
            self.fail(s, f"from {mod} import", "no tulip counterpart for this module")

    def declare(self, name):
        """`const x = ` / `let x = ` for the statement that first assigns a top-level name, or ''."""
        sc = self.scope
        if name in sc.declared or name in sc.globals or name in sc.hoist:
            return ""
        sc.declared.add(name)
        if self.class_stack and sc.kind == "class":
            return ""
        return "const " if sc.counts.get(name, 0) == 1 else "let "

    def s_Assign(self, s):
        if len(s.targets) > 1:
            tmp = self.fresh("$v")
            self.line(f"const {tmp} = {self.expr(s.value)};")
            for t in s.targets:
                self.assign(t, tmp, s)
            return
        self.assign(s.targets[0], self.expr(s.value), s, value_node=s.value)

    def assign(self, t, value, s, value_node=None):
        if isinstance(t, ast.Name):
            kw = self.declare(t.id)
            typ = ""
            if kw == "let " and not (isinstance(value_node, ast.Constant) and type(value_node.value) in (int, float, str, bool)):
                typ = ": any"
            elif kw and isinstance(value_node, (ast.List, ast.ListComp)):
                typ = ": any[]"
            elif kw and self.untyped(value_node):
                typ = ": any"
            self.line(f"{kw}{self.name(t.id, t)}{typ} = {value};")
        elif isinstance(t, (ast.Tuple, ast.List)):
            names = []
            _assigned_names(t, names)
            decls = [self.declare(n) for n in names]
            members = any(isinstance(e, ast.Attribute) for e in ast.walk(t))
            pattern = self.pattern(t, members=members)
            if members:  # `self.reader, self.writer = …`: a destructuring assignment, names declared first
                for n, d in zip(names, decls):
                    if d:
                        self.line(f"let {n}: any;")
                self.line(f"{pattern} = {value};")
            elif all(d == "const " for d in decls):
                self.line(f"const {pattern}{': any' if self.untyped(value_node) else ''} = {value};")
            elif all(d == "" for d in decls):
                self.line(f"{pattern} = {value};")
            else:
                for n, d in zip(names, decls):
                    if d:
                        self.line(f"let {n}: any;")
                self.line(f"{pattern} = {value};")
        elif isinstance(t, ast.Attribute):
            self.line(f"{self.expr(t)} = {value};")
        elif isinstance(t, ast.Subscript):
            if isinstance(t.slice, ast.Slice):
                self.fail(t, "slice assignment", "no JavaScript counterpart")
            idx = self.const_index(t.slice)
            if idx is not None and idx >= 0:
                self.line(f"{self.expr(t.value)}[{idx}] = {value};")
            else:
                self.line(f"{self.helper('setitem')}({self.expr(t.value)}, {self.expr(t.slice)}, {value});")
        else:
            self.fail(t, "assignment target", "not translated")

    def untyped(self, v):
        """Whether a value without a hint is declared `any`: Python gave it no type, and tulip's
        declared type may be narrower than the Python code relies on (a loop's BaseEventLoop, a
        task that may be None, an empty list)."""
        if v is None:
            return True
        if isinstance(v, (ast.Constant, ast.JoinedStr, ast.Lambda, ast.BinOp, ast.Compare, ast.BoolOp, ast.UnaryOp)):
            return False
        if isinstance(v, (ast.List, ast.ListComp)):
            return False  # any[], below
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and (
                v.func.id in self.classes or (v.func.id in BUILTINS and v.func.id not in ("list", "dict", "set", "next", "getattr", "iter"))):
            return False
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) and self.is_asyncio(v.func.value) \
                and v.func.attr in ASYNCIO_CLASSES:
            return False
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) and isinstance(v.func.value, ast.Name) \
                and self.module_aliases.get(v.func.value.id) == "contextvars" and v.func.attr == "ContextVar":
            return False
        return True

    def pattern(self, t, members=False):
        if isinstance(t, ast.Name):
            return self.name(t.id, t)
        if isinstance(t, ast.Starred):
            return "..." + self.pattern(t.value, members)
        if isinstance(t, (ast.Tuple, ast.List)):
            return "[" + ", ".join(self.pattern(e, members) for e in t.elts) + "]"
        if members and isinstance(t, ast.Attribute):
            return self.expr(t)
        self.fail(t, "unpacking target", "only names can be unpacked into")

    def s_AnnAssign(self, s):
        if self.scope.kind == "class":
            return  # fields are declared by the class
        if not isinstance(s.target, ast.Name):
            if s.value is not None:
                self.assign(s.target, self.expr(s.value), s)
            return
        name = s.target.id
        typ = self.annotation(s.annotation)
        if s.value is None:
            if name not in self.scope.declared and name not in self.scope.hoist:
                self.scope.declared.add(name)
                self.line(f"let {name}: {typ};")
            return
        kw = self.declare(name)
        if kw:
            self.line(f"{kw}{name}: {typ} = {self.expr(s.value)};")
        else:
            self.line(f"{name} = {self.expr(s.value)};")

    def s_AugAssign(self, s):
        t = s.target
        if isinstance(s.op, ast.Add) and isinstance(t, ast.Name) and self.scope.lookup_listish(t.id):
            self.line(f"{t.id}.push(...{self.expr(s.value)});")
            return
        if isinstance(t, ast.Subscript):
            cur = ast.BinOp(left=t, op=s.op, right=s.value)
            ast.copy_location(cur, s)
            self.assign(t, self.expr(cur), s)
            return
        if isinstance(s.op, (ast.Add, ast.Mult, ast.Mod, ast.FloorDiv)):
            cur = ast.BinOp(left=ast.Name(t.id, ast.Load()) if isinstance(t, ast.Name) else t, op=s.op, right=s.value)
            ast.copy_location(cur, s)
            ast.fix_missing_locations(cur)
            text = self.expr(cur)
            target = self.expr(t)
            if isinstance(s.op, ast.Add) and text == f"{target} + {self.operand(s.value)}":
                self.line(f"{target} += {self.expr(s.value)};")
            else:
                self.line(f"{target} = {text};")
            return
        op = BINOPS.get(type(s.op))
        if op is None:
            self.fail(s, "augmented assignment", "operator not translated")
        self.line(f"{self.expr(t)} {op}= {self.expr(s.value)};")

    def s_Return(self, s):
        self.line("return;" if s.value is None else f"return {self.expr(s.value)};")

    def s_Delete(self, s):
        for t in s.targets:
            if isinstance(t, ast.Subscript):
                self.line(f"{self.helper('delitem')}({self.expr(t.value)}, {self.expr(t.slice)});")
            elif isinstance(t, ast.Attribute):
                self.line(f"delete {self.expr(t)};")
            elif isinstance(t, ast.Name) and self.unbound_for_good(s, t.id):
                # nothing reads it again (so no NameError to raise): dropping the reference is all del does
                self.line(f"{self.name(t.id, t)} = undefined as any;")
            else:
                self.fail(t, "del of a name", "JavaScript cannot unbind a variable (this one is read again, "
                          "or in a loop or a nested function)")

    def unbound_for_good(self, s, name):
        """Whether the statement `del name` is the end of `name` in its function: not in a loop, and
        the name neither read after it nor read by a nested function or lambda."""
        def path(stmts, chain):
            for st in stmts:
                if st is s:
                    return chain
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(st, field, None)
                    if isinstance(inner, list) and not isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        found = path(inner, chain + [st])
                        if found is not None:
                            return found
            return None
        chain = path(self.fn_body or [], [])
        if chain is None or any(isinstance(c, (ast.For, ast.AsyncFor, ast.While)) for c in chain):
            return False
        at = (s.lineno, s.col_offset)
        def reads(node, nested):
            for child in ast.iter_child_nodes(node):
                inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
                if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Load) and (
                        nested or (child.lineno, child.col_offset) > at):
                    yield child
                yield from reads(child, inner)
        return not any(True for st in self.fn_body for _ in reads(st, False))

    def s_Assert(self, s):
        msg = "" if s.msg is None else ", " + self.expr(s.msg)
        self.line(f"{self.helper('assert_')}({self.cond(s.test)}{msg});")

    def s_If(self, s):
        t = s.test
        if (self.scope.kind == "module" and isinstance(t, ast.Compare) and isinstance(t.left, ast.Name)
                and t.left.id == "__name__" and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
                and t.comparators[0].value == "__main__" and not s.orelse):
            if self.threadable:  # a worker imports this module too: only the program's run is __main__
                self.line("if (isMainModule(import.meta)) {")
                self.body_block(s.body)
                self.line("}")
                return
            self.block(s.body)  # an ES module run as the program is its own __main__
            return
        self.line(f"if ({self.cond(t)}) {{")
        self.body_block(s.body)
        orelse = s.orelse
        while len(orelse) == 1 and isinstance(orelse[0], ast.If):
            self.line(f"}} else if ({self.cond(orelse[0].test)}) {{")
            self.body_block(orelse[0].body)
            orelse = orelse[0].orelse
        if orelse:
            self.line("} else {")
            self.body_block(orelse)
        self.line("}")

    def s_While(self, s):
        flag = self.loop_else_start(s)
        test = "true" if isinstance(s.test, ast.Constant) and s.test.value is True else self.cond(s.test)
        self.line(f"while ({test}) {{")
        self.body_block(s.body)
        self.line("}")
        self.loop_else_end(s, flag)

    def loop_else_start(self, s):
        if not s.orelse:
            return None
        flag = self.fresh("$broke")
        self.line(f"let {flag} = false;")
        self._break_flags = getattr(self, "_break_flags", []) + [flag]
        return flag

    def loop_else_end(self, s, flag):
        if flag is None:
            return
        self._break_flags.pop()
        self.line(f"if (!{flag}) {{")
        self.body_block(s.orelse)
        self.line("}")

    def for_target(self, target):
        names = []
        _assigned_names(target, names)
        sc = self.scope
        fresh = all(sc.counts.get(n, 0) == 1 and n not in sc.declared and n not in sc.globals for n in names)
        if fresh:
            sc.hoist = [h for h in sc.hoist if h not in names]
            return "const " + self.pattern(target)
        for n in names:
            if n not in sc.declared and n in sc.hoist:
                continue
        return self.pattern(target)

    def s_For(self, s, is_async=False):
        flag = self.loop_else_start(s)
        target = self.for_target(s.target)
        it = s.iter
        if is_async:
            self.line(f"for await ({target} of {self.helper('aiter')}({self.expr(it)})) {{")
        else:
            self.line(f"for ({target} of {self.expr(it)}) {{")
        self.body_block(s.body)
        self.line("}")
        self.loop_else_end(s, flag)

    def s_AsyncFor(self, s):
        self.s_For(s, is_async=True)

    def _has_break(self, body):
        for s in body:
            for node in ast.walk(s):
                if isinstance(node, ast.Break):
                    return True
        return False

    def s_Raise(self, s):
        if s.exc is None:
            if not self.exc_names:
                self.fail(s, "bare raise", "outside an except clause")
            self.line(f"throw {self.exc_names[-1]};")
            return
        exc = self.exception_value(s.exc)
        if s.cause is not None:
            cause = "null" if isinstance(s.cause, ast.Constant) and s.cause.value is None else self.exception_value(s.cause)
            self.line(f"throw {self.helper('from_')}({exc}, {cause});")
        else:
            self.line(f"throw {exc};")

    def exception_value(self, node):
        if isinstance(node, ast.Name) and (node.id in EXCEPTIONS or node.id in self.classes) and node.id not in self.scope.counts:
            return f"new {self.class_ref(node.id, node)}()"
        if isinstance(node, ast.Attribute) and self.is_asyncio(node.value):
            return f"new {self.ns_of(node.value)}.{node.attr}()"
        if isinstance(node, ast.Attribute) and self.concurrent_ns(node.value) is not None:
            return f"new {self.expr(node)}()"
        return self.expr(node)

    def class_ref(self, name, node):
        if name in self.from_names:
            return name
        if name in EXCEPTIONS and name not in self.classes:
            if name == "TypeError":
                return "TypeError"
            return f"{self.ns()}.{name}"
        return name

    def exc_types(self, node):
        if node is None:
            return []
        elts = node.elts if isinstance(node, ast.Tuple) else [node]
        out = []
        for e in elts:
            if isinstance(e, ast.Name):
                if e.id == "TypeError":
                    out.append("TypeError")
                elif e.id in EXCEPTIONS and e.id not in self.classes and e.id not in self.from_names:
                    out.append(f"{self.ns()}.{e.id}")
                elif e.id in self.classes or e.id in self.from_names:
                    out.append(e.id)
                else:
                    self.fail(e, f"except {e.id}", "not an exception class tulip knows")
            elif isinstance(e, ast.Attribute):
                out.append(self.expr(e))
            else:
                self.fail(e, "except clause", "the exception type must be a name")
        return out

    def s_Try(self, s):
        if s.orelse:
            if s.finalbody:
                self.line("try {")
                self.level += 1
            flag = self.fresh("$ok")
            self.line(f"let {flag} = false;")
            self.try_core(s.body, s.handlers, [], extra_ok=flag)
            self.line(f"if ({flag}) {{")
            self.body_block(s.orelse)
            self.line("}")
            if s.finalbody:
                self.level -= 1
                self.line("} finally {")
                self.body_block(s.finalbody)
                self.line("}")
            return
        self.try_core(s.body, s.handlers, s.finalbody)

    def try_core(self, body, handlers, finalbody, extra_ok=None):
        self.line("try {")
        self.body_block(body)
        if extra_ok:
            self.line(f"  {extra_ok} = true;")
        if handlers:
            names = {h.name for h in handlers if h.name}
            var = names.pop() if len(names) == 1 else self.fresh("$e")
            self.line(f"}} catch ({var}) {{")
            self.level += 1
            self.exc_names.append(var)
            first = True
            closed = False
            for h in handlers:
                types = self.exc_types(h.type)
                test = " || ".join(f"{var} instanceof {t}" for t in types)
                if not types:
                    if first:
                        self.alias_handler(h, var)
                        self.block(h.body)
                    else:
                        self.line("} else {")
                        self.level += 1
                        self.alias_handler(h, var)
                        self.block(h.body)
                        self.level -= 1
                        self.line("}")
                    closed = True
                    break
                if len(handlers) == 1:
                    self.line(f"if (!({test})) throw {var};")
                    self.alias_handler(h, var)
                    self.block(h.body)
                    closed = True
                    break
                self.line(("if" if first else "} else if") + f" ({test}) {{")
                self.level += 1
                self.alias_handler(h, var)
                self.block(h.body)
                self.level -= 1
                first = False
            if not closed:
                self.line("} else {")
                self.line(f"  throw {var};")
                self.line("}")
            self.exc_names.pop()
            self.level -= 1
        if finalbody:
            self.line("} finally {")
            self.body_block(finalbody)
        self.line("}")

    def alias_handler(self, h, var):
        if h.name and h.name != var:
            self.line(f"const {h.name} = {var};")

    def s_TryStar(self, s):
        if s.orelse or s.finalbody:
            self.fail(s, "try/except* with else or finally", "not translated yet")
        var = self.fresh("$eg")
        rest = self.fresh("$rest")
        self.line("try {")
        self.body_block(s.body)
        self.line(f"}} catch ({var}) {{")
        self.level += 1
        self.line(f"let {rest}: any = {var};")
        for h in s.handlers:
            types = self.exc_types(h.type)
            match = self.fresh("$match")
            self.line(f"let {match}: any;")
            self.line(f"[{match}, {rest}] = {self.helper('split_group')}({rest}, [{', '.join(types)}]);")
            self.line(f"if ({match} !== null) {{")
            self.level += 1
            if h.name:
                self.line(f"const {h.name} = {match};")
            self.exc_names.append(match)
            self.block(h.body)
            self.exc_names.pop()
            self.level -= 1
            self.line("}")
        self.line(f"if ({rest} !== null) throw {rest};")
        self.level -= 1
        self.line("}")

    def with_items(self, s, is_async):
        items = s.items
        for item in items:
            cm = self.expr(item.context_expr)
            v = item.optional_vars
            if v is not None and not isinstance(v, ast.Name):
                self.fail(v, "with ... as (a, b)", "bind one name")
            param = ""
            if v is not None:
                sc = self.scope
                if sc.counts.get(v.id, 0) == 1 and v.id not in sc.declared and not self.used_outside(s, v.id):
                    sc.hoist = [h for h in sc.hoist if h != v.id]
                    param = v.id
                    sc.declared.add(v.id)
                else:
                    param = self.fresh("$cm")
            yield cm, param, (v.id if v is not None and param != v.id else None)

    def prune_hoist(self, body):
        """Names bound only by a for loop or a with block and read only inside it need no hoisting,
        nor a name assigned once in a block and read only after it in that block."""
        saved = self.fn_body
        self.fn_body = body
        sc = self.scope

        def blocks(stmts):
            for st in stmts:
                if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                for field in ("body", "orelse", "finalbody"):
                    sub = getattr(st, field, None)
                    if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                        yield sub
                        yield from blocks(sub)
                for h in getattr(st, "handlers", []):
                    yield h.body
                    yield from blocks(h.body)

        for blk in blocks(body):
            for i, st in enumerate(blk):
                if not (isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name)):
                    continue
                name = st.targets[0].id
                if name not in sc.hoist or sc.counts.get(name, 0) != 1:
                    continue
                after = {id(n) for later in blk[i:] for n in ast.walk(later)}
                if all(id(n) in after for top in body for n in ast.walk(top) if isinstance(n, ast.Name) and n.id == name):
                    sc.hoist.remove(name)
        for top in body:
            for n in self._walk_local(top):
                names = []
                if isinstance(n, (ast.With, ast.AsyncWith)):
                    for item in n.items:
                        if isinstance(item.optional_vars, ast.Name):
                            names.append(item.optional_vars.id)
                elif isinstance(n, (ast.For, ast.AsyncFor)):
                    _assigned_names(n.target, names)
                for name in names:
                    if name in sc.hoist and sc.counts.get(name, 0) == 1 and not self.used_outside(n, name):
                        sc.hoist.remove(name)
        self.fn_body = saved

    def used_outside(self, stmt, name):
        """Whether the function (or module) reads `name` outside `stmt`."""
        inside = {id(n) for n in ast.walk(stmt)}
        for top in self.fn_body or []:
            for n in ast.walk(top):
                if isinstance(n, ast.Name) and n.id == name and id(n) not in inside:
                    return True
        return False

    def check_with_body(self, s):
        for node in s.body:
            for n in ast.walk(node):
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                    continue
                if isinstance(n, (ast.Break, ast.Continue)) and not self._inside_loop(s, n):
                    self.fail(n, f"{type(n).__name__.lower()} inside a with block", "the block becomes a function")
                if isinstance(n, ast.Yield):
                    self.fail(n, "yield inside a with block", "the block becomes a function")

    def _inside_loop(self, root, target):
        def walk(node, in_loop):
            if node is target:
                return in_loop
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    continue
                r = walk(child, in_loop or isinstance(node, (ast.For, ast.While, ast.AsyncFor)) and node is not root)
                if r is not None:
                    return r
            return None
        return bool(walk(root, False))

    def returns_in(self, body):
        for node in body:
            for n in self._walk_local(node):
                if isinstance(n, ast.Return):
                    return True
        return False

    def _walk_local(self, node):
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            yield from self._walk_local(child)

    def s_AsyncWith(self, s, is_async=True):
        self.check_with_body(s)
        has_return = self.returns_in(s.body)
        if has_return and not self._last_in_function(s):
            self.fail(s, "return inside a with block that is not the function's last statement",
                      "the block becomes an arrow function")
        if is_async and not self.scope.is_async and self.scope.kind != "module":
            self.fail(s, "async with", "outside an async function")
        items = list(self.with_items(s, is_async))
        body_async = is_async or self._body_awaits(s) or any(self._is_runner(i.context_expr) for i in s.items)
        for i, (cm, param, alias) in enumerate(items):
            lead = ("return " if has_return and i == 0 else "") + ("await " if body_async else "")
            if is_async or self._is_runner(s.items[i].context_expr):
                call = f"{self.ns()}.asyncWith"
            else:
                call = self.helper("with_")
            self.line(f"{lead}{call}({cm}, {'async ' if body_async else ''}({param}) => {{")
            self.level += 1
            if alias:
                self.line(f"{alias} = {param};")
        saved_async = self.scope.is_async
        self.scope.is_async = saved_async or body_async
        self.block(s.body)
        self.scope.is_async = saved_async
        for _ in items:
            self.level -= 1
            self.line("});")

    def _body_awaits(self, s):
        for node in s.body:
            for n in self._walk_local(node):
                if isinstance(n, (ast.Await, ast.AsyncWith, ast.AsyncFor)):
                    return True
                if self.is_blocking_call(n):
                    return True
        return False

    def is_blocking_call(self, n):
        """A call that blocks in Python while a loop runs (a Promise in tulip): asyncio.run,
        run_until_complete, run_forever, and a Runner's run() and close()."""
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            return self.from_names.get(n.func.id) == ("asyncio", "run") and not self.scope_has_local(n.func.id)
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)):
            return False
        m, recv = n.func.attr, n.func.value
        if m in BLOCKING_METHODS or (m == "run" and self.is_asyncio(recv)):
            return True
        return m in ("run", "close") and ((isinstance(recv, ast.Name) and recv.id in self.runners) or self._is_runner(recv))

    def _is_runner(self, node):
        return isinstance(node, ast.Call) and ((isinstance(node.func, ast.Attribute) and node.func.attr == "Runner")
                                               or (isinstance(node.func, ast.Name) and node.func.id == "Runner"))

    def s_With(self, s):
        self.s_AsyncWith(s, is_async=False)

    def _last_in_function(self, s):
        return getattr(self, "_last_stmt", None) is s

    def s_FunctionDef(self, s, is_async=False):
        self.function(s, is_async)

    def s_AsyncFunctionDef(self, s):
        self.function(s, True)

    def params(self, args, node, skip_self=False):
        if args.kwarg is not None:
            self.fail(node, "**kwargs", "JavaScript has no keyword arguments")
        out = []
        pos = args.posonlyargs + args.args
        defaults = [None] * (len(pos) - len(args.defaults)) + list(args.defaults)
        for i, (a, d) in enumerate(zip(pos, defaults)):
            if skip_self and i == 0:
                continue
            out.append(self.param(a, d))
        if args.vararg is not None and args.kwonlyargs:
            # `def f(*xs, k=None)`: a rest parameter must be last, so *xs is an array parameter
            # here and k follows it (calls in this file pack their extra arguments: varargs_call)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or self.class_stack \
                    or self.functions.get(node.name) is not args:
                self.fail(node, "keyword-only parameters after *args", "only for a function defined once, outside a class")
            self.check_called_only(node)
            t = self.annotation(args.vararg.annotation) if args.vararg.annotation else "any"
            out.append(f"{args.vararg.arg}: {t}[]")
        for a, d in zip(args.kwonlyargs, args.kw_defaults):
            out.append(self.param(a, d))
        if args.vararg is not None and not args.kwonlyargs:
            t = self.annotation(args.vararg.annotation) if args.vararg.annotation else "any"
            out.append(f"...{args.vararg.arg}: {t}[]")
        return ", ".join(out)

    def check_called_only(self, fn):
        """A function whose calling convention the port changes may only be called here, not passed as a value."""
        for n in self.nodes:
            if isinstance(n, ast.Name) and n.id == fn.name and isinstance(n.ctx, ast.Load) and id(n) not in self.call_funcs:
                self.fail(n, f"{fn.name} as a value", "its *args become an array parameter, so only direct calls in this file are translated")

    def varargs_call(self, node, a, args):
        """A call of `def f(a, *xs, k=None)`: the extra positional arguments packed into xs's array, then the keywords in place."""
        npos = len(a.posonlyargs + a.args)
        pos = list(args[:npos])
        while len(pos) < npos:
            pos.append("undefined")
        packed = "[" + ", ".join(args[npos:]) + "]"
        kw = {k.arg: self.expr(k.value) for k in node.keywords}
        for k in kw:
            if k not in [p.arg for p in a.kwonlyargs]:
                self.fail(node, f"keyword {k}=", "not a keyword-only parameter of the function")
        rest = [kw.get(p.arg, "undefined") for p in a.kwonlyargs]
        while rest and rest[-1] == "undefined":
            rest.pop()
        return pos + [packed] + rest

    def param(self, a, default):
        t = self.annotation(a.annotation) if a.annotation is not None else "any"
        text = f"{self.name(a.arg, a)}: {t}"
        if default is not None:
            text += f" = {self.expr(default)}"
        return text

    def param_names(self, args, skip_self=False):
        names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
        if args.vararg is not None:
            names.append(args.vararg.arg)
        return names[1:] if skip_self else names

    def is_generator(self, s):
        for node in s.body:
            for n in self._walk_local(node):
                if isinstance(n, (ast.Yield, ast.YieldFrom)):
                    return True
        return False

    def function(self, s, is_async, method=None):
        for d in s.decorator_list:
            if not (method and isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod", "property")):
                self.fail(d, "decorator", "decorators are not translated (only @staticmethod, @classmethod, @property, @dataclass)")
        skip_self = method in ("method", "classmethod", "property")
        runs_loop = not method and not is_async and s.name in self.blocking_plan.defs
        is_async = is_async or runs_loop
        params = self.params(s.args, s, skip_self=skip_self)
        gen = "*" if self.is_generator(s) else ""
        ret = ""
        if s.returns is not None and not gen:
            t = self.annotation(s.returns, ret=True)
            ret = f": Promise<{t}>" if is_async else f": {t}"
        doc, body = self.docstring(s.body)
        for l in doc:
            self.line(l)
        outer = self.scope
        in_method = bool(self.class_stack) and outer.is_method
        if method:
            prefix = {"staticmethod": "static ", "classmethod": "static ", "property": "get "}.get(method, "")
            name = "constructor" if s.name == "__init__" else s.name
            if name == "constructor":
                ret = ""
            head = f"{prefix}{'async ' if is_async else ''}{gen}{name}({params}){ret} {{"
        elif in_method:
            # a function inside a method keeps the method's `this` (Python's self): an arrow
            head = f"const {s.name} = {'async ' if is_async else ''}({params}){ret} => {{"
            if gen:
                self.fail(s, "generator inside a method", "an arrow function cannot be a generator")
        elif s.name in self.threadable and outer.kind == "module":
            # run in a worker thread, which finds it by this module's URL and its export name
            head = f"export const {s.name} = threadable(import.meta.url, function {s.name}({params}){ret} {{"
        else:
            head = f"{'async ' if is_async else ''}function{gen} {s.name}({params}){ret} {{"
        self.line(head)
        self.scope = Scope("function", body, self.param_names(s.args, skip_self), outer, is_async,
                           is_method=bool(method) or in_method)
        if method == "classmethod":
            self.scope.cls_name = s.args.args[0].arg if s.args.args else None
        if runs_loop:  # its parameters that callers fill with a function that runs the loop: awaited
            self.scope.async_params = self.blocking_plan.params.get(s.name, set())
        self.level += 1
        if method == "constructor_super":
            pass
        if getattr(self, "_ctor_needs_super", False) and s.name == "__init__":
            self.line("super();")
            self._ctor_needs_super = False
        self.prune_hoist(body)
        if self.scope.hoist:
            self.line("let " + ", ".join(f"{self.name(h, s)}: any" for h in self.scope.hoist) + ";")
        saved_exc = self.exc_names
        self.exc_names = []
        saved_last = getattr(self, "_last_stmt", None)
        saved_body = self.fn_body
        self._last_stmt = body[-1] if body else None
        self.fn_body = body
        self.block(body)
        self.fn_body = saved_body
        self._last_stmt = saved_last
        self.exc_names = saved_exc
        self.level -= 1
        self.line("};" if in_method and not method else "});" if head.startswith("export const") else "}")
        self.scope = outer
        if not method and not in_method:
            self.line("")

    def docstring(self, body):
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            lines = body[0].value.value.strip().splitlines()
            doc = ["/** " + lines[0].strip() + " */"] if len(lines) == 1 else ["/**"] + [" * " + l.strip() for l in lines] + [" */"]
            return doc, body[1:] or []
        return [], body

    def s_ClassDef(self, s):
        if s.keywords:
            self.fail(s, "class keyword arguments", "metaclasses are not translated")
        if len(s.bases) > 1:
            self.fail(s, "multiple inheritance", "a JavaScript class has one base")
        is_dc = s.name in self.dataclasses
        for d in s.decorator_list:
            if not ((isinstance(d, ast.Name) and d.id == "dataclass") or (isinstance(d, ast.Attribute) and d.attr == "dataclass")):
                self.fail(d, "class decorator", "only @dataclass is translated")
        base = None
        if s.bases:
            b = s.bases[0]
            if isinstance(b, ast.Name) and b.id == "object":
                base = None
            elif isinstance(b, ast.Name) and b.id in EXCEPTIONS and b.id not in self.classes:
                base = self.class_ref(b.id, b)
            else:
                base = self.expr(b)
        doc, body = self.docstring(s.body)
        for l in doc:
            self.line(l)
        self.line(f"class {s.name}{' extends ' + base if base else ''} {{")
        self.level += 1
        # fields: self.X = ... in any method, and annotated class attributes
        fields = []
        for node in ast.walk(s):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) \
                    and node.value.id == "self" and node.attr not in fields:
                fields.append(node.attr)
        dc_fields = []
        for st in body:
            if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
                dc_fields.append((st.target.id, self.annotation(st.annotation), st.value))
            elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                self.line(f"static {st.targets[0].id} = {self.expr(st.value)};")
            elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Pass)) or (
                    isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant)):
                continue
            elif not isinstance(st, ast.AnnAssign):
                self.fail(st, f"{type(st).__name__.lower()} in a class body", "not translated")
        for name, typ, value in dc_fields:
            if is_dc:
                self.line(f"{name}: {typ};")
            else:
                self.line(f"{name}: {typ}" + (f" = {self.expr(value)};" if value is not None else ";"))
        for f in fields:
            if f not in [d[0] for d in dc_fields]:
                self.line(f"{f}: any;")
        if is_dc:
            params = ", ".join(f"{n}: {t}" + (f" = {self.expr(v)}" if v is not None else "") for n, t, v in dc_fields)
            self.line(f"constructor({params}) {{")
            if base:
                self.line("  super();")
            for n, _, _ in dc_fields:
                self.line(f"  this.{n} = {n};")
            self.line("}")
            if not any(isinstance(st, ast.FunctionDef) and st.name == "__repr__" for st in body):
                inner = ", ".join(f"{n}=${{{self.helper('repr')}(this.{n})}}" for n, _, _ in dc_fields)
                self.line(f"__repr__(): string {{")
                self.line(f"  return `{s.name}({inner})`;")
                self.line("}")
            if not any(isinstance(st, ast.FunctionDef) and st.name == "__eq__" for st in body):
                self.line(f"__eq__(other: any): boolean {{")
                cmp = " && ".join(f"{self.helper('eq')}(this.{n}, other.{n})" for n, _, _ in dc_fields) or "true"
                self.line(f"  return other instanceof {s.name} && {cmp};")
                self.line("}")
        self.class_stack.append(s.name)
        saved = self.scope
        self.scope = Scope("class", [], parent=saved)
        self.scope.is_method = False
        for st in body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = "method"
                for d in st.decorator_list:
                    if isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod", "property"):
                        kind = d.id
                if st.name == "__init__" and base and not any(
                        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "__init__"
                        and isinstance(n.func.value, ast.Call) and isinstance(n.func.value.func, ast.Name)
                        and n.func.value.func.id == "super" for n in ast.walk(st)):
                    self._ctor_needs_super = True
                self.function(st, isinstance(st, ast.AsyncFunctionDef), method=kind)
        self.scope = saved
        self.class_stack.pop()
        self.level -= 1
        self.line("}")
        self.line("")

    # ---- annotations ----
    def annotation(self, node, ret=False):
        if node is None:
            return "any"
        if isinstance(node, ast.Constant) and node.value is None:
            return "void" if ret else "null"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                return self.annotation(ast.parse(node.value, mode="eval").body, ret)
            except SyntaxError:
                return "any"
        if isinstance(node, ast.Name):
            return {"int": "number", "float": "number", "str": "string", "bool": "boolean", "bytes": "Uint8Array",
                    "object": "unknown", "Any": "any", "list": "any[]", "dict": "Map<any, any>", "set": "Set<any>",
                    "tuple": "any[]", "None": "null"}.get(node.id, node.id if node.id in self.classes else "any")
        if isinstance(node, ast.Attribute) and self.is_asyncio(node.value):
            return f"{self.ns_of(node.value)}.{node.attr}" if node.attr in ASYNCIO_CLASSES else "any"
        if isinstance(node, ast.Subscript):
            base = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            inner = [self.annotation(a) for a in args]
            if base in ("list", "List", "Sequence", "Iterable"):
                return f"{inner[0]}[]"
            if base in ("dict", "Dict"):
                return f"Map<{inner[0]}, {inner[1] if len(inner) > 1 else 'any'}>"
            if base in ("set", "Set"):
                return f"Set<{inner[0]}>"
            if base in ("tuple", "Tuple"):
                return "any[]"
            if base == "Optional":
                return f"{inner[0]} | null"
            if base in ("Queue", "Future", "Task", "PriorityQueue", "LifoQueue") and self.is_asyncio(getattr(node.value, "value", None)):
                return f"{self.ns_of(node.value.value)}.{base}<{inner[0]}>"
            return "any"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return f"{self.annotation(node.left)} | {self.annotation(node.right)}"
        return "any"

    # ---- expressions ----
    def is_asyncio(self, node):
        return (isinstance(node, ast.Name) and self.module_aliases.get(node.id) == "asyncio") or (
            isinstance(node, ast.Attribute) and node.attr == "subprocess" and self.is_asyncio(node.value))

    def concurrent_ns(self, node):
        """The namespace concurrent.futures has here if `node` names it (`cf`, `concurrent.futures`), else None."""
        if isinstance(node, ast.Name) and self.module_aliases.get(node.id) == "concurrent.futures":
            return node.id
        if (isinstance(node, ast.Attribute) and node.attr == "futures" and isinstance(node.value, ast.Name)
                and self.module_aliases.get(node.value.id) == "concurrent"):
            return "concurrent_futures"
        return None

    def ns_of(self, node):
        return self.ns() if isinstance(node, ast.Attribute) else node.id

    def name(self, n, node):
        if n == "self" and self.scope.is_method:
            return "this"
        if getattr(self.scope, "cls_name", None) == n:
            return "this"
        if n in JS_RESERVED and n != "self":
            self.fail(node, f"the name {n}", "a reserved word or global in JavaScript; rename it")
        return n

    def operand(self, node):
        text = self.expr(node)
        if isinstance(node, (ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda, ast.UnaryOp, ast.Await, ast.NamedExpr)):
            return f"({text})"
        return text

    def expr(self, node):
        m = getattr(self, "e_" + type(node).__name__, None)
        if m is None:
            return self.todo(node, type(node).__name__, "no TypeScript translation")
        return m(node)

    def e_Constant(self, node):
        v = node.value
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, bytes):
            text = v.decode("latin-1")
            return f"Buffer.from({json.dumps(text, ensure_ascii=False)}" + (', "latin1")' if any(b > 127 for b in v) else ")")
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            if v == float("inf"):
                return "Infinity"
            return repr(v)
        if v is Ellipsis:
            return "undefined"
        return self.todo(node, f"the constant {v!r}", "no TypeScript counterpart")

    def e_Name(self, node):
        n = node.id
        if n in ("True", "False", "None"):
            return {"True": "true", "False": "false", "None": "null"}[n]
        if n in BUILTINS and n not in self.scope_has(n):
            return self.helper(RENAMED_BUILTINS.get(n, n))
        if n in EXCEPTIONS and n not in self.classes and n not in self.from_names:
            return self.class_ref(n, node)
        if n == "__name__":
            return '"__main__"'
        return self.name(n, node)

    def scope_has_local(self, n):
        """Whether a function scope (not the module) rebinds `n`."""
        s = self.scope
        while s is not None and s.kind != "module":
            if n in s.counts or n in s.declared:
                return True
            s = s.parent
        return False

    def scope_has(self, n):
        s = self.scope
        while s is not None:
            if n in s.counts or n in s.declared:
                return {n}
            s = s.parent
        return set()

    def bound(self, node):
        """`obj.method` as a value (a callback): bound to obj, as a Python bound method is; a
        class of this file as a value (a protocol factory): a function that makes one, since a
        JavaScript class cannot be called without `new`."""
        if isinstance(node, ast.Name) and node.id in self.classes and node.id not in self.exception_classes \
                and not self.scope_has_local(node.id):
            init = self.init_of(node.id)
            if init is None or len(init.args.args) <= 1 and not init.args.vararg:
                return f"() => new {node.id}()"
            return f"(...args: any[]) => new (({node.id}) as any)(...args)"
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and (node.attr in self.called_methods or node.attr in self.plain_methods) \
                and not self.is_module(node.value):
            recv = node.value
            if isinstance(recv, ast.Name) or (isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name)):
                r = self.expr(recv)
                return f"{r}.{node.attr}.bind({r})"
        return self.expr(node)

    def is_module(self, node):
        return self.is_asyncio(node) or (isinstance(node, ast.Name) and (
            node.id in self.module_aliases or node.id in ("print",)))

    def e_Attribute(self, node):
        v = node.value
        self._receivers.add(id(v))
        if self.is_asyncio(v):
            if node.attr == "subprocess":
                return self.ns()
            return f"{self.ns_of(v)}.{node.attr}"
        cf = self.concurrent_ns(v)
        if cf is not None:
            return f"{cf}.{node.attr}"
        if self.concurrent_ns(node) is not None:
            return self.concurrent_ns(node)
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "type" and node.attr == "__name__" and len(v.args) == 1:
            a = v.args[0]
            if isinstance(a, ast.Name) and a.id in self.exc_names_all():
                return f"{self.expr(a)}.name"
            return f"{self.helper('type_name')}({self.expr(a)})"
        if isinstance(v, ast.Name) and self.module_aliases.get(v.id) in HELPER_MODULES:
            return f"{v.id}.{node.attr}"
        if node.attr == "__class__":
            return f"{self.operand(v)}.constructor"
        return f"{self.operand(v)}.{node.attr}"

    def exc_names_all(self):
        return set(self.exc_names)

    def e_JoinedStr(self, node):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(template_text(v.value))
            else:
                parts.append("${" + self.formatted(v) + "}")
        return "`" + "".join(parts) + "`"

    def formatted(self, v):
        inner = self.expr(v.value)
        if v.conversion == ord("r"):
            inner = f"{self.helper('repr')}({inner})"
        elif v.conversion == ord("a"):
            inner = f"{self.helper('ascii')}({inner})"
        if v.format_spec is not None:
            spec = self.e_JoinedStr(v.format_spec) if not (len(v.format_spec.values) == 1 and isinstance(v.format_spec.values[0], ast.Constant)) \
                else json.dumps(v.format_spec.values[0].value)
            return f"{self.helper('format')}({inner}, {spec})"
        if v.conversion in (ord("r"), ord("a")) or self.is_str(v.value):
            return inner
        return f"{self.helper('str')}({inner})"

    def is_str(self, node):
        if isinstance(node, (ast.JoinedStr,)) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return True
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in ("str", "repr", "type_name"):
                return True
            if isinstance(f, ast.Attribute) and f.attr in ("upper", "lower", "strip", "decode", "join", "get_name", "replace", "rstrip", "lstrip"):
                return True
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
                and node.value.func.id == "type" and node.attr == "__name__":
            return True
        return False

    def is_num(self, node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return True
        if isinstance(node, ast.Name) and self.scope.lookup_numish(node.id):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("len", "int", "float", "sum", "abs", "round"):
            return True
        if isinstance(node, ast.BinOp) and not isinstance(node.op, (ast.Add, ast.Mult, ast.Mod)):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("time", "qsize", "count", "index"):
            return True
        return False

    def is_seq(self, node):
        if isinstance(node, (ast.List, ast.ListComp, ast.Tuple)):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
            return True
        if isinstance(node, ast.Name):
            return self.scope.lookup_listish(node.id) or self.scope.lookup_bytesish(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "sorted", "tuple", "bytes"):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("encode", "read", "readline", "readexactly", "readuntil"):
            return True
        return False

    def e_BinOp(self, node):
        l, r, op = node.left, node.right, node.op
        if isinstance(op, ast.Add):
            if self.is_seq(l) or self.is_seq(r):
                return f"{self.helper('add')}({self.expr(l)}, {self.expr(r)})"
            if self.is_str(l) or self.is_str(r) or self.is_num(l) or self.is_num(r):
                return f"{self.operand(l)} + {self.operand(r)}"
            return f"{self.helper('add')}({self.expr(l)}, {self.expr(r)})"
        if isinstance(op, ast.Mult):
            if self.is_str(l):
                return f"{self.operand(l)}.repeat({self.expr(r)})"
            if self.is_seq(l) or self.is_seq(r) or self.is_str(r):
                return f"{self.helper('mul')}({self.expr(l)}, {self.expr(r)})"
            if self.is_num(l) or self.is_num(r):
                return f"{self.operand(l)} * {self.operand(r)}"
            return f"{self.helper('mul')}({self.expr(l)}, {self.expr(r)})"
        if isinstance(op, ast.Mod):
            if self.is_str(l):
                return f"{self.helper('percent')}({self.expr(l)}, {self.expr(r)})"
            return f"{self.helper('mod')}({self.expr(l)}, {self.expr(r)})"
        if isinstance(op, ast.FloorDiv):
            return f"Math.floor({self.operand(l)} / {self.operand(r)})"
        if isinstance(op, ast.Div):
            return f"{self.helper('div')}({self.expr(l)}, {self.expr(r)})" if not self.is_num(r) or (
                isinstance(r, ast.Constant) and r.value == 0) else f"{self.operand(l)} / {self.operand(r)}"
        o = BINOPS.get(type(op))
        if o is None:
            return self.todo(node, "the operator " + type(op).__name__, "no JavaScript counterpart")
        return f"{self.operand(l)} {o} {self.operand(r)}"

    def e_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            return f"!{self.paren_cond(node.operand)}"
        if isinstance(node.op, ast.USub):
            return f"-{self.operand(node.operand)}"
        if isinstance(node.op, ast.UAdd):
            return f"+{self.operand(node.operand)}"
        return f"~{self.operand(node.operand)}"

    def paren_cond(self, node):
        c = self.cond(node)
        if isinstance(node, (ast.BoolOp, ast.Compare, ast.IfExp)) or " " in c and not c.startswith(self.helper_prefix()):
            return f"({c})"
        return c

    def helper_prefix(self):
        return "bool("

    def e_BoolOp(self, node):
        op = " && " if isinstance(node.op, ast.And) else " || "
        return op.join(self.operand(v) for v in node.values)

    def cond(self, node):
        """A test: Python's truth (an empty list, dict or set is false) where the type is not plainly boolean."""
        if isinstance(node, ast.BoolOp):
            op = " && " if isinstance(node.op, ast.And) else " || "
            return op.join(f"({self.cond(v)})" if isinstance(v, ast.BoolOp) else self.cond(v) for v in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"!{self.paren_cond(node.operand)}"
        if isinstance(node, (ast.Compare,)) or (isinstance(node, ast.Constant) and isinstance(node.value, bool)):
            return self.expr(node)
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in ("isinstance", "callable", "hasattr", "bool", "any", "all", "issubclass"):
                return self.expr(node)
            if isinstance(f, ast.Attribute) and (f.attr in PREDICATE_METHODS or f.attr.startswith("is_")):
                return self.expr(node)
        if isinstance(node, ast.Await):
            return f"{self.helper('bool')}({self.expr(node)})"
        return f"{self.helper('bool')}({self.expr(node)})"

    def e_Compare(self, node):
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            parts.append(self.compare(left, op, right))
            left = right
        return " && ".join(parts)

    def compare(self, l, op, r):
        def is_none(n):
            return isinstance(n, ast.Constant) and n.value is None
        if isinstance(op, (ast.Is, ast.IsNot)):
            neg = isinstance(op, ast.IsNot)
            if is_none(r):
                return f"{self.operand(l)} {'!=' if neg else '=='} null"
            return f"{self.operand(l)} {'!==' if neg else '==='} {self.operand(r)}"
        if isinstance(op, (ast.Eq, ast.NotEq)):
            neg = isinstance(op, ast.NotEq)
            if is_none(r) or is_none(l):
                return f"{self.operand(l)} {'!=' if neg else '=='} {self.operand(r)}"
            if isinstance(l, ast.Constant) or isinstance(r, ast.Constant) or (self.is_num(l) and self.is_num(r)) or (
                    self.is_str(l) and self.is_str(r)):
                if not (isinstance(l, ast.Constant) and isinstance(l.value, bytes)) and not (
                        isinstance(r, ast.Constant) and isinstance(r.value, bytes)):
                    return f"{self.operand(l)} {'!==' if neg else '==='} {self.operand(r)}"
            return f"{'!' if neg else ''}{self.helper('eq')}({self.expr(l)}, {self.expr(r)})"
        if isinstance(op, (ast.In, ast.NotIn)):
            neg = isinstance(op, ast.NotIn)
            return f"{'!' if neg else ''}{self.helper('contains')}({self.expr(r)}, {self.expr(l)})"
        return f"{self.operand(l)} {CMPOPS[type(op)]} {self.operand(r)}"

    def e_IfExp(self, node):
        return f"{self.paren_cond(node.test)} ? {self.operand(node.body)} : {self.operand(node.orelse)}"

    def e_Await(self, node):
        return f"await {self.operand(node.value)}"

    def e_Yield(self, node):
        return "yield" if node.value is None else f"yield {self.operand(node.value)}"

    def e_YieldFrom(self, node):
        return f"yield* {self.operand(node.value)}"

    def e_NamedExpr(self, node):
        return f"({node.target.id} = {self.expr(node.value)})"

    def e_List(self, node):
        return "[" + ", ".join(self.expr(e) for e in node.elts) + "]"

    def e_Tuple(self, node):
        return f"{self.helper('tuple_')}(" + ", ".join(self.expr(e) for e in node.elts) + ")"

    def e_Set(self, node):
        return "new Set([" + ", ".join(self.expr(e) for e in node.elts) + "])"

    def e_Dict(self, node):
        items = []
        for k, v in zip(node.keys, node.values):
            if k is None:
                items.append(f"...{self.helper('items')}({self.expr(v)})")
            else:
                items.append(f"[{self.expr(k)}, {self.expr(v)}]")
        return f"{self.helper('dict')}([" + ", ".join(items) + "])"

    def e_Starred(self, node):
        return "..." + self.operand(node.value)

    def const_index(self, node):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
                and type(node.operand.value) is int:
            return -node.operand.value
        return None

    def e_Subscript(self, node):
        v, s = node.value, node.slice
        if isinstance(s, ast.Slice):
            lo = self.expr(s.lower) if s.lower is not None else None
            hi = self.expr(s.upper) if s.upper is not None else None
            if s.step is not None:
                return f"{self.helper('slice')}({self.expr(v)}, {lo or 'null'}, {hi or 'null'}, {self.expr(s.step)})"
            args = [lo or "0"] + ([hi] if hi is not None else [])
            if args == ["0"]:
                args = []
            return f"{self.operand(v)}.slice({', '.join(args)})"
        idx = self.const_index(s)
        if idx is not None and idx >= 0:
            return f"{self.operand(v)}[{idx}]"
        if idx is not None:
            return f"{self.helper('getitem')}({self.expr(v)}, {idx})"
        return f"{self.helper('getitem')}({self.expr(v)}, {self.expr(s)})"

    def e_Lambda(self, node, defaults_made=False, runs_loop=None):
        # Python evaluates a default once, where the lambda is made (`lambda f, i=i: …` keeps the
        # loop's i); JavaScript at each call, where `i = i` names the parameter itself: the
        # defaults that are not constants are computed first and passed in.
        a = node.args
        captured = []
        def fix(d):
            if d is None or isinstance(d, ast.Constant) or defaults_made:
                return d
            name = self.fresh("$d")
            captured.append((name, self.expr(d)))
            return ast.Name(id=name, ctx=ast.Load())
        args = ast.arguments(posonlyargs=a.posonlyargs, args=a.args, vararg=a.vararg, kwonlyargs=a.kwonlyargs,
                             kw_defaults=[fix(d) for d in a.kw_defaults], kwarg=a.kwarg, defaults=[fix(d) for d in a.defaults])
        if captured:
            inner = self.e_Lambda(ast.Lambda(args=args, body=node.body), defaults_made=True,
                                  runs_loop=id(node) in self.blocking_plan.lambdas)
            names = ", ".join(f"{n}: any" for n, _ in captured)
            return f"(({names}) => {inner})({', '.join(v for _, v in captured)})"
        if runs_loop is None:
            runs_loop = id(node) in self.blocking_plan.lambdas
        params = self.params(node.args, node)
        outer = self.scope
        self.scope = Scope("function", [], self.param_names(node.args), outer, runs_loop, is_method=outer.is_method)
        body = self.expr(node.body)
        self.scope = outer
        if body.startswith("{"):
            body = f"({body})"
        return f"{'async ' if runs_loop else ''}({params}) => {body}"

    def comprehension(self, node, elt_text_fn):
        outer = self.scope
        gens = node.generators
        self.scope = Scope("function", [], [], outer, outer.is_async, is_method=outer.is_method)
        for g in gens:
            names = []
            _assigned_names(g.target, names)
            self.scope.declared.update(names)
        text = None
        # innermost first: for a single generator, xs.filter(...).map(...)
        parts = []
        if any(g.is_async for g in gens) or any(isinstance(n, ast.Await) for n in ast.walk(node)):
            text = self.async_comprehension(node, elt_text_fn)
            self.scope = outer
            return text
        for i, g in enumerate(gens):
            it = self.expr(g.iter)
            if not self.is_array(g.iter):
                it = f"[...{self.operand(g.iter)}]"
            pat = self.pattern(g.target) + ": any"
            conds = [self.cond(c) for c in g.ifs]
            parts.append((it, pat, conds))
        elt = elt_text_fn()
        self.scope = outer

        def build(i):
            it, pat, conds = parts[i]
            filt = "".join(f".filter(({pat}) => {c})" for c in conds)
            if i == len(parts) - 1:
                return f"{it}{filt}.map(({pat}) => {elt})"
            return f"{it}{filt}.flatMap(({pat}) => {build(i + 1)})"
        return build(0)

    def async_comprehension(self, node, elt_text_fn):
        """`[f(x) async for x in agen() if c]`, or one that awaits: its loops in an async function
        run at once and awaited (an async generator for a generator expression, as Python makes)."""
        if not self.scope.is_async:
            return self.todo(node, "async comprehension", "outside an async function")
        loops = []
        for g in node.generators:
            it = self.expr(g.iter)
            head = f"for await (const {self.pattern(g.target)} of {self.helper('aiter')}({it}))" if g.is_async \
                else f"for (const {self.pattern(g.target)} of {it})"
            loops.append(head + "".join(f" if ({self.cond(c)})" for c in g.ifs))
        elt = elt_text_fn()
        if isinstance(node, ast.GeneratorExp):
            return f"(async function* () {{ {' '.join(loops)} yield {elt}; }})()"
        acc = self.fresh("$c")
        return f"(await (async () => {{ const {acc}: any[] = []; {' '.join(loops)} {acc}.push({elt}); return {acc}; }})())"

    def is_array(self, node):
        if isinstance(node, (ast.List, ast.ListComp)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("range", "sorted", "list", "enumerate", "zip", "reversed"):
            return True
        if isinstance(node, ast.Name) and self.scope.lookup_listish(node.id):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "exceptions":
            return True
        return False

    def e_ListComp(self, node):
        return self.comprehension(node, lambda: self.elt(node.elt))

    def elt(self, e):
        text = self.expr(e)
        return f"({text})" if text.startswith("{") else text

    def e_GeneratorExp(self, node):
        return self.comprehension(node, lambda: self.elt(node.elt))

    def e_SetComp(self, node):
        return f"new Set({self.comprehension(node, lambda: self.elt(node.elt))})"

    def e_DictComp(self, node):
        return f"{self.helper('dict')}({self.comprehension(node, lambda: f'[{self.expr(node.key)}, {self.expr(node.value)}]')})"

    # ---- calls ----
    def e_Call(self, node):
        if self.runs_loop(node):
            # a plain def that runs the loop is async here (port_blocking.py): its caller waits for it
            return f"(await {self.call(node)})"
        return self.call(node)

    def runs_loop(self, node):
        """Whether `node` calls a plain def (or a parameter) that runs the loop, so is awaited."""
        f = node.func
        if not isinstance(f, ast.Name):
            return False
        if f.id in self.blocking_plan.defs and not self.scope_has_local(f.id):
            return True
        s = self.scope
        while s is not None and s.kind != "module":
            if f.id in getattr(s, "async_params", ()):
                return True
            if f.id in s.declared or f.id in s.counts:
                return False
            s = s.parent
        return False

    def call(self, node):
        f = node.func
        if any(k.arg is None for k in node.keywords):
            return self.todo(node, "**kwargs at a call", "JavaScript has no keyword arguments")
        to_api = not (isinstance(f, ast.Name) and (f.id in self.functions or f.id in self.classes or f.id in BUILTINS))
        if isinstance(f, ast.Name) and f.id in ("isinstance", "issubclass", "type", "super"):
            return self.call_name(node, f, [self.expr(a) for a in node.args])
        args = [self.plain_object(a) if to_api and self.is_str_dict(a) else self.bound(a) for a in node.args]
        if isinstance(f, ast.Name):
            return self.call_name(node, f, args)
        if isinstance(f, ast.Attribute):
            return self.call_attr(node, f, args)
        callee = self.operand(f)
        return f"{callee}({', '.join(args + self.options(node))})"

    def is_str_dict(self, a):
        return isinstance(a, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in a.keys)

    def plain_object(self, a):
        """A dict display given to tulip (call_exception_handler's context): a plain object, as tulip takes it."""
        items = [f"{k.value if k.value.isidentifier() else json.dumps(k.value)}: {self.expr(v)}" for k, v in zip(a.keys, a.values)]
        return "{ " + ", ".join(items) + " }" if items else "{}"

    def options(self, node, positional=()):
        """Keyword arguments: those tulip takes positionally in place, the rest as one options object."""
        kws = [k for k in node.keywords if k.arg not in positional]
        if not kws:
            return []
        return ["{ " + ", ".join(f"{k.arg}: {self.bound(k.value)}" for k in kws) + " }"]

    def place_keywords(self, node, args, names):
        """Keyword arguments for parameters `names` (positional in tulip) moved to their places."""
        args = list(args)
        for k in node.keywords:
            if k.arg in names:
                i = names.index(k.arg)
                while len(args) < i:
                    args.append("undefined")
                if len(args) == i:
                    args.append(self.expr(k.value))
                else:
                    self.fail(node, f"keyword {k.arg}=", "given twice")
        return args

    def user_call(self, node, fname, args):
        a = self.functions.get(fname)
        if a is not None and a.vararg is not None and a.kwonlyargs:
            return self.varargs_call(node, a, args)
        if not node.keywords:
            return args
        if a is None:
            self.fail(node, f"keyword arguments to {fname}()", "its definition is not in this file (or is defined twice)")
        names = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        for k in node.keywords:
            if k.arg not in names:
                self.fail(node, f"keyword {k.arg}=", f"{fname}() has no such parameter")
        # fill defaults for skipped parameters
        args = list(args)
        pos = a.posonlyargs + a.args
        if pos and pos[0].arg in ("self", "cls"):
            pos = pos[1:]
        kw = {k.arg: self.expr(k.value) for k in node.keywords}
        for i, n in enumerate(names):
            if i < len(args):
                continue
            if n in kw:
                args.append(kw.pop(n))
            elif kw:
                args.append("undefined")
        return args

    def call_name(self, node, f, args):
        n = f.id
        imported = n in self.from_names and not self.scope_has_local(n)
        if n in self.scope_has(n) and n not in self.classes and n not in self.functions and not imported:
            return f"{self.name(n, f)}({', '.join(args + self.options(node))})"
        if n == "print":
            kws = [k for k in node.keywords if k.arg != "flush"]
            if kws:
                return f"{self.helper('print')}.kw({{ {', '.join(f'{k.arg}: {self.expr(k.value)}' for k in kws)} }}, {', '.join(args)})"
            return f"{self.helper('print')}({', '.join(args)})"
        if n == "super":
            return "super"
        if n == "type":
            return self.todo(node, "type(x)", "JavaScript values have no Python type object; type(x).__name__ is translated")
        if n == "isinstance" and len(node.args) == 2:
            x = self.expr(node.args[0])
            t = node.args[1]
            if isinstance(t, ast.Tuple):
                return f"{self.helper('isinstance')}({x}, [{', '.join(self.type_ref(e) for e in t.elts)}])"
            return f"{self.helper('isinstance')}({x}, {self.type_ref(t)})"
        if n == "sorted" or n == "min" or n == "max":
            return f"{self.helper(n)}({', '.join(args + self.options(node))})"
        if n in ("str", "int", "float", "bool", "list", "dict", "set", "tuple", "repr", "len", "range", "enumerate", "zip",
                 "sum", "abs", "round", "any", "all", "reversed", "hasattr", "getattr", "setattr", "callable", "iter",
                 "next", "divmod", "frozenset", "bytes", "ord", "chr", "hex", "map", "filter", "id", "hash", "issubclass",
                 "anext"):
            if node.keywords:
                if n == "dict":
                    return f"{self.helper('dict')}([{', '.join(f'[{json.dumps(k.arg)}, {self.expr(k.value)}]' for k in node.keywords)}])"
                self.fail(node, f"{n}() with keyword arguments", "not translated")
            if n == "tuple":
                return f"{self.helper('tuple_')}(...{args[0]})" if args else f"{self.helper('tuple_')}()"
            return f"{self.helper(RENAMED_BUILTINS.get(n, n))}({', '.join(args)})"
        if n in self.from_names:
            mod, orig = self.from_names[n]
            if mod in ("asyncio", "asyncio.subprocess"):
                args = self.place_keywords(node, args, POSITIONAL_KEYWORDS.get(orig, []))
                pos = POSITIONAL_KEYWORDS.get(orig, [])
                new = "new " if orig in ASYNCIO_CLASSES else ""
                generic = "<any>" if orig in GENERIC_CLASSES else ""
                text = f"{new}{n}{generic}({', '.join(args + self.options(node, pos))})"
                return self.blocking(node, text) if orig == "run" else text
            if mod == "contextvars":
                new = "new " if orig in CONTEXTVARS_CLASSES else ""
                new += ""
                n = n + ("<any>" if orig in GENERIC_CLASSES else "")
                args = self.place_keywords(node, args, POSITIONAL_KEYWORDS.get(orig, []))
                return f"{new}{n}({', '.join(args + self.options(node, POSITIONAL_KEYWORDS.get(orig, [])))})"
            if mod == "functools" and orig == "partial":
                return f"{self.helper('partial')}({', '.join(args)})"
            if mod == "concurrent.futures":
                return self.concurrent_call(node, n, orig, args)
        if n in EXCEPTIONS and n not in self.classes:
            if node.keywords:
                self.fail(node, f"{n}() with keyword arguments", "exceptions take positional arguments")
            return f"new {self.class_ref(n, f)}({', '.join(args)})"
        if n in self.classes:
            if n in self.dataclasses:
                args = self.dataclass_args(node, n, args)
            else:
                init = self.init_of(n)
                if node.keywords:
                    if init is None:
                        self.fail(node, f"keyword arguments to {n}()", "the class has no __init__ here")
                    self.functions["__init__"] = init.args
                    args = self.user_call(node, "__init__", args)
            return f"new {n}({', '.join(args)})"
        if n in self.functions:
            args = self.user_call(node, n, args)
            return f"{n}({', '.join(args)})"
        if n in BUILTINS:
            return f"{self.helper(n)}({', '.join(args)})"
        return f"{self.name(n, f)}({', '.join(args + self.options(node))})"

    def concurrent_call(self, node, text, name, args):
        """A call of concurrent.futures' `name` (tulip/concurrent), written `text`."""
        pos = CONCURRENT_POSITIONAL.get(name, [])
        args = self.place_keywords(node, args, pos)
        new = "new " if name in CONCURRENT_CLASSES else ""
        return f"{new}{text}({', '.join(args + self.options(node, pos))})"

    def init_of(self, cls):
        if self._inits is None:  # each class's __init__ (the first class of a name), found once
            self._inits = {}
            for node in self.nodes:
                if isinstance(node, ast.ClassDef) and node.name not in self._inits:
                    self._inits[node.name] = next((st for st in node.body if isinstance(st, ast.FunctionDef)
                                                   and st.name == "__init__"), None)
        return self._inits.get(cls)

    def dataclass_args(self, node, n, args):
        cls = self.dataclasses[n]
        names = [st.target.id for st in cls.body if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)]
        args = list(args)
        kw = {k.arg: self.expr(k.value) for k in node.keywords}
        for i, name in enumerate(names):
            if i < len(args):
                continue
            if name in kw:
                args.append(kw.pop(name))
            elif kw:
                args.append("undefined")
        if kw:
            self.fail(node, f"keyword {next(iter(kw))}=", f"{n} has no such field")
        return args

    def type_ref(self, t):
        if isinstance(t, ast.Name):
            if t.id in ("int", "float", "str", "bool", "list", "dict", "set", "tuple", "bytes", "frozenset"):
                return self.helper(t.id) if t.id != "tuple" else self.helper("tuple_")
            if t.id in EXCEPTIONS and t.id not in self.classes and t.id not in self.from_names:
                return self.class_ref(t.id, t)
            return t.id
        return self.expr(t)

    def call_attr(self, node, f, args):
        recv = f.value
        self._receivers.add(id(recv))
        m = f.attr
        # asyncio.NAME(...) and contextvars.NAME(...)
        if self.is_asyncio(recv):
            pos = POSITIONAL_KEYWORDS.get(m, [])
            if m == "create_subprocess_exec" and node.args and isinstance(node.args[0], ast.Starred):
                # `create_subprocess_exec(*cmd)`: TypeScript spreads an array only into a rest
                # parameter, and tulip's first parameter (the program) is not one
                args = [f"...({self.expr(node.args[0].value)} as [any, ...any[]])"] + list(args[1:])
            args = self.place_keywords(node, args, pos)
            new = "new " if m in ASYNCIO_CLASSES else ""
            generic = "<any>" if m in GENERIC_CLASSES else ""
            nonnull = "!" if m in NULLABLE_CALLS and self.receiver_of_call(node) else ""
            text = f"{new}{self.ns_of(recv)}.{m}{generic}({', '.join(args + self.options(node, pos))}){nonnull}"
            if m == "run":
                return self.blocking(node, text)
            return text
        if isinstance(recv, ast.Name) and self.module_aliases.get(recv.id) == "contextvars":
            pos = POSITIONAL_KEYWORDS.get(m, [])
            args = self.place_keywords(node, args, pos)
            new = "new " if m in CONTEXTVARS_CLASSES else ""
            generic = "<any>" if m in GENERIC_CLASSES else ""
            return f"{new}{recv.id}.{m}{generic}({', '.join(args + self.options(node, pos))})"
        if isinstance(recv, ast.Name) and self.module_aliases.get(recv.id) in HELPER_MODULES:
            return f"{recv.id}.{m}({', '.join(args)})"
        cf = self.concurrent_ns(recv)
        if cf is not None:
            return self.concurrent_call(node, f"{cf}.{m}", m, args)
        if isinstance(recv, ast.Call) and isinstance(recv.func, ast.Name) and recv.func.id == "super" and not recv.args:
            if m == "__init__":
                return f"super({', '.join(args)})"
            return f"super.{m}({', '.join(args)})"
        r = self.operand(recv)
        if isinstance(recv, ast.Constant) and isinstance(recv.value, str):
            if m == "join" and len(args) == 1:
                it = node.args[0]
                seq = args[0] if self.is_array(it) or isinstance(it, ast.GeneratorExp) else f"{self.helper('list')}({args[0]})"
                return f"{seq}.join({r})"
            if m == "format":
                return self.str_format(node, recv.value)
        if m in ("__anext__", "aclose") and not node.args and not node.keywords and m not in self.methods:
            return f"{self.helper('anext' if m == '__anext__' else 'aclose')}({r})"
        if node.keywords and m in ("sort",):
            return f"{self.helper(m)}({', '.join([r] + args + self.options(node))})"
        if m in ("strip", "lstrip", "rstrip") and not args and self.is_str(recv):
            return f"{r}.{ {'strip': 'trim', 'lstrip': 'trimStart', 'rstrip': 'trimEnd'}[m] }()"
        if m == "split" and len(args) == 1 and not node.keywords and self.is_str(recv) and self.is_str(node.args[0]):
            return f"{r}.split({args[0]})"
        if m in ("upper", "lower", "replace", "startswith", "endswith") and not self.is_str(recv) and not node.keywords:
            return f"{self.helper(m)}({', '.join([r] + args)})"
        if m in SIMPLE_METHODS and not node.keywords:
            if m == "replace" and len(args) != 2:
                return self.todo(node, "replace() with a count", "not translated")
            return f"{r}.{SIMPLE_METHODS[m]}({', '.join(args)})"
        if m == "extend" and len(args) == 1:
            return f"{r}.push(...{self.operand(node.args[0])})"
        if m == "insert" and len(args) == 2:
            return f"{r}.splice({args[0]}, 0, {args[1]})"
        if m == "join" and len(args) == 1:
            return f"{self.helper('join')}({r}, {args[0]})"
        if m in ("get", "pop") and len(args) >= 1:
            return f"{self.helper(m + '_')}({r}, {', '.join(args)})"
        if m == "clear" and not args:
            return f"{self.helper('clear')}({r})"
        if m in HELPER_METHODS and not (m in ("remove", "count", "index", "update", "copy", "split", "find") and False):
            if m == "copy" and args:
                pass
            elif m in ("count",) and not args:
                pass
            else:
                if node.keywords and m not in ("sort", "split"):
                    self.fail(node, f".{m}() with keyword arguments", "not translated")
                return f"{self.helper(m)}({', '.join([r] + args + self.options(node))})"
        if m == "add" and len(args) == 1 and not node.keywords:
            return f"{r}.add({args[0]})"
        if self.is_blocking_call(node):
            text = f"{r}.{m}({', '.join(args)})"
            return self.blocking(node, text)
        if node.keywords and m in self.methods:
            # a method this file defines: its keyword arguments go to their places, as for functions
            self.functions[m] = self.methods[m]
            return f"{r}.{m}({', '.join(self.user_call(node, m, args))})"
        pos = POSITIONAL_KEYWORDS.get(m, [])
        args = self.place_keywords(node, args, pos)
        if self.class_stack and isinstance(recv, ast.Name) and recv.id == "self":
            return f"{r}.{m}({', '.join(args + self.options(node, pos))})"
        return f"{r}.{m}({', '.join(args + self.options(node, pos))})"

    def receiver_of_call(self, node):
        """Whether `node` (a call) is the receiver of an attribute access: `current_task().get_name()`."""
        return id(node) in self._receivers

    def str_format(self, node, fmt):
        """`"…{}…{name!r:>5}…".format(a, name=b)` as a template literal, fields resolved now."""
        import string
        if any(isinstance(a, ast.Starred) for a in node.args):
            return self.todo(node, "str.format(*args)", "the fields cannot be matched to arguments")
        kws = {k.arg: k.value for k in node.keywords}
        out, auto, manual = [], 0, False
        try:
            parsed = list(string.Formatter().parse(fmt))
        except ValueError as e:
            return self.todo(node, "str.format()", str(e))
        for literal, field, spec, conv in parsed:
            out.append(template_text(literal))
            if field is None:
                continue
            if field == "":
                if manual:
                    return self.todo(node, "str.format()", "cannot switch from manual field specification to automatic field numbering")
                field, auto = str(auto), auto + 1
            elif field.isdigit():
                if auto:
                    return self.todo(node, "str.format()", "cannot switch from automatic field numbering to manual field specification")
                manual = True
            if field.isdigit() and int(field) < len(node.args):
                value = node.args[int(field)]
            elif field in kws:
                value = kws[field]
            else:
                return self.todo(node, f"str.format() field {{{field}}}", "only positional and keyword fields are translated")
            if spec and "{" in spec:
                return self.todo(node, "str.format() with a nested field", "not translated")
            fv = ast.FormattedValue(value=value, conversion=ord(conv) if conv else -1,
                                    format_spec=ast.JoinedStr(values=[ast.Constant(spec)]) if spec else None)
            out.append("${" + self.formatted(fv) + "}")
        return "`" + "".join(out) + "`"

    def blocking(self, node, text):
        """A call that blocks in Python until the loop stops: a Promise in tulip, awaited."""
        if not self.scope.is_async and self.scope.kind != "module":
            return self.todo(node, "a blocking loop call in a plain function",
                             "it returns a Promise in tulip; make the function async and await it")
        return f"await {text}"


def port_source(source, filename="<input>", allow_todo=False):
    p = Porter(source, filename, allow_todo)
    try:
        return {"file": filename, "ts": p.port()}
    except CannotPort as e:
        n = e.node
        return {"file": filename, "error": f"{filename}:{getattr(n, 'lineno', 1)}:{getattr(n, 'col_offset', 0) + 1}: "
                                           f"cannot port {e.construct}: {e.why}"}
    except SyntaxError as e:
        return {"file": filename, "error": f"{filename}:{e.lineno}:{e.offset}: cannot port: {e.msg}"}


def main(argv):
    allow_todo = "--allow-todo" in argv
    files = [a for a in argv if a != "--allow-todo"]
    results = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            results.append(port_source(fh.read(), f, allow_todo))
    sys.stdout.write(json.dumps({"results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
