"""A small JSON Schema (2020-12) validator for the keywords spec/schema.json uses.

The suite needs only a dozen keywords, and a hand-written checker keeps tulip_bridge free
of a validator dependency. A keyword it does not know is an error, never silently
ignored, so the schema cannot grow past what is checked.
"""

import re

__all__ = ["validate", "SchemaError"]

_ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment"}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaError(Exception):
    pass


def validate(instance, schema, root=None) -> list[str]:
    """Return the list of errors (empty when ``instance`` is valid)."""
    return _check(instance, schema, root if root is not None else schema, "$")


def _check(v, s, root, path) -> list[str]:
    if s is True or s == {}:
        return []
    if s is False:
        return [f"{path}: not allowed"]
    unknown = set(s) - _KEYWORDS - _ANNOTATIONS - {"$defs"}
    if unknown:
        raise SchemaError(f"unsupported schema keywords {sorted(unknown)}")
    errors: list[str] = []
    for key in _ORDER:
        if key in s:
            errors += _KEYWORD_CHECKS[key](v, s[key], s, root, path)
            if errors and key in ("$ref", "type", "required"):
                return errors  # later keywords would only repeat the same failure
    return errors


def _ref(v, ref, s, root, path):
    if not ref.startswith("#/"):
        raise SchemaError(f"only local $ref supported: {ref}")
    target = root
    for part in ref[2:].split("/"):
        target = target[part]
    return _check(v, target, root, path)


def _type(v, t, s, root, path):
    types = t if isinstance(t, list) else [t]
    return [] if any(_TYPES[x](v) for x in types) else [f"{path}: expected {t}"]


def _enum(v, options, s, root, path):
    same = any(v == o and type(v) is type(o) for o in options)
    return [] if same else [f"{path}: {v!r} is not one of {options}"]


def _required(v, req, s, root, path):
    if not isinstance(v, dict):
        return []
    return [f"{path}: missing {k!r}" for k in req if k not in v]


def _properties(v, props, s, root, path):
    if not isinstance(v, dict):
        return []
    out = []
    for k, sub in props.items():
        if k in v:
            out += _check(v[k], sub, root, f"{path}.{k}")
    return out


def _additional(v, extra, s, root, path):
    if not isinstance(v, dict):
        return []
    known = s.get("properties", {})
    out = []
    for k in v:
        if k not in known:
            out += [f"{path}: unexpected key {k!r}"] if extra is False else _check(v[k], extra, root, f"{path}.{k}")
    return out


def _property_names(v, names, s, root, path):
    if not isinstance(v, dict):
        return []
    return [e for k in v for e in _check(k, names, root, f"{path}[{k!r}]")]


def _items(v, items, s, root, path):
    if not isinstance(v, list):
        return []
    return [e for i, x in enumerate(v) for e in _check(x, items, root, f"{path}[{i}]")]


def _min_items(v, n, s, root, path):
    return [f"{path}: fewer than {n} items"] if isinstance(v, list) and len(v) < n else []


def _max_items(v, n, s, root, path):
    return [f"{path}: more than {n} items"] if isinstance(v, list) and len(v) > n else []


def _min_length(v, n, s, root, path):
    return [f"{path}: shorter than {n}"] if isinstance(v, str) and len(v) < n else []


def _pattern(v, pattern, s, root, path):
    if isinstance(v, str) and not re.search(pattern, v):
        return [f"{path}: {v!r} does not match {pattern}"]
    return []


def _any_of(v, options, s, root, path):
    results = [_check(v, o, root, path) for o in options]
    if any(not r for r in results):
        return []
    return _best(v, options, results, path, "anyOf")


def _one_of(v, options, s, root, path):
    results = [_check(v, o, root, path) for o in options]
    passed = sum(1 for r in results if not r)
    if passed == 1:
        return []
    if passed > 1:
        return [f"{path}: matches {passed} oneOf branches"]
    return _best(v, options, results, path, "oneOf")


def _best(v, options, results, path, kw):
    if all(set(o) == {"required"} for o in options):
        return [f"{path}: needs one of {[o['required'][0] for o in options]}"]
    # Report the branch the value was evidently meant for: the one whose required keys it
    # has (or a nested oneOf/anyOf's best guess), rather than every branch's complaint.
    meant = [r for o, r in zip(options, results)
             if isinstance(v, dict) and o.get("required") and all(k in v for k in o["required"][:1])]
    if len(meant) == 1:
        return meant[0]
    nested = [r for r in results if r and not any("expected" in e for e in r[:1])]
    if len(nested) == 1:
        return nested[0]
    return [f"{path}: matches no {kw} branch"]


_KEYWORD_CHECKS = {
    "$ref": _ref, "type": _type, "enum": _enum, "required": _required,
    "properties": _properties, "additionalProperties": _additional,
    "propertyNames": _property_names, "items": _items, "minItems": _min_items,
    "maxItems": _max_items, "minLength": _min_length, "pattern": _pattern,
    "anyOf": _any_of, "oneOf": _one_of,
}
_ORDER = list(_KEYWORD_CHECKS)
_KEYWORDS = set(_KEYWORD_CHECKS)
