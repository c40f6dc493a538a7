"""Regex rules are judged by JavaScript's engine, which runs them in the generated rules
(`new RegExp(pattern, "u")`), never by Python's: what Python accepts and JavaScript refuses
would fail the build, and what both accept but read differently would never match."""

from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.field_dsl import parse_field
from csvimport_scaffold.js_regex import check_js_regexes


def field_with(rules: str):
    field, _ = parse_field(f"code:string:{rules}")
    return field


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        # Python-only syntax that used to be accepted, then failed tsc or next build
        ("(?i)abc", "Invalid group"),
        ("a++", "Nothing to repeat"),
        ("(?>a)", "Invalid group"),
        ("(?x) a b", "Invalid group"),
        ("(?s).", "Invalid group"),
        ("(a)(?(1)b|c)", "Invalid group"),
        ("(?P<name>a)", "Invalid group"),
        ("(?#comment)a", "Invalid group"),
        # compiled under Python, never matched in the browser
        (r"abc\Z", "Invalid escape"),
        (r"\Aabc", "Invalid escape"),
        ("a{,3}", "Incomplete quantifier"),
        (r"\N{EM DASH}", "Invalid escape"),
        # the u flag's stricter grammar
        (r"[\w-.]", "Invalid character class"),
        (r"\-", "Invalid escape"),
        ("([a-z", "Unterminated character class"),
    ],
)
def test_a_pattern_javascript_refuses_is_an_error_with_its_reason(pattern, reason, tmp_path: Path):
    with pytest.raises(UsageError) as caught:
        check_js_regexes([field_with(f"regex={pattern}")], tmp_path)
    assert f"bad regex '{pattern}' in field 'code'" in str(caught.value)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    "pattern",
    [r"^[A-Z]{2,4}-\d{3}$", r"\p{Lu}\p{Ll}+", r"(?<year>\d{4})-\k<year>", "x{99999999999}", "a/b"],
)
def test_a_pattern_javascript_accepts_is_accepted(pattern, tmp_path: Path):
    check_js_regexes([field_with(f"regex={pattern}")], tmp_path)


def test_a_default_is_matched_as_javascript_matches_it(tmp_path: Path):
    # \p{Lu} is Unicode-aware in JavaScript with the u flag; Python's re does not know it
    check_js_regexes([field_with(r"regex=^\p{Lu}+$,default=ÄBC")], tmp_path)
    with pytest.raises(UsageError, match="default 'abc' of field 'code' does not match"):
        check_js_regexes([field_with(r"regex=^\p{Lu}+$,default=abc")], tmp_path)


def test_a_default_is_matched_after_trimming_and_lowercasing(tmp_path: Path):
    check_js_regexes([field_with("regex=^[a-z]+$,lowercase,default= ABC ")], tmp_path)


def test_no_regex_needs_no_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on PATH
    check_js_regexes([field_with("max=5")], tmp_path)
