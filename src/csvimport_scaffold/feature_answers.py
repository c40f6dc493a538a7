"""Decide a feature's answers, in the spirit of copier's AnswersMap: command-line flags over a
spec file over the feature's recorded answers over questions on a terminal over defaults; then
check them, and the feature's fields against the project's Prisma model (`prisma_columns`).

Sources are plain data; reading files and asking questions happen at the edges (the caller
reads the files, `Questions` asks).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import UsageError
from .field_dsl import parse_fields
from .prisma_columns import check_columns
from .prisma_schema import PrismaSchema
from .spec import SETTING_NAMES, FeatureSpec, Field, default_api_path, make_feature_spec
from .spec_file import parse_spec_data
from .subprojects import Subproject


@dataclass(frozen=True)
class AnswerSource:
    """One place answers come from and what it says; a setting it leaves out is absent."""

    name: str  # named in errors: "the command line", "spec.yml"
    settings: Mapping[str, Any]  # setting name -> value
    fields: tuple[Field, ...] | None = None
    key_flags: tuple[str, ...] = ()  # fields of this source that carry the `key` rule
    is_file: bool = False  # a file is a whole answer set: what it leaves out is not asked


class Questions(Protocol):
    """Asks on a terminal for what no source answered."""

    def feature_name(self) -> str: ...

    def fields(self) -> tuple[list[Field], list[str]]: ...

    def api_path(self, default: str) -> str: ...


def flag_source(flags: Mapping[str, Any], field_texts: Sequence[str]) -> AnswerSource:
    """The command line's answers: option values (None when not given) and `--fields`."""
    settings = {name: value for name, value in flags.items() if value is not None}
    if not field_texts:
        return AnswerSource("the command line", settings)
    fields, key_flags = parse_fields(list(field_texts))
    return AnswerSource("the command line", settings, tuple(fields), tuple(key_flags))


def file_source(parsed: Mapping[str, Any], name: str) -> AnswerSource:
    """A spec file's answers, as `spec_file` parses them."""
    settings = dict(parsed)
    fields = settings.pop("fields", None)
    key_flags = settings.pop("key_flags", ())
    return AnswerSource(
        name,
        {k: v for k, v in settings.items() if v is not None},
        None if fields is None else tuple(fields),
        tuple(key_flags),
        is_file=True,
    )


def recorded_source(subproject: Subproject) -> AnswerSource:
    """A feature's recorded answers (its answers file is a spec file)."""
    return file_source(
        parse_spec_data(subproject.answers, subproject.answers_file), subproject.answers_file
    )


@dataclass
class _Answers:
    sources: list[AnswerSource] = field(default_factory=list)

    def first(self, name: str) -> tuple[Any, AnswerSource | None]:
        for source in self.sources:
            if name in source.settings:
                return source.settings[name], source
        return None, None


def decide_feature(
    sources: Sequence[AnswerSource],
    *,
    recorded_for: Callable[[str], AnswerSource | None] = lambda _feature: None,
    questions: Questions | None = None,
    provider: str,
    schema: PrismaSchema | None,
) -> FeatureSpec:
    """The feature's checked answers. `sources` come highest first; the feature's recorded
    answers (found by name once the name is known) rank below them, questions below all.
    The fields are checked against the Prisma `schema`'s model (the commands always read one:
    None skips the check)."""
    answers = _Answers(list(sources))
    feature = _decide_feature_name(answers, questions)
    recorded = recorded_for(feature)
    if recorded is not None:
        answers.sources.append(recorded)

    fields_source = next((s for s in answers.sources if s.fields is not None), None)
    if fields_source is not None:
        fields, key_flags = list(fields_source.fields or ()), list(fields_source.key_flags)
    elif questions is not None:
        fields, key_flags = questions.fields()
    else:
        raise UsageError("missing fields: pass --fields name:type[:rules] ... or --spec FILE")

    chosen = {name: answers.first(name)[0] for name in SETTING_NAMES}
    chosen["feature"] = feature
    chosen["key"] = _decide_key(answers, fields_source)
    chosen["model"] = _model_delegate(chosen["model"], schema)
    asked_for_path = not any(source.is_file for source in answers.sources)
    if chosen["api_path"] is None and questions is not None and asked_for_path:
        chosen["api_path"] = questions.api_path(default_api_path(feature))

    spec = make_feature_spec(fields=fields, key_flags=key_flags, provider=provider, **chosen)
    if schema is not None:
        check_model(spec, schema)
    return spec


def _decide_feature_name(answers: _Answers, questions: Questions | None) -> str:
    named = [(s.settings["feature"], s) for s in answers.sources if "feature" in s.settings]
    for value, source in named[1:]:
        if value != named[0][0]:
            raise UsageError(f"feature '{named[0][0]}' differs from '{value}' in {source.name}")
    if named:
        return named[0][0]
    if questions is None:
        raise UsageError("missing feature name (give it as the first argument)")
    return questions.feature_name()


def _decide_key(answers: _Answers, fields_source: AnswerSource | None) -> str | None:
    """The first `key` given; but a source ranked below the fields' own does not overrule
    fields marked `key`, nor name a field the new fields lack."""
    key, source = answers.first("key")
    if source is None or fields_source is None:
        return key
    ranks = answers.sources.index
    if ranks(source) <= ranks(fields_source):
        return key
    names = {f.name for f in fields_source.fields or ()}
    return None if fields_source.key_flags or key not in names else key


def check_model(spec: FeatureSpec, schema: PrismaSchema) -> None:
    """Every CSV field must be a column of the target model that its value fits, and every
    column a record needs must have a field (the processor writes them 1:1)."""
    model = schema.find_feature_model(spec.model)
    if model is None:
        known = ", ".join(m.name for m in schema.feature_models) or "none"
        raise UsageError(
            f"no Prisma model '{spec.model}' for feature '{spec.feature}' (models in the schema: "
            f"{known}); pass --model"
        )
    by_name = {f.name: f for f in model.fields}
    for f in spec.fields:
        if f.name not in by_name:
            raise UsageError(
                f"field '{f.name}' is not a field of Prisma model {model.name} "
                f"(its fields: {', '.join(sorted(by_name))})"
            )
    if spec.mode == "upsert" and not by_name[spec.key].unique:
        raise UsageError(
            f"mode upsert needs '{spec.key}' to be @unique (or @id) in Prisma model {model.name}"
        )
    check_columns(spec, model, schema)


def _model_delegate(model: str | None, schema: PrismaSchema | None) -> str | None:
    """Accept `User` or `user`; with a schema, the model must exist."""
    if model is None or schema is None:
        return model[:1].lower() + model[1:] if model else None
    found = schema.find_feature_model(model)
    if found is None:
        known = ", ".join(m.name for m in schema.feature_models) or "none"
        raise UsageError(f"unknown Prisma model '{model}' (models in the schema: {known})")
    return found.delegate
