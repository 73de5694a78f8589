"""Builders for writing scenarios in Python; `build.py` turns spec/src/<area>.py into
spec/scenarios/<area>.json. The JSON is what interpreters read; these helpers only save
typing and never add meaning (each returns the JSON form documented in spec/README.md).
"""


def _call(key, name, args, kw):
    out = {key: name}
    if args:
        out["args"] = list(args)
    kw = {k: v for k, v in kw.items() if v is not None}
    if kw:
        out["kwargs"] = kw
    return out


# -- expressions -------------------------------------------------------------------------
def V(name):
    return "$" + name


def aio(fname, /, *args, **kw):
    return _call("asyncio", fname, args, kw)


def loop(fname, /, *args, **kw):
    return _call("loop", fname, args, kw)


def m(on, mname, /, *args, **kw):
    out = {"method": mname, "on": on}
    out.update({k: v for k, v in _call("x", None, args, kw).items() if k != "x"})
    return out


def attr(on, name):
    return {"attr": name, "on": on}


def cv(fname, /, *args, **kw):
    return _call("contextvars", fname, args, kw)


def coro(name, *args, label=None):
    out = {"coro": name}
    if args:
        out["args"] = list(args)
    if label:
        out["label"] = label
    return out


def fn(name):
    return {"fn": name}


def exc(t, *args):
    out = {"exc": t}
    if args:
        out["args"] = list(args)
    return out


def tup(*xs):
    return {"tuple": list(xs)}


def lit(x):
    return {"lit": x}


def rng(*xs):
    return {"range": list(xs)}


def op(name, a, b):
    return {name: [a, b]}


def ix(x, i):
    """x[i]"""
    return op("index", x, i)


def b(text):
    """b"text": the string's UTF-8 encoding"""
    return {"bytes": text}


def not_(x):
    return {"not": x}


def len_(x):
    return {"len": x}


# -- statements --------------------------------------------------------------------------
def _as(d, as_):
    if as_:
        d["as"] = as_
    return d


def await_(x, as_=None):
    return _as({"await": x}, as_)


def do(x, as_=None):
    return _as({"do": x}, as_)


def trace(label, *values):
    out = {"trace": label}
    if values:
        out["values"] = list(values)
    return out


def ret(x=None):
    return {"return": x}


def raise_(x=None):
    return {"raise": x}


def if_(cond, then, else_=None):
    out = {"if": cond, "then": then}
    if else_:
        out["else"] = else_
    return out


def while_(cond, *body):
    return {"while": cond, "body": list(body)}


def for_(var, in_, *body):
    return {"for": var, "in": in_, "body": list(body)}


BREAK = {"break": None}
CONTINUE = {"continue": None}
PASS = {"pass": None}


def except_(types, *body, as_=None):
    out = {"types": [types] if isinstance(types, str) else list(types), "body": list(body) or [PASS]}
    return _as(out, as_)


def try_(body, *handlers, else_=None, finally_=None):
    out = {"try": body}
    if handlers:
        out["except"] = list(handlers)
    if else_:
        out["else"] = else_
    if finally_:
        out["finally"] = finally_
    return out


def with_(cm, *body, as_=None):
    return _as({"async_with": cm, "body": list(body) or [PASS]}, as_)


# -- common shapes -------------------------------------------------------------------------
def sleep(d, as_=None):
    return await_(aio("sleep", d), as_)


def task(c, name=None, as_=None):
    return do(aio("create_task", c, name=name), as_ or name)


def co(params, *body):
    return {"params": list(params), "body": list(body)}


def f(params, *body):
    return {"params": list(params), "body": list(body)}


def scenario(id, description, features, main, coroutines=None, functions=None,
             provenance=None, clock="virtual"):
    out = {"id": id, "description": description}
    if provenance:
        out["provenance"] = provenance
    out["features"] = list(features)
    out["clock"] = clock
    if coroutines:
        out["coroutines"] = coroutines
    if functions:
        out["functions"] = functions
    out["main"] = main
    return out


# a function that only records that it ran (the automatic `call` event says so)
NOOP = f(["x"], PASS)
NOOP0 = f([], PASS)
