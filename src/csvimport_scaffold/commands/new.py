"""`csvimport new FEATURE`: decide a feature's answers, render it into a project that has run
`init`, mount its component, and run the project's own checks on what was written."""

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import UsageError
from ..feature_answers import (
    AnswerSource,
    Questions,
    decide_feature,
    file_source,
    flag_source,
    recorded_source,
)
from ..formatting import format_rendering
from ..js_regex import check_js_regexes
from ..module_resolution import check_modules_resolve
from ..mount import (
    CannotMount,
    has_mount_spot,
    import_statement,
    is_mounted,
    mount_component,
)
from ..node_tools import user_cache_dir
from ..page_syntax import find_page_spots
from ..plan import FileChange, Plan, plan_edit, plan_files
from ..prisma_ast import read_schema_ast
from ..prisma_fields import DerivedFields, derive_fields
from ..prisma_schema import read_project_schema
from ..project import check_project_dir, specifier_from
from ..rendered_files import Component, feature_component
from ..rendering import answers_file_for, current_revision, plan_bundle, render
from ..spec import FeatureSpec
from ..spec_file import read_spec_file
from ..subprojects import read_subprojects
from ..tool_checks import CheckResult, run_checks
from ..workspace import read_text_or_none


@dataclass(frozen=True)
class NotMounted:
    """A --mount page left as it was, and why; the component is then mounted by hand."""

    path: str
    reason: str


@dataclass(frozen=True)
class NewResult:
    spec: FeatureSpec
    plan: Plan
    component: Component
    component_specifier: str
    not_mounted: tuple[NotMounted, ...] = ()
    derived: DerivedFields | None = None  # the fields `--from-prisma` derived


def plan_new(
    root: Path,
    flags: Mapping[str, Any],
    field_texts: Sequence[str] = (),
    *,
    spec_file: Path | None = None,
    questions: Questions | None = None,
    force: bool = False,
    mounts: Sequence[str] = (),
    from_prisma: str | None = None,
    cache: Path | None = None,
) -> NewResult:
    """Decide the feature (flags over `spec_file` over its recorded answers over `questions`
    over defaults), render it and plan every file change, mounts included. `from_prisma` names
    a Prisma model whose fields stand for `--fields` (`cache`: where its reader is installed,
    by default the user's cache)."""
    check_project_dir(root)
    config = load_config(root)
    check_modules_resolve(root, config)
    if not (root / answers_file_for("core")).is_file():
        raise UsageError(
            f"the import system is not installed in {root}: run `csvimport init` first"
        )
    derived = None
    if from_prisma is not None:
        if field_texts:
            raise UsageError(
                "pass --fields or --from-prisma, not both (--from-prisma prints the --fields "
                "it derives: edit those and pass them instead)"
            )
        parsed = read_schema_ast(root, config.prisma_schema, cache or user_cache_dir())
        derived = derive_fields(parsed, from_prisma, key=flags.get("key"))
        flags, field_texts = {**flags, "model": _prisma_model(flags, derived)}, derived.fields
    sources = [flag_source(flags, field_texts)]
    if spec_file is not None:
        sources.append(file_source(read_spec_file(spec_file), str(spec_file)))
    spec = decide_feature(
        sources,
        recorded_for=lambda feature: _recorded_answers(root, feature),
        questions=questions,
        provider=config.prisma_provider,
        schema=read_project_schema(root, config.prisma_schema),
    )
    _check_route_is_free(root, spec)
    check_js_regexes(spec.fields, root)
    answers = {"kind": "feature", **config.template_answers(), **spec.to_answers()}
    with current_revision(root) as revision:
        rendered = render(
            answers,
            answers_file_for(spec.feature),
            revision,
            project=root,
            formatter=config.formatter,
        )
        bundle = plan_bundle(root, revision)
    plan = plan_files(rendered, lambda path: read_text_or_none(root / path), force=force)

    component = feature_component(rendered)
    specifier = component.specifier(config.alias_prefix, config.alias_target)
    mounted = [
        _mount_change(root, mount, spec.feature, component, specifier, config.formatter)
        for mount in dict.fromkeys(mounts)
    ]
    edits = [change for change in mounted if isinstance(change, FileChange)]
    not_mounted = tuple(change for change in mounted if isinstance(change, NotMounted))
    plan = Plan((bundle, *plan.changes, *edits))
    return NewResult(spec, plan, component, specifier, not_mounted, derived)


def check_new(
    root: Path, result: NewResult, on_step: Callable[[str], None] = lambda _name: None
) -> list[CheckResult]:
    """The project's type check, and its linter and formatter on the files `new` wrote."""
    config = load_config(root)
    written = [change.path for change in result.plan.changes]
    return run_checks(
        root, written, formatter=config.formatter, linter=config.linter, on_step=on_step
    )


def _prisma_model(flags: Mapping[str, Any], derived: DerivedFields) -> str:
    """The model `--from-prisma` names; a `--model` beside it must name the same one."""
    given = flags.get("model")
    if given is not None and given not in (derived.model, derived.delegate):
        raise UsageError(f"--model {given} conflicts with --from-prisma {derived.model}")
    return derived.delegate


def _check_route_is_free(root: Path, spec: FeatureSpec) -> None:
    """Another feature's route is never taken over, not even with --force: its answers would
    still render the route, and the two features would overwrite each other's."""
    for subproject in read_subprojects(root):
        if subproject.is_core or subproject.name == spec.feature:
            continue
        if subproject.answers.get("api_path") == spec.api_path:
            raise UsageError(
                f"API path {spec.api_path} is the route of feature '{subproject.name}': "
                "pass another --api-path"
            )


def _recorded_answers(root: Path, feature: str) -> AnswerSource | None:
    for subproject in read_subprojects(root):
        if not subproject.is_core and subproject.name == feature:
            return recorded_source(subproject)
    return None


def _mount_change(
    root: Path,
    mount: str,
    feature: str,
    component: Component,
    specifier: str,
    formatter: str | None,
) -> FileChange | NotMounted:
    """The edit mounting the component in `mount`, or why the page is left alone."""
    target = (root / mount).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UsageError(f"--mount {mount} is outside the project")
    current = read_text_or_none(target)
    if current is None:
        raise UsageError(f"--mount file not found: {mount}")
    relative = target.relative_to(root.resolve()).as_posix()
    if is_mounted(current, feature):
        return plan_edit(relative, current, current)
    specifier = specifier_from(specifier, posixpath.dirname(relative))
    spots = None
    if not has_mount_spot(current):
        spots = find_page_spots(root, relative, current)
        if isinstance(spots, CannotMount):
            return NotMounted(relative, spots.reason)
    statement = _import_in_project_style(root, relative, component.name, specifier, formatter)
    mounted = mount_component(
        current, feature, component.name, specifier, relative, spots=spots, statement=statement
    )
    return plan_edit(relative, current, mounted)


def _import_in_project_style(
    root: Path, path: str, component: str, specifier: str, formatter: str | None
) -> str:
    """The import statement as the project's formatter writes it (quotes, semicolons), kept
    only if it stays one line, since `remove` takes out exactly one line after the marker."""
    statement = import_statement(component, specifier)
    formatted = format_rendering(root, {path: statement + "\n"}, formatter)[path]
    return formatted[:-1] if formatted.count("\n") == 1 and formatted.endswith("\n") else statement
