"""Which answer wins: flags over a spec file over the recorded answers over questions over
defaults."""

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.feature_answers import AnswerSource, decide_feature, flag_source
from csvimport_scaffold.field_dsl import parse_fields

RECORDED_FIELDS, _ = parse_fields(["email:email:unique", "name:string"])
RECORDED = AnswerSource(
    ".csvimport/user.yml",
    {"feature": "user", "api_path": "/api/users/import", "key": "email", "batch_size": 250},
    tuple(RECORDED_FIELDS),
    is_file=True,
)


def decide(*sources: AnswerSource, recorded: AnswerSource | None = RECORDED, questions=None):
    return decide_feature(
        list(sources),
        recorded_for=lambda _feature: recorded,
        questions=questions,
        provider="sqlite",
        schema=None,
    )


def test_flags_outrank_recorded_answers_which_outrank_defaults():
    spec = decide(flag_source({"feature": "user", "batch_size": 100}, []))
    assert (spec.batch_size, spec.api_path, spec.key) == (100, "/api/users/import", "email")
    assert [f.name for f in spec.fields] == ["email", "name"]
    assert spec.max_retries == 3


def test_new_fields_keep_a_recorded_key_they_still_have():
    spec = decide(flag_source({"feature": "user"}, ["name:string", "email:email:unique"]))
    assert spec.key == "email"


def test_new_fields_marked_key_or_lacking_the_recorded_key_decide_it_themselves():
    marked = decide(flag_source({"feature": "user"}, ["code:string:key", "email:email"]))
    assert marked.key == "code"
    without = decide(flag_source({"feature": "user"}, ["code:string", "title:string"]))
    assert without.key == "code"


def test_a_key_flag_that_names_no_field_is_an_error():
    with pytest.raises(UsageError, match="key 'nope' is not a field"):
        decide(flag_source({"feature": "user", "key": "nope"}, []))


def test_two_sources_naming_different_features_disagree():
    spec_file = AnswerSource("course.yml", {"feature": "course"}, is_file=True)
    with pytest.raises(UsageError, match=r"feature 'user' differs from 'course' in course\.yml"):
        decide(flag_source({"feature": "user"}, []), spec_file)


def test_questions_are_asked_only_for_what_no_source_answers():
    class Questions:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def feature_name(self) -> str:
            self.asked.append("feature")
            return "user"

        def fields(self):
            self.asked.append("fields")
            return parse_fields(["email:email:unique"])

        def api_path(self, default: str) -> str:
            self.asked.append("api_path")
            return default

    questions = Questions()
    spec = decide(flag_source({}, []), recorded=None, questions=questions)
    assert questions.asked == ["feature", "fields", "api_path"]
    assert (spec.feature, spec.api_path) == ("user", "/api/user/import/progress")
