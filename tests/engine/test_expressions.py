"""The expression language (expr.py): every construct, every refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine import ExprError, compile_expr
from game.engine.expr import MAX_LENGTH, MAX_MULTIPLICATIONS, MAX_NODES
from game.engine.model import INT_LIMIT

from tests.engine.strategies import conditions, int_expressions

ENV = {"relation": 50, "workload": 80, "relances": 2, "sms_nuit": True, "cadre": False}
TYPES = {name: (bool if isinstance(v, bool) else int) for name, v in ENV.items()}


def ev(source: str, want: type | None = bool, **env):
    values = {**ENV, **env}
    expr = compile_expr(source, TYPES, want=want)
    return expr.fn(tuple(values[n] for n in TYPES))


def refused(source: str, want: type | None = bool, types=TYPES) -> ExprError:
    with pytest.raises(ExprError) as info:
        compile_expr(source, types, want=want)
    return info.value


# --------------------------------------------------------------------------
# What the language accepts


@pytest.mark.parametrize("source, expected", [
    ("true", True), ("false", False), ("not false", True),
    ("1 < 2", True), ("0 == 0", True), ("-3 < -2", True), ("1000000000 > 999999999", True),
    ("relation == 50", True), ("workload >= 80", True), ("workload > 80", False),
    ("sms_nuit", True), ("cadre", False), ("sms_nuit == true", True), ("cadre != false", False),
    ("sms_nuit == cadre", False),
    ("relation + workload == 130", True), ("relation - workload == -30", True),
    ("relances * 3 == 6", True), ("2 + 3 * relances == 8", True), ("(2 + 3) * relances == 10", True),
    ("relation - relances - 1 == 47", True),  # left-associative
    ("-relation == -50", True), ("- -relation == 50", True), ("-(relation - 60) == 10", True),
    ("0 <= relances < 3", True), ("0 <= relances < 2", False), ("1 < relances == 2 <= workload", True),
    ("relation > 10 and workload < 70", False), ("relation > 10 or workload < 70", True),
    ("not cadre and sms_nuit", True), ("not (cadre or sms_nuit)", False),
    ("cadre or sms_nuit and relation > 60", False),  # 'and' binds tighter than 'or'
    ("(cadre or sms_nuit) and relation < 60", True),
    ("not relation > 60", True), ("((((relation))) == 50)", True),
    ("  workload >= 70  ", True), ("workload>=70 and not cadre", True),
])
def test_accepted_constructs_evaluate_like_python(source, expected):
    assert ev(source) is expected


def test_values_are_read_at_evaluation_time():
    assert ev("workload >= 70", workload=69) is False
    assert ev("workload >= 70", workload=70) is True
    assert ev("relances * relances * relation == 200") is True


def test_number_expressions_when_a_number_is_wanted():
    expr = compile_expr("relation * 2 - relances", TYPES, want=int)
    assert expr.type is int and expr.fn((10, 0, 3, False, False)) == 17
    assert compile_expr("relation", TYPES, want=None).type is int
    assert compile_expr("cadre", TYPES, want=None).type is bool


def test_compiled_expressions_know_their_names_and_source():
    expr = compile_expr("relation > 1 and not cadre or true", TYPES)
    assert expr.names == frozenset({"relation", "cadre"})
    assert expr.source == "relation > 1 and not cadre or true"
    assert expr.type is bool


def test_a_custom_index_maps_names_to_value_positions():
    expr = compile_expr("b - a == 1", {"a": int, "b": int}, index={"a": 1, "b": 0})
    assert expr.fn((5, 4)) is True


def test_limits_are_inclusive():
    compile_expr(f"relation < {INT_LIMIT}", TYPES)
    compile_expr(f"relation > -{INT_LIMIT}", TYPES)
    compile_expr(" * ".join(["relation"] * (MAX_MULTIPLICATIONS + 1)) + " > 0", TYPES)
    source = "relation > 1" + " " * (MAX_LENGTH - len("relation > 1"))
    assert len(source) == MAX_LENGTH
    compile_expr(source, TYPES)


@given(data=st.data())
def test_generated_expressions_compile_and_evaluate_like_python(data):
    ints = ["relation", "workload", "relances"]
    source = data.draw(conditions(ints, ["sms_nuit", "cadre"], max_depth=3))
    env = {**ENV, **{n: data.draw(st.integers(-100, 100)) for n in ints},
           "sms_nuit": data.draw(st.booleans()), "cadre": data.draw(st.booleans())}
    expected = eval(source.replace("true", "True").replace("false", "False"), {"__builtins__": {}}, env)
    assert ev(source, **env) is expected
    number = data.draw(int_expressions(ints))
    assert compile_expr(number, TYPES, want=int).fn(tuple(env[n] for n in TYPES)) == eval(number, {}, env)


# --------------------------------------------------------------------------
# What it refuses, and where it points


@pytest.mark.parametrize("source, message, at", [
    ("relation > abs(workload)", "function calls", "abs("),
    ("len(relation)", "function calls", "len("),
    ("relation.real > 1", "attributes", "relation.real"),
    ("1 < cadre.__class__", "attributes", "cadre.__class__"),
    ("relation[0] > 1", "indexing", "relation[0]"),
    ("1 < relation ** 2", "'**' is not allowed", "relation ** 2"),
    ("relation / 2 > 1", "'/' is not allowed", "relation / 2"),
    ("relation // 2 > 1", "'//' is not allowed", "relation // 2"),
    ("relation % 2 == 0", "'%' is not allowed", "relation % 2"),
    ("relation & 1 == 1", "not allowed", "relation & 1"),
    ("relation == 'a'", "strings are not allowed", "'a'"),
    ('sms_nuit and "x" == "x"', "strings are not allowed", '"x"'),
    ("relation == f'{workload}'", "strings are not allowed", "f'"),
    ("relation > 1.5", "only whole numbers", "1.5"),
    ("relation > 1e3", "only whole numbers", "1e3"),
    ("relation > 2j", "not allowed", "2j"),
    ("cadre == None", "not allowed", "None"),
    ("[x for x in relation]", "comprehensions", "[x for"),
    ("true or any(x for x in relation)", "function calls", "any("),
    ("{x for x in relation}", "comprehensions", "{x for"),
    ("lambda: true", "lambdas", "lambda"),
    ("(y := 1) > 0", "':=' is not allowed", "y := 1"),
    ("(1 if cadre else 2) > 0", "'x if c else y' is not allowed", "1 if"),
    ("relation in workload", "only == != < <= > >= comparisons", "workload"),
    ("cadre is true", "only == != < <= > >= comparisons", "true"),
    ("[relation] == [1]", "lists are not allowed", "[relation]"),
    ("(relation, 1) == (1, 1)", "tuples are not allowed", "(relation, 1)"),
    ("~relation == 1", "'~' is not allowed", "~relation"),
    ("relation > 1000000001", "number too large", "1000000001"),
    ("relation > 99999999999999999999999", "number too large", "9999"),
    ("relation > -1000000001", "number too large", "1000000001"),
])
def test_forbidden_constructs_are_refused_at_their_place(source, message, at):
    err = refused(source)
    assert message in err.message
    assert source[err.offset:].startswith(at), (err.offset, source[err.offset:])


def test_unknown_names_are_refused_with_a_suggestion():
    err = refused("workload > 10 and relaton > 1")
    assert err.message == "unknown name 'relaton'"
    assert err.offset == len("workload > 10 and ")
    assert err.hint == "did you mean 'relation'?"
    err = refused("zzz > 1")
    assert err.offset == 0 and err.hint.startswith("known names: relation, workload")
    assert refused("x > 1", types={}).hint is None
    # The raw text is never evaluated: Python's builtins are just unknown names.
    for name in ("__import__", "print", "open", "None_", "v"):
        assert refused(f"{name} == 1").message == f"unknown name '{name}'"


@pytest.mark.parametrize("source, message, at", [
    ("relation + cadre > 1", "'+' needs numbers", "cadre"),
    ("-sms_nuit == 1", "'-' needs numbers", "sms_nuit"),
    ("cadre * 2 > 1", "'*' needs numbers", "cadre"),
    ("relation and cadre", "'and' needs true/false values", "relation"),
    ("cadre or 1", "'or' needs true/false values", "1"),
    ("not workload", "'not' needs true/false values", "workload"),
    ("cadre < 1", "an ordering comparison needs numbers", "cadre"),
    ("1 < relation < cadre", "an ordering comparison needs numbers", "cadre"),
    ("relation == cadre", "cannot compare a number with true/false", "relation"),
    ("sms_nuit != 1", "cannot compare a number with true/false", "sms_nuit"),
])
def test_type_errors_point_at_the_wrong_operand(source, message, at):
    err = refused(source)
    assert err.message == message
    assert source[err.offset:].startswith(at), (err.offset, source[err.offset:])


def test_a_condition_must_be_true_or_false():
    err = refused("  workload + 1")
    assert "gives a number" in err.message and "condition (true/false) is expected" in err.message
    assert err.offset == 2 and err.hint == "compare it, e.g. 'relances > 0'"
    err = refused("cadre", want=int)
    assert "gives true/false" in err.message and "a number is expected" in err.message


def test_size_limits():
    long = "relation > 1 and " * 60 + "true"
    assert len(long) > MAX_LENGTH
    assert "too long" in refused(long).message
    err = refused(" * ".join(["relation"] * (MAX_MULTIPLICATIONS + 2)) + " > 0")
    assert err.message == f"at most {MAX_MULTIPLICATIONS} multiplications in one expression"
    err = refused(" + ".join(["r"] * 120) + " > 0", types={"r": int})
    assert "too complex" in err.message and f"at most {MAX_NODES}" in err.message
    assert "too complex" in refused("-" * 900 + "relation > 0").message
    assert "nested parentheses" in refused("(" * 300 + "true" + ")" * 300).message


@pytest.mark.parametrize("source, at", [
    ("relation > 1 and", 16),          # at the end: something is missing
    ("relation >", 10),
    ("  relation ) > 1", 11),
    ("relation = 1", 9),
    ("relation > 1;", 12),
    ("(relation > 1", 0),
    ("relation > 01", 11),
])
def test_syntax_errors_are_located(source, at):
    err = refused(source)
    assert err.message.startswith("invalid expression: ")
    assert err.offset == at, (err.offset, source[err.offset:])
    assert err.hint


def test_offsets_count_characters_across_lines_and_leading_spaces():
    # A YAML block scalar keeps its line breaks; ast columns count UTF-8 bytes.
    source = "(workload > 1 and\n   zz)"
    assert refused(source).offset == source.index("zz")
    source = "  é > 1 and zz"  # a non-ASCII letter: offsets count characters, not UTF-8 bytes
    assert refused(source).offset == source.index("é")
    source = "  ｒelation > 1 and zz"  # Python would fold the full-width letter into 'r' (NFKC): refused
    e = refused(source)
    assert e.offset == 2 and e.params["name"] == "ｒelation" and e.params["suggestion"] == "relation"
    source = "workload > 1\n\nand"
    assert refused(source).offset == source.index("and")


@pytest.mark.parametrize("source", ["", "   ", "\n"])
def test_empty_expressions_are_refused(source):
    assert refused(source).message == "empty expression"


def test_non_text_is_refused():
    with pytest.raises(ExprError, match="must be text"):
        compile_expr(3, TYPES)  # type: ignore[arg-type]


def test_nul_characters_are_refused_not_crashing():
    assert refused("relation\x00 > 1").message.startswith("invalid expression")


# --------------------------------------------------------------------------
# Compiled by shape: each expression of a known shape binds its names and
# numbers to the shape's checked form instead of being parsed again.

from hypothesis import settings  # noqa: E402

from game.engine import expr as _expr  # noqa: E402

_TYPES = {"a": int, "b": int, "c": int, "f": bool, "g": bool}
_INDEX = {n: i for i, n in enumerate(_TYPES)}


def _long_way(text: str, want):
    rtype, form, params, names = _expr._checked(text, 0, _TYPES, _INDEX, want)
    return rtype, _expr._factory(form, len(params))(*params), names


@settings(max_examples=300, deadline=None)
@given(st.one_of(conditions(["a", "b", "c"], ["f", "g"]).map(lambda s: (s, bool)),
                   int_expressions(["a", "b", "c"]).map(lambda s: (s, int))),
        st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50), st.integers(-50, 50),
                           st.booleans(), st.booleans()), min_size=1, max_size=5))
def test_an_expression_compiled_by_its_shape_is_the_expression(case, values):
    text, want = case
    shaped = _expr._by_shape(text, _TYPES, _INDEX, want)
    rtype, fn, names = _long_way(text, want)
    if shaped is None:  # a line break or a word the shapes leave to the long way
        return
    assert shaped[0] is rtype and shaped[2] == names
    for v in values:
        assert shaped[1](v) == fn(v)


def test_a_shape_with_an_error_takes_the_long_way_and_is_located():
    assert _expr._by_shape("a > 3 and b", _TYPES, _INDEX, bool) is None
    with pytest.raises(ExprError) as e:
        compile_expr("a > 3 and  b", _TYPES)
    assert e.value.code == "P309" and e.value.offset == 11
    assert _expr._by_shape("a > 30000000000", _TYPES, _INDEX, bool) is None  # over INT_LIMIT
    assert _expr._by_shape("None == a", {"None": int, **_TYPES}, {"None": 9, **_INDEX}, bool) is None
    shaped = _expr._by_shape("a>=3 and not f", _TYPES, _INDEX, bool)
    assert shaped is not None and shaped[1]((3, 0, 0, False, False)) is True
    assert shaped[1]((2, 0, 0, False, False)) is False
