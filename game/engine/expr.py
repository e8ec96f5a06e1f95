"""The condition / expression language.

Integer and boolean literals, names of gauges and variables, `+ - *`,
unary `-`, comparisons (chainable), `and or not`, parentheses. Nothing else.

The source is parsed once with `ast`, every node is checked against a
whitelist and type-checked (int vs bool); then a Python lambda is generated
*from the checked tree* (names become reads of the value tuple) and compiled.
The raw text is never evaluated. Growth is bounded: literals stay within
±INT_LIMIT and an expression holds at most MAX_MULTIPLICATIONS `*`, so no
expression can build a huge integer or hang the process.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Mapping

from .model import INT_LIMIT, did_you_mean

MAX_LENGTH = 1000
MAX_NODES = 200
MAX_MULTIPLICATIONS = 3

_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_LITERALS = {"true": True, "false": False, "True": True, "False": False}

_FORBIDDEN_NAMES = {
    ast.Call: "function calls are not allowed",
    ast.Attribute: "attributes ('a.b') are not allowed",
    ast.Subscript: "indexing ('a[0]') is not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.IfExp: "'x if c else y' is not allowed; use text variants or separate choices",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Await: "'await' is not allowed",
}


class ExprError(Exception):
    """A located error in an expression: `offset` is 0-based in the source."""

    def __init__(self, message: str, offset: int = 0, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Expr:
    """A compiled expression: `fn(values)` with values indexed like `names`."""

    source: str
    type: type
    fn: Callable[[tuple], object]
    names: frozenset[str]


def compile_expr(source: str, types: Mapping[str, type], index: Mapping[str, int] | None = None,
                 want: type | None = bool) -> Expr:
    """Parse, check and compile `source`.

    `types` maps each gauge/variable name to int or bool; `index` maps names
    to their position in the values tuple (default: order of `types`).
    `want` is the required result type (bool for conditions; None for any).
    Raises ExprError with a 0-based offset into `source`.
    """
    if not isinstance(source, str):
        raise ExprError("an expression must be text")
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression too long ({len(source)} characters, at most {MAX_LENGTH})")
    if not source.strip():
        raise ExprError("empty expression")
    if index is None:
        index = {n: i for i, n in enumerate(types)}
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as e:
        col = (e.offset or 1) - 1 + (len(source) - len(source.lstrip()))
        raise ExprError(f"invalid expression: {e.msg}", max(col, 0),
                        "conditions look like 'workload >= 70 and not sms_nuit'") from None
    lead = len(source) - len(source.lstrip())
    checker = _Checker(types, lead)
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExprError(f"expression too complex ({count} parts, at most {MAX_NODES})")
    rtype = checker.check(tree.body)
    if checker.mults > MAX_MULTIPLICATIONS:
        raise ExprError(f"at most {MAX_MULTIPLICATIONS} multiplications in one expression")
    if want is not None and rtype is not want:
        kind = "a condition (true/false)" if want is bool else "a number"
        raise ExprError(f"this expression gives {'a number' if rtype is int else 'true/false'}, "
                        f"but {kind} is expected here", lead,
                        "compare it, e.g. 'relances > 0'" if want is bool else None)
    code = "lambda v: " + _emit(tree.body, index)
    fn = eval(compile(code, "<expression>", "eval"), {"__builtins__": {}})  # generated from a checked tree
    return Expr(source, rtype, fn, frozenset(checker.names))


class _Checker:
    def __init__(self, types: Mapping[str, type], lead: int):
        self.types = types
        self.lead = lead
        self.mults = 0
        self.names: set[str] = set()

    def where(self, node: ast.AST) -> int:
        return self.lead + getattr(node, "col_offset", 0)

    def check(self, node: ast.AST) -> type:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return bool
            if isinstance(v, int):
                if abs(v) > INT_LIMIT:
                    raise ExprError(f"number too large (at most {INT_LIMIT})", self.where(node))
                return int
            if isinstance(v, str):
                raise ExprError("strings are not allowed in expressions", self.where(node))
            if isinstance(v, float):
                raise ExprError("only whole numbers are allowed", self.where(node))
            raise ExprError(f"{v!r} is not allowed in expressions", self.where(node))
        if isinstance(node, ast.Name):
            if node.id in _LITERALS:
                return bool
            if node.id not in self.types:
                raise ExprError(f"unknown name '{node.id}'", self.where(node),
                                did_you_mean(node.id, self.types) or
                                ("known names: " + ", ".join(self.types) if self.types else None))
            self.names.add(node.id)
            return self.types[node.id]
        if isinstance(node, ast.UnaryOp):
            t = self.check(node.operand)
            if isinstance(node.op, ast.Not):
                self.expect(node.operand, t, bool, "'not'")
                return bool
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                self.expect(node.operand, t, int, "'-'")
                return int
            raise ExprError("'~' is not allowed", self.where(node))
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in _BIN:
                sym = {ast.Pow: "**", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%"}.get(op, "this operator")
                raise ExprError(f"'{sym}' is not allowed; use + - * and comparisons", self.where(node))
            if op is ast.Mult:
                self.mults += 1
            lt, rt = self.check(node.left), self.check(node.right)
            self.expect(node.left, lt, int, f"'{_BIN[op]}'")
            self.expect(node.right, rt, int, f"'{_BIN[op]}'")
            return int
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            for v in node.values:
                self.expect(v, self.check(v), bool, f"'{word}'")
            return bool
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            ts = [self.check(o) for o in operands]
            for op, left, right, lt, rt in zip(node.ops, operands, operands[1:], ts, ts[1:]):
                if type(op) not in _CMP:
                    raise ExprError("only == != < <= > >= comparisons are allowed", self.where(right))
                if isinstance(op, (ast.Eq, ast.NotEq)):
                    if lt is not rt:
                        raise ExprError("cannot compare a number with true/false", self.where(left))
                else:
                    self.expect(left, lt, int, "an ordering comparison")
                    self.expect(right, rt, int, "an ordering comparison")
            return bool
        for kind, msg in _FORBIDDEN_NAMES.items():
            if isinstance(node, kind):
                raise ExprError(msg, self.where(node))
        raise ExprError(f"'{type(node).__name__}' is not allowed in expressions", self.where(node))

    def expect(self, node: ast.AST, got: type, want: type, what: str) -> None:
        if got is not want:
            raise ExprError(f"{what} needs {'numbers' if want is int else 'true/false values'}",
                            self.where(node))


def _emit(node: ast.AST, index: Mapping[str, int]) -> str:
    """Python source for a *checked* node: only whitelisted shapes reach here."""
    if isinstance(node, ast.Constant):
        return repr(node.value)
    if isinstance(node, ast.Name):
        if node.id in _LITERALS:
            return repr(_LITERALS[node.id])
        return f"v[{int(index[node.id])}]"
    if isinstance(node, ast.UnaryOp):
        op = {ast.Not: "not ", ast.USub: "-", ast.UAdd: "+"}[type(node.op)]
        return f"({op}{_emit(node.operand, index)})"
    if isinstance(node, ast.BinOp):
        return f"({_emit(node.left, index)} {_BIN[type(node.op)]} {_emit(node.right, index)})"
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        return "(" + word.join(_emit(v, index) for v in node.values) + ")"
    if isinstance(node, ast.Compare):
        parts = [_emit(node.left, index)]
        for op, right in zip(node.ops, node.comparators):
            parts.append(_CMP[type(op)])
            parts.append(_emit(right, index))
        return "(" + " ".join(parts) + ")"
    raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover
