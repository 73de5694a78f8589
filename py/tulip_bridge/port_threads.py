"""tulip port: the functions a program runs in a worker thread, and whether they can run there.

Python's `asyncio.to_thread(f, …)`, `loop.run_in_executor(ex, f, …)` and an executor's
`submit(f, …)` / `map(f, …)` run `f` in a thread that shares the program's memory. tulip's
workers do not: a function crosses to one by its module and export name (tulip/concurrent's
`threadable(import.meta.url, f)`), and the worker imports the module to find it. So a
top-level plain `def` given to one of them is ported as an exported threadable const, and the
program's entry is guarded with `isMainModule(import.meta)` so that the worker's import does
not run it again. What that cannot make faithful stops the port: a lambda or nested function
(it has no export), a function that rebinds module globals or reads a module-level variable
that is not a constant (the worker has its own copy of the module), and top-level code other
than definitions that the worker's import would run a second time.
"""
import ast

# asyncio's and concurrent.futures' ways to run a function in a worker: the call's method
# name and the index of the function among its arguments.
RUNS_IN_WORKER = {"to_thread": 0, "run_in_executor": 1, "submit": 0, "map": 0}


def _asyncio_names(nodes):
    """The names this module gives asyncio, and the names it imports asyncio.to_thread as."""
    modules, to_thread = set(), set()
    for s in nodes:
        if isinstance(s, ast.Import):
            modules.update(a.asname or a.name for a in s.names if a.name in ("asyncio", "contextvars"))
        elif isinstance(s, ast.ImportFrom) and s.module == "asyncio":
            to_thread.update(a.asname or a.name for a in s.names if a.name == "to_thread")
    return modules, to_thread


def _target(call, names):
    """The node naming the function `call` runs in a worker, and the call's name, or (None, None)."""
    modules, to_thread = names
    f = call.func
    if isinstance(f, ast.Attribute) and f.attr in RUNS_IN_WORKER:
        name = f.attr
        if name == "to_thread" and not (isinstance(f.value, ast.Name) and f.value.id in modules):
            return None, None
    elif isinstance(f, ast.Name) and f.id in to_thread:
        name = "to_thread"
    else:
        return None, None
    i = RUNS_IN_WORKER[name]
    if len(call.args) <= i or isinstance(call.args[i], ast.Starred):
        return None, None
    return call.args[i], name


def _free_names(fn):
    """Names `fn` reads that it does not bind itself (parameters, assignments, loops, nested defs)."""
    bound = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    for a in (fn.args.vararg, fn.args.kwarg):
        if a is not None:
            bound.add(a.arg)
    reads = []
    for n in ast.walk(fn):
        if isinstance(n, ast.Name):
            if isinstance(n.ctx, ast.Load):
                reads.append(n)
            else:
                bound.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n is not fn:
            bound.add(n.name)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
    return [n for n in reads if n.id not in bound]


def _constant(value):
    """Whether a module-level value is the same in a worker's import: a constant, or a tuple/frozen display of them."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Tuple):
        return all(_constant(e) for e in value.elts)
    if isinstance(value, ast.UnaryOp):
        return _constant(value.operand)
    if isinstance(value, ast.BinOp):
        return _constant(value.left) and _constant(value.right)
    return False


def _module_values(body):
    """Module-level variables: name -> the values assigned to it at top level (definitions and imports excluded)."""
    values = {}
    for s in body:
        if isinstance(s, ast.Assign):
            for t in s.targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        values.setdefault(n.id, []).append(s.value if isinstance(t, ast.Name) else None)
        elif isinstance(s, (ast.AnnAssign, ast.AugAssign)) and isinstance(s.target, ast.Name):
            values.setdefault(s.target.id, []).append(s.value if isinstance(s, ast.AnnAssign) else None)
        elif isinstance(s, (ast.For, ast.While, ast.If, ast.With, ast.Try)):
            for n in ast.walk(s):
                if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
                    values.setdefault(n.id, []).append(None)
    return values


def plan(tree, fail, nodes):
    """The names of the top-level defs to port as threadable; `fail(node, construct, why)` (which
    raises) where a worker cannot run one faithfully."""
    body = tree.body
    asyncio_names = _asyncio_names(nodes)
    targets = [(call,) + _target(call, asyncio_names) for call in nodes if isinstance(call, ast.Call)]
    targets = [t for t in targets if t[1] is not None]
    if not targets:
        return []  # nothing runs in a worker (the usual case)
    defs = {s.name: s for s in body if isinstance(s, ast.FunctionDef)}
    nested = {n.name for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))} - set(defs)
    values = _module_values(body)
    # a name rebound anywhere with `global` is state the worker would not share
    rebound = {name for n in nodes if isinstance(n, ast.Global) for name in n.names}
    wanted = []
    for call, target, how in targets:
        what = f"{how}() of " + (ast.unparse(target) if hasattr(ast, "unparse") else "a function")
        if isinstance(target, ast.Lambda):
            if how in ("to_thread", "run_in_executor"):
                fail(target, what, "a function crosses to a worker thread by its module and export name, "
                                 "and a lambda has none; make it a top-level def")
            continue
        if not isinstance(target, ast.Name):
            continue
        if target.id in defs:
            wanted.append((target.id, call))
        elif target.id in nested and target.id not in values and how in ("to_thread", "run_in_executor"):
            fail(target, what, "a function crosses to a worker thread by its module and export name, "
                             "and a nested function has none (its closure stays on this thread); make it a top-level def")
    names = []
    seen = set()
    todo = [(n, c) for n, c in wanted]
    while todo:  # the targets and the module's defs they call, which the worker runs too
        name, call = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        fn = defs[name]
        if name not in names and any(n == name for n, _ in wanted):
            names.append(name)
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(fn)):
            fail(call, f"running the generator function {name} in a worker", "its generator cannot cross back")
        for n in ast.walk(fn):
            if isinstance(n, (ast.Global, ast.Nonlocal)):
                fail(n, f"`global` in {name}, which runs in a worker thread",
                                 "the worker has its own copy of this module's globals, so the program would not see the change")
        for n in _free_names(fn):
            if n.id in defs:
                todo.append((n.id, call))
            elif n.id in values or n.id in rebound:
                if n.id not in rebound and all(v is not None and _constant(v) for v in values[n.id]):
                    continue
                fail(n, f"the module variable {n.id} in {name}, which runs in a worker thread",
                                 "the worker has its own copy of this module, made by importing it, "
                                 "so it would not see what the program put there")
    if names:
        check_top_level(body, asyncio_names[0], names[0], fail)
    return names


def is_main_guard(s):
    t = s.test if isinstance(s, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__" and not s.orelse)


def _harmless_value(value, modules):
    """A top-level value the worker's import may compute again: no call but of a class that only stores state."""
    for n in ast.walk(value):
        if isinstance(n, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return False
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
                    f.value.id in modules and f.attr[:1].isupper():
                continue  # asyncio.Event(), contextvars.ContextVar("x"): objects that only hold state
            return False
    return True


def check_top_level(body, modules, name, fail):
    """Top-level code the worker's import would run again (beyond definitions and the guarded entry) stops the port."""
    for i, s in enumerate(body):
        if isinstance(s, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass)):
            continue
        if isinstance(s, ast.Expr):
            continue  # a docstring, or a call the port guards with isMainModule
        if is_main_guard(s):
            continue
        if isinstance(s, (ast.Assign, ast.AnnAssign)) and (s.value is None or _harmless_value(s.value, modules)):
            continue
        fail(s, f"this top-level statement in a program that runs {name} in a worker thread",
                         f"the worker imports the module to find {name} and would run it again; "
                         "put it under `if __name__ == \"__main__\":`")
