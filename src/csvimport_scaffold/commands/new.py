"""`csvimport new FEATURE`: render one feature into a project that has run `init`."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ProjectConfig, load_config
from ..errors import UsageError
from ..mount import mount_component
from ..naming import pascal_case
from ..plan import Plan, plan_edit, plan_files
from ..prisma_schema import PrismaSchema, read_prisma_schema
from ..project import check_project_dir, specifier_for
from ..rendering import answers_file_for, current_revision, plan_bundle, render
from ..spec import FeatureSpec, Field, make_feature_spec
from ..workspace import read_text_or_none


@dataclass(frozen=True)
class FeatureRequest:
    """What the user asked for, from flags, a spec file and prompts (flags win)."""

    feature: str
    fields: list[Field]
    key_flags: list[str] = field(default_factory=list)
    key: str | None = None
    model: str | None = None
    api_path: str | None = None
    mode: str = "create"
    batch_size: int | None = None
    max_retries: int | None = None


@dataclass(frozen=True)
class NewResult:
    spec: FeatureSpec
    plan: Plan
    component: str
    component_specifier: str


def plan_new(
    root: Path, request: FeatureRequest, *, force: bool = False, mounts: tuple[str, ...] = ()
) -> NewResult:
    check_project_dir(root)
    config = load_config(root)
    if not (root / answers_file_for("core")).is_file():
        raise UsageError(
            f"the import system is not installed in {root}: run `csvimport init` first"
        )
    spec = build_spec(root, config, request)
    answers = {"kind": "feature", **config.template_answers(), **spec.to_answers()}
    with current_revision(root) as revision:
        rendered = render(answers, answers_file_for(spec.feature), revision)
        bundle = plan_bundle(root, revision)
    plan = plan_files(rendered, lambda path: read_text_or_none(root / path), force=force)
    plan = Plan((bundle, *plan.changes))

    component = f"{pascal_case(spec.feature)}Import"
    component_path = f"{config.dashboard_dir}/{spec.feature}/{spec.feature}-import.tsx"
    specifier = specifier_for(component_path, config.alias_prefix, config.alias_target)
    edits = [_mount_change(root, mount, spec.feature, component, specifier) for mount in mounts]
    plan = Plan((*plan.changes, *edits))
    return NewResult(spec, plan, component, specifier)


def build_spec(root: Path, config: ProjectConfig, request: FeatureRequest) -> FeatureSpec:
    """Check a request against the DSL rules and the project's Prisma schema."""
    schema = _schema(root, config)
    spec = make_feature_spec(
        request.feature,
        request.fields,
        key_flags=request.key_flags,
        key=request.key,
        model=_model_delegate(request.model, schema),
        api_path=request.api_path,
        mode=request.mode,
        batch_size=request.batch_size,
        max_retries=request.max_retries,
        provider=config.prisma_provider,
    )
    if schema is not None:
        check_model(spec, schema)
    return spec


def feature_answers(root: Path, request: FeatureRequest) -> dict[str, Any]:
    """The feature answers of a request (for `update` with new fields)."""
    return build_spec(root, load_config(root), request).to_answers()


def check_model(spec: FeatureSpec, schema: PrismaSchema) -> None:
    """Every CSV field must be a field of the target model (the processor writes them 1:1)."""
    model = schema.find_model(spec.model)
    if model is None:
        known = ", ".join(m.name for m in schema.models) or "none"
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


def _model_delegate(model: str | None, schema: PrismaSchema | None) -> str | None:
    """Accept `User` or `user`; with a schema, the model must exist."""
    if model is None or schema is None:
        return model[:1].lower() + model[1:] if model else None
    found = schema.find_model(model)
    if found is None:
        known = ", ".join(m.name for m in schema.models) or "none"
        raise UsageError(f"unknown Prisma model '{model}' (models in the schema: {known})")
    return found.delegate


def _schema(root: Path, config: ProjectConfig) -> PrismaSchema | None:
    if not config.prisma_schema:
        return None
    path = root / config.prisma_schema
    return read_prisma_schema(path) if path.exists() else None


def _mount_change(root: Path, mount: str, feature: str, component: str, specifier: str):
    target = (root / mount).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UsageError(f"--mount {mount} is outside the project")
    current = read_text_or_none(target)
    if current is None:
        raise UsageError(f"--mount file not found: {mount}")
    relative = target.relative_to(root.resolve()).as_posix()
    return plan_edit(
        relative, current, mount_component(current, feature, component, specifier, relative)
    )
