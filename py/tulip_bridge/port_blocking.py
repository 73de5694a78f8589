"""tulip port: plain functions that run the event loop, which become async functions awaited by their callers.

In Python `loop.run_until_complete(…)`, `loop.run_forever()` and a Runner's `run()` block the
calling function until the loop stops; in tulip they return a Promise (Node cannot block its
thread), so the caller awaits it and is async itself. This pass finds which plain `def`s and
lambdas are such callers: those that make one of these calls, call such a def, or call a
parameter that some call site fills with such a callable (`attempt("run", lambda:
loop.run_until_complete(coro))`, `attempt("forever", loop.run_forever)`); a fixpoint over the
module. The port then writes them `async` and awaits their calls (`await` of a plain value is
the value itself, so a parameter that is sometimes a plain callable still works).
"""
import ast


class Plan:
    def __init__(self):
        self.defs = set()  # names of the plain defs made async
        self.lambdas = set()  # ids of the lambdas made async
        self.params = {}  # def name -> names of its parameters that receive an async callable


def _local(node):
    """The nodes of a function's body, not those of the functions and lambdas inside it."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield child
        yield from _local(child)


def plan(tree, is_blocking_call, nodes):
    p = Plan()
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    if not any(is_blocking_call(c) for c in calls) and not any(
            isinstance(n, ast.Attribute) and is_blocking_call(ast.Call(func=n, args=[], keywords=[]))
            for n in nodes):
        return p  # nothing runs the loop (the usual case)
    defs = {}
    for n in nodes:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs.setdefault(n.name, []).append(n)
    # a name defined once, as a plain function outside a class body
    methods = {id(st) for c in nodes if isinstance(c, ast.ClassDef) for st in c.body}
    plain = {name: ns[0] for name, ns in defs.items()
             if len(ns) == 1 and isinstance(ns[0], ast.FunctionDef) and id(ns[0]) not in methods}
    lambdas = [n for n in nodes if isinstance(n, ast.Lambda)]
    local_calls = {}  # id(fn) -> the calls of its own body, found once

    def async_callable(e):
        if isinstance(e, ast.Lambda):
            return id(e) in p.lambdas
        if isinstance(e, ast.Name):
            return e.id in p.defs
        if isinstance(e, ast.Attribute):
            return is_blocking_call(ast.Call(func=e, args=[], keywords=[]))
        return False

    def blocks(fn, params):
        if id(fn) not in local_calls:
            local_calls[id(fn)] = [n for n in _local(fn) if isinstance(n, ast.Call)]
        for n in local_calls[id(fn)]:
            if is_blocking_call(n):
                return True
            if isinstance(n.func, ast.Name) and (n.func.id in p.defs or n.func.id in params):
                return True
        return False

    changed = True
    while changed:
        changed = False
        for name, fn in plain.items():
            if name not in p.defs and blocks(fn, p.params.get(name, set())):
                p.defs.add(name)
                changed = True
        for lam in lambdas:
            if id(lam) not in p.lambdas and blocks(lam, set()):
                p.lambdas.add(id(lam))
                changed = True
        for c in calls:
            if not (isinstance(c.func, ast.Name) and c.func.id in plain):
                continue
            fn = plain[c.func.id]
            names = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            got = p.params.setdefault(c.func.id, set())
            filled = list(zip(names, c.args)) + [(k.arg, k.value) for k in c.keywords if k.arg in names]
            for pname, arg in filled:
                if pname not in got and async_callable(arg):
                    got.add(pname)
                    changed = True
    return p
