"""The condition / expression language.

Integer and boolean literals, names of gauges and variables, `+ - *`,
unary `-`, comparisons (chainable), `and or not`, parentheses. Nothing else.

The source is parsed once with `ast`, every node is checked against a
whitelist and type-checked (int vs bool); then a Python lambda is generated
*from the checked tree* (names become reads of the value tuple) and compiled,
once per shape: names' positions and literals are parameters of a factory,
so `a > 3` and `b > 7` share one compile() (a pure function of the shape,
memoised). The raw text is never evaluated; nothing but the checked tree's
own shapes is ever compiled. Growth is bounded: literals stay within
±INT_LIMIT and an expression holds at most MAX_MULTIPLICATIONS `*`, so no
expression can build a huge integer or hang the process.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
import unicodedata
from dataclasses import dataclass
from types import CodeType, FunctionType
from typing import Callable, Mapping

from .names import INT_LIMIT, closest, did_you_mean

MAX_LENGTH = 1000
#: A word (letters, digits, '_') with a character outside ASCII: names match [a-z_][a-z0-9_]*.
_NON_ASCII_NAME = re.compile(r"\w*[^\W\x00-\x7f]\w*")
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

    def __init__(self, message: str, offset: int = 0, hint: str | None = None, code: str = "P301",
                 params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
        #: The diagnostic code and the parameters of its catalogue message (see game/i18n).
        self.code = code
        self.params = params if params is not None else {"detail": message}


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

    A pure function of its arguments, memoised: the reference checks and
    `Rules.compile` compile the same conditions of a file, and the result is
    an immutable value (the memo is thread-safe and bounded).
    """
    if isinstance(source, str):
        try:
            named = _shared_key(tuple(types.items()))
            key_index = None if index is None or list(index.items()) == [(n, i) for i, (n, _) in enumerate(named)] \
                else tuple(index.items())
        except (AttributeError, TypeError):  # not mappings: the checks below say what is wrong
            return _compile(source, types, index, want)
        return _memo(source, named, key_index, want)
    return _compile(source, types, index, want)


@functools.lru_cache(maxsize=256)
def _shared_key(named: tuple) -> tuple:
    """One key per scenario's names and types: the memo's entries share it (fewer objects to collect)."""
    return named


@functools.lru_cache(maxsize=8192)
def _memo(source: str, named: tuple, index: tuple | None, want: type | None) -> Expr:
    return _compile(source, dict(named), None if index is None else dict(index), want)


def _compile(source: str, types: Mapping[str, type], index: Mapping[str, int] | None, want: type | None) -> Expr:
    if not isinstance(source, str):
        raise ExprError("an expression must be text", code="P209", params={"got": "expression"})
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression too long ({len(source)} characters, at most {MAX_LENGTH})", code="P311",
                        params={"detail": f"{len(source)} > {MAX_LENGTH}"})
    if not source.strip():
        raise ExprError("empty expression", code="P313", params={})
    if index is None:
        index = {n: i for i, n in enumerate(types)}
    text = source.strip()
    lead = len(source) - len(source.lstrip())
    odd = None if text.isascii() else _NON_ASCII_NAME.search(text)
    if odd:  # Python would fold 'ｒｅｌａｔｉｏｎ' into 'relation' (NFKC): names are written in ASCII
        name = odd.group(0)
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        raise ExprError(f"unknown name '{name}'", lead + odd.start(), did_you_mean(folded, types),
                        code="P303", params={"name": name, "suggestion": closest(folded, types)})
    shaped = _by_shape(text, types, index, want)
    if shaped is not None:
        return Expr(source, *shaped)
    rtype, form, params, names = _checked(text, lead, types, index, want)
    return Expr(source, rtype, _factory(form, len(params))(*params), names)


