import pytest

from urna.surveys.expressions import ExpressionError, bounds, evaluate, references


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${q} = 'x'", {"q": "x"}, True),
        ("${q} = 'x'", {"q": "y"}, False),
        ("${q} = 'x'", {}, False),
        ("${q} != 'x'", {}, True),
        ("selected(${m}, 'b')", {"m": ["a", "b"]}, True),
        ("selected(${m}, 'c')", {"m": ["a", "b"]}, False),
        ("selected(${m}, 'b')", {"m": "a b"}, True),
        ("${n} > 3", {"n": 4}, True),
        ("${n} > 3", {"n": 3}, False),
        ("${n} > 3", {"n": "10"}, True),  # numbers compare as numbers, not text
        ("${n} > 3", {}, False),  # unanswered never orders
        ("${n} > 3 and ${q} = 'x'", {"n": 5, "q": "x"}, True),
        ("${n} > 3 and ${q} = 'x'", {"n": 5, "q": "y"}, False),
        ("${n} > 3 or ${q} = 'x'", {"n": 1, "q": "x"}, True),
        ("not(${q} = 'x')", {"q": "x"}, False),
        ("not(${q} = 'x') and (${n} <= 2 or ${n} >= 8)", {"q": "y", "n": 9}, True),
        ("count-selected(${m}) >= 2", {"m": ["a", "b"]}, True),
        ("string-length(${t}) > 3", {"t": "hola"}, True),
        ('${q} = "x"', {"q": "x"}, True),
        ("", {}, True),
    ],
)
def test_the_common_xlsform_forms_evaluate_as_odk_does(expression, answers, expected):
    assert evaluate(expression, answers) is expected


def test_a_constraint_reads_the_answer_as_dot():
    assert evaluate(". >= 18 and . <= 120", {}, current=30) is True
    assert evaluate(". >= 18 and . <= 120", {}, current=12) is False
    assert bounds(". >= 18 and . <= 120") == (18.0, 120.0)
    assert bounds(". <= 5") == (None, 5.0)


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('ls')",
        "${q} = 'x' ; drop",
        "${q} +",
        "pulldata('x', 'y')",
        "${q} = ",
        "(${q} = 'x'",
    ],
)
def test_anything_else_is_refused_not_evaluated(expression):
    with pytest.raises(ExpressionError):
        evaluate(expression, {})


def test_references_name_the_questions_read():
    assert references("selected(${a}, 'x') and ${b} > 2") == {"a", "b"}