def _checked(text: str, lead: int, types: Mapping[str, type], index: Mapping[str, int],
             want: type | None) -> tuple[type, str, list, frozenset[str]]:
    """Parse and check `text`: its type, the form of its lambda, the form's parameters, the names it reads."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        # offset is 1-based in characters on line `lineno`; 0 means "at the end".
        col = _offset(text, e.lineno, e.offset - 1, in_bytes=False) if e.offset else len(text)
        raise ExprError(f"invalid expression: {e.msg}", lead + col,
                        "conditions look like 'workload >= 70 and not sms_nuit'", params={"detail": e.msg}) from None
    checker = _Checker(types, lead, text)
    rtype = checker.check(tree.body)  # counts the parts as it goes: refuses more than MAX_NODES
    if checker.mults > MAX_MULTIPLICATIONS:
        raise ExprError(f"at most {MAX_MULTIPLICATIONS} multiplications in one expression", code="P311",
                        params={"detail": f"* > {MAX_MULTIPLICATIONS}"})
    if want is not None and rtype is not want:
        kind = "a condition (true/false)" if want is bool else "a number"
        raise ExprError(f"this expression gives {'a number' if rtype is int else 'true/false'}, "
                        f"but {kind} is expected here", lead,
                        "compare it, e.g. 'relances > 0'" if want is bool else None, code="P308",
                        params={"got": "number" if rtype is int else "bool", "want": "condition" if want is bool else "number"})
    params: list = []
    form = _emit(tree.body, index, params)
    return rtype, form, params, _names(frozenset(checker.names))


#: The words of an expression on one line, for `_by_shape`: a whole number (not
#: followed by a letter, a digit or a dot, which Python would read otherwise),
#: a name or a keyword, an operator (the longest first, as Python reads them).
_TOKEN = re.compile(r" *(?:(0|[1-9][0-9]*)(?![\w.])|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[()<>+*-]))")
_WORDS = frozenset({"and", "or", "not"}) | frozenset(_LITERALS)


def _by_shape(text: str, types: Mapping[str, type], index: Mapping[str, int],
              want: type | None) -> tuple[type, Callable, frozenset[str]] | None:
    """The expression compiled from the verdict on its *shape*, or None to go the long way.

    A scenario writes hundreds of conditions of a few shapes ('a > 3 and not
    b', 'c <= 80'). Written on one line, an expression's words are its
    tokens; the shape is the words with each name replaced by its type and
    each number by '#'. Two expressions of one shape have the same tree, the
    same type and the same errors, so the tree is parsed and checked once per
    shape (`_shape_verdict`, a memo of `_checked`) and each expression only
    binds its own names' positions and numbers. Anything else (an unknown
    name, a number over the limit, a character outside these words, a line
    break) takes the long way, which also locates its error.
    """
    shape: list = []
    leaves: list = []
    names: list[str] = []
    pos, end, match = 0, len(text), _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            return None
        pos = m.end()
        number, word, op = m.groups()
        if number is not None:
            value = int(number)
            if value > INT_LIMIT:
                return None
            shape.append("#")
            leaves.append(value)
        elif word is not None:
            if word in _WORDS:
                shape.append(word)
                if word in _LITERALS:
                    leaves.append(_LITERALS[word])
                continue
            t = types.get(word)
            if t is None or keyword.iskeyword(word):  # 'None', 'if': Python reads them otherwise
                return None
            shape.append(t)
            leaves.append(int(index[word]))
            names.append(word)
        else:
            shape.append(op)
    verdict = _shape_verdict(tuple(shape), want)
    if verdict is None:
        return None
    rtype, form, count = verdict
    return rtype, _factory(form, count)(*leaves), _names(frozenset(names))


@functools.lru_cache(maxsize=4096)
def _shape_verdict(shape: tuple, want: type | None) -> tuple[type, str, int] | None:
    """`_checked` on a shape written with stand-in names and numbers: (type, form, number of parameters),
    or None when the shape has an error (each expression then finds and locates it the long way) or
    when the checked tree's parameters are not the shape's words in order (never, but then no verdict)."""
    words, types, expected = [], {}, []
    for k, tok in enumerate(shape):
        if tok == "#":
            words.append("1")
            expected.append(1)
        elif isinstance(tok, type):
            words.append(f"_{k}")
            types[f"_{k}"] = tok
            expected.append(len(types) - 1)
        else:
            words.append(tok)
            if tok in _LITERALS:
                expected.append(_LITERALS[tok])
    try:
        rtype, form, params, _ = _checked(" ".join(words), 0, types, {n: i for i, n in enumerate(types)}, want)
    except ExprError:
        return None
    if len(params) != len(expected) or any(type(a) is not type(b) or a != b for a, b in zip(params, expected)):
        return None
    return rtype, form, len(params)


#: One factory per expression *shape* ("(v[p0] > p1)"): the names' indices and
#: the literals are its parameters, so a scenario's hundreds of conditions
#: cost a handful of compile() calls (compiling is most of a load's time).
#: The parameters are the lambda's defaults, not a closure: one tuple per
#: expression instead of a cell per parameter, read as fast locals; each
#: expression is a function made from the shape's one code object.
@functools.lru_cache(maxsize=4096)
def _factory(shape: str, n: int) -> Callable:
    bound = "".join(f", p{i}=0" for i in range(n))
    outer = compile(f"lambda v{bound}: {shape}", "<expression>", "eval")  # from a checked tree
    code = next(c for c in outer.co_consts if isinstance(c, CodeType))
    return lambda *params: FunctionType(code, _NO_BUILTINS, "<expression>", params)


_NO_BUILTINS: dict = {"__builtins__": {}}


@functools.lru_cache(maxsize=4096)
def _names(names: frozenset[str]) -> frozenset[str]:
    """One frozenset per set of names (a scenario's conditions read a few sets of names)."""
    return names


class _Checker:
    def __init__(self, types: Mapping[str, type], lead: int, text: str = ""):
        self.types = types
        self.lead = lead
        self.text = text
        self.mults = 0
        self.parts = 0
        self.names: set[str] = set()

    def where(self, node: ast.AST) -> int:
        return self.lead + _offset(self.text, getattr(node, "lineno", 1), getattr(node, "col_offset", 0))

    def check(self, node: ast.AST) -> type:
        self.parts += 1
        if self.parts > MAX_NODES:
            raise ExprError(f"expression too complex: at most {MAX_NODES} parts", code="P311",
                            params={"detail": f"> {MAX_NODES}"})
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                return bool
            if isinstance(v, int):
                if abs(v) > INT_LIMIT:
                    raise ExprError(f"number too large (at most {INT_LIMIT})", self.where(node), code="P307",
                                    params={"limit": INT_LIMIT})
                return int
            if isinstance(v, str):
                raise ExprError("strings are not allowed in expressions", self.where(node), code="P305", params={})
            if isinstance(v, float):
                raise ExprError("only whole numbers are allowed", self.where(node), code="P306", params={"value": v})
            raise ExprError(f"{v!r} is not allowed in expressions", self.where(node), code="P304", params={"what": repr(v)})
        if isinstance(node, ast.Name):
            if node.id in _LITERALS:
                return bool
            if node.id not in self.types:
                raise ExprError(f"unknown name '{node.id}'", self.where(node),
                                did_you_mean(node.id, self.types) or
                                ("known names: " + ", ".join(self.types) if self.types else None),
                                code="P303", params={"name": node.id, "suggestion": closest(node.id, self.types)})
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
            raise ExprError("'~' is not allowed", self.where(node), code="P312", params={"op": "~"})
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in _BIN:
                sym = {ast.Pow: "**", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%"}.get(op, "this operator")
                raise ExprError(f"'{sym}' is not allowed; use + - * and comparisons", self.where(node), code="P312",
                                params={"op": sym})
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
                    raise ExprError("only == != < <= > >= comparisons are allowed", self.where(right), code="P314",
                                    params={})
                if isinstance(op, (ast.Eq, ast.NotEq)):
                    if lt is not rt:
                        raise ExprError("cannot compare a number with true/false", self.where(left), code="P310",
                                        params={})
                else:
                    self.expect(left, lt, int, "an ordering comparison")
                    self.expect(right, rt, int, "an ordering comparison")
            return bool
        for kind, msg in _FORBIDDEN_NAMES.items():
            if isinstance(node, kind):
                raise ExprError(msg, self.where(node), code="P304", params={"what": kind.__name__})
        raise ExprError(f"'{type(node).__name__}' is not allowed in expressions", self.where(node), code="P304",
                        params={"what": type(node).__name__})

    def expect(self, node: ast.AST, got: type, want: type, what: str) -> None:
        if got is not want:
            raise ExprError(f"{what} needs {'numbers' if want is int else 'true/false values'}",
                            self.where(node), code="P309", params={"op": what, "want": "numbers" if want is int else "bools"})


_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _offset(text: str, lineno: int | None, col: int | None, in_bytes: bool = True) -> int:
    """A 0-based character offset into `text` from a 1-based line and a column.

    ast columns count UTF-8 bytes from the start of their line; an
    expression may span lines (a YAML block scalar).
    """
    lines = _LINES.findall(text)
    i = max((lineno or 1) - 1, 0)
    line = lines[i] if i < len(lines) else ""
    col = max(col or 0, 0)
    if in_bytes:
        col = len(line.encode("utf-8")[:col].decode("utf-8", "ignore"))
    return sum(len(x) for x in lines[:i]) + min(col, len(line))


def _emit(node: ast.AST, index: Mapping[str, int], params: list) -> str:
    """Python source for a *checked* node: only whitelisted shapes reach here.

    Literals and the names' indices are not written in the source: each
    becomes a parameter `p<k>` whose value is appended to `params`.
    """
    if isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id in _LITERALS):
        value = node.value if isinstance(node, ast.Constant) else _LITERALS[node.id]
        params.append(value)
        return f"p{len(params) - 1}"
    if isinstance(node, ast.Name):
        params.append(int(index[node.id]))
        return f"v[p{len(params) - 1}]"
    if isinstance(node, ast.UnaryOp):
        op = {ast.Not: "not ", ast.USub: "-", ast.UAdd: "+"}[type(node.op)]
        return f"({op}{_emit(node.operand, index, params)})"
    if isinstance(node, ast.BinOp):
        return f"({_emit(node.left, index, params)} {_BIN[type(node.op)]} {_emit(node.right, index, params)})"
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        return "(" + word.join(_emit(v, index, params) for v in node.values) + ")"
    if isinstance(node, ast.Compare):
        parts = [_emit(node.left, index, params)]
        for op, right in zip(node.ops, node.comparators):
            parts.append(_CMP[type(op)])
            parts.append(_emit(right, index, params))
        return "(" + " ".join(parts) + ")"
    raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover
