"""The `csvimport` command line: parse arguments, call a command module, present its result."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from . import __version__
from .commands.check import run_check
from .commands.doctor import diagnose
from .commands.init import InitOverrides, plan_init
from .commands.inventory import list_subprojects, plan_remove
from .commands.new import NewResult, check_new, plan_new
from .commands.update import run_update
from .dependencies import install
from .errors import CsvImportError, UsageError
from .field_dsl import split_field_arguments
from .field_rules import rule_help_lines, type_summary
from .mount import MOUNT_SPOT
from .plan import Plan, Status
from .prisma_generate import GenerateCommand, regenerate_client
from .prompts import TerminalQuestions
from .spec import SETTING_NAMES, setting_help
from .tool_checks import CheckResult
from .ui_kit_detection import UI_KITS
from .writer import apply_plan

app = typer.Typer(
    name="csvimport",
    help="Scaffold CSV import features (validation, batching, live progress, error logs) into "
    "Next.js + Prisma projects.",
    invoke_without_command=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

UPDATE_STYLE = {
    "updated": "green",
    "merged": "cyan",
    "added": "green",
    "removed": "yellow",
    "conflict": "red",
    "unchanged": "dim",
}
STATUS_STYLE = {
    Status.CREATE: "green",
    Status.IDENTICAL: "dim",
    Status.CONFLICT: "red",
    Status.OVERWRITE: "yellow",
    Status.UPDATE: "cyan",
    Status.DELETE: "yellow",
}

ProjectOption = Annotated[
    Path, typer.Option("--project", "-p", help="The Next.js project (default: current directory).")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show a diff of every change; write nothing.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite files that differ from the rendering.")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Never prompt; take defaults.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"csvimport {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    context: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Scaffold CSV import features into Next.js + Prisma projects."""
    if context.invoked_subcommand is None:
        out.print(context.get_help(), markup=False)


INIT_EPILOG = "\n".join(
    [
        "\b",
        "Examples:",
        "  csvimport init",
        "  csvimport init --project ../my-app --dry-run",
        "  csvimport init --ui-kit tailwind",
        "",
        "The importer's UI is styled with what the project has: its shadcn/ui components",
        "(components.json), else Tailwind CSS classes, else a CSS module of its own (plain).",
        "--ui-kit chooses instead; shadcn needs a components.json csvimport can use. Running",
        "init again keeps the recorded kit unless --ui-kit is given.",
    ]
)


@app.command(epilog=INIT_EPILOG)
def init(
    project: ProjectOption = Path("."),
    dry_run: DryRunOption = False,
    force: ForceOption = False,
    yes: YesOption = False,
    prisma_import: Annotated[
        str | None,
        typer.Option(help="Import specifier of the module exporting your PrismaClient instance."),
    ] = None,
    prisma_export: Annotated[
        str | None,
        typer.Option(help="Its export holding the client: a name, or 'default' (default: prisma)."),
    ] = None,
    log_import: Annotated[
        str | None, typer.Option(help="Import specifier of your `log` module.")
    ] = None,
    auth_import: Annotated[
        str | None,
        typer.Option(
            help="Import specifier of your own auth helper's module (it returns the signed-in "
            "user or throws)."
        ),
    ] = None,
    auth_function: Annotated[
        str | None,
        typer.Option(help="Your auth helper's name (default: getUserAuthOrThrow)."),
    ] = None,
    prisma_schema: Annotated[
        str | None,
        typer.Option(help="Your Prisma schema file (or folder), when it is not found."),
    ] = None,
    no_install: Annotated[
        bool,
        typer.Option(
            "--no-install",
            help="Print the commands that add the missing packages and regenerate the Prisma "
            "client; run nothing.",
        ),
    ] = False,
    ui_kit: Annotated[
        str | None,
        typer.Option(
            help=f"Style the importer's UI with {' | '.join(UI_KITS)} instead of what is found."
        ),
    ] = None,
) -> None:
    """Install the core import system and write csvimport.json.

    Detects the app directory, the tsconfig import alias, the package manager, the Prisma
    schema, provider and client module, your log and auth modules, and your UI kit. Never
    overwrites a file it did not create (a differing file is a conflict unless --force). Adds
    the packages the generated code imports and the project lacks with the project's package
    manager. Adds the import ledger's models to the Prisma schema (with their migration where
    the project keeps a migrations folder) and regenerates the Prisma client.
    """
    root = project.resolve()
    result = plan_init(
        root,
        force=force,
        questions=TerminalQuestions(out) if sys.stdin.isatty() and not yes else None,
        overrides=InitOverrides(
            prisma_import=prisma_import,
            prisma_export=prisma_export,
            log_import=log_import,
            auth_import=auth_import,
            auth_function=auth_function,
            prisma_schema=prisma_schema,
            ui_kit=ui_kit,
        ),
    )
    writing = _present_plan(result.plan, dry_run=dry_run)
    if writing:
        apply_plan(root, result.plan)
    if result.install is not None:
        command = result.install.shell_command()
        if writing and not no_install:
            with err.status(f"Installing: {command}"):
                install(root, result.install)
            out.print(f"[green]installed:[/green] {escape(command)}")
        else:
            out.print(f"[yellow]next:[/yellow] install the packages it uses: {escape(command)}")
    if result.regenerate is not None and writing:
        _regenerate_client(root, result.regenerate, run=not no_install)
    for line in result.found:
        out.print(f"[cyan]found:[/cyan] {escape(line)}")
    for note in result.notes:
        out.print(f"[yellow]next:[/yellow] {escape(note)}")
    if writing:
        out.print(
            "[green]Core installed.[/green] Add a feature with: csvimport new user --fields ..."
        )


def _regenerate_client(root: Path, command: GenerateCommand, *, run: bool) -> None:
    """The schema changed: the project's client must know the new models."""
    shown = escape(command.shell_command())
    if not (run and command.runnable):
        out.print(f"[yellow]next:[/yellow] regenerate the Prisma client: {shown}")
        return
    with err.status(f"Regenerating the Prisma client: {command.shell_command()}"):
        problem = regenerate_client(root, command)
    if problem is None:
        out.print(f"[green]regenerated the Prisma client:[/green] {shown}")
    else:
        out.print(
            f"[yellow]warning:[/yellow] regenerating the Prisma client failed "
            f"({escape(problem)}): run {shown}"
        )


NEW_EPILOG = "\n".join(
    [
        "\b",
        "Examples:",
        '  csvimport new user --fields "name:string:required,max=100" "email:email:unique,key"',
        "  csvimport new course --spec course.yml \\",
        '    --mount "src/app/[lang]/dashboard/course/page.tsx"',
        '  csvimport new user --fields name:string "email:email:unique" --mode upsert --dry-run',
        "  csvimport new contact --from-prisma Contact --dry-run",
        "",
        "\b",
        "Field DSL: name:type[:rules]",
        f"  types: {type_summary()}",
        "  rules:",
        *(f"    {line}" for line in rule_help_lines()),
        "",
        "Answers come from the flags, then --spec, then the feature's recorded answers",
        "(.csvimport/FEATURE.yml), then questions on a terminal, then defaults.",
        "",
        "Each field must fit the column of its name in the Prisma model (int into Int or",
        "Float, date into DateTime, ...), and every required column without a @default",
        "needs a field; the schema is the one csvimport.json names (prismaSchema).",
        "",
        "--from-prisma MODEL reads the schema csvimport.json names (prismaSchema) and prints",
        "the --fields it derives: edit them and re-run with --fields instead. It needs Node.js;",
        "its schema parser is installed once into $CSVIMPORT_CACHE_DIR (else",
        "$XDG_CACHE_HOME/csvimport, else ~/.cache/csvimport), never into the project.",
    ]
)


@app.command(epilog=NEW_EPILOG)
def new(
    context: typer.Context,
    feature: Annotated[str | None, typer.Argument(help=setting_help("feature"))] = None,
    more_fields: Annotated[
        list[str] | None,
        typer.Argument(help="More field definitions after --fields.", show_default=False),
    ] = None,
    fields: Annotated[
        list[str] | None, typer.Option("--fields", "-f", help=setting_help("fields"))
    ] = None,
    spec: Annotated[
        Path | None, typer.Option("--spec", help="YAML spec file (an answers file works too).")
    ] = None,
    from_prisma: Annotated[
        str | None,
        typer.Option(
            "--from-prisma",
            metavar="<model>",
            help="Derive the fields (and --model) from this model of the project's Prisma "
            "schema; prints them as --fields.",
        ),
    ] = None,
    model: Annotated[str | None, typer.Option(help=setting_help("model"))] = None,
    mount: Annotated[
        list[str] | None,
        typer.Option(
            help="Page to mount the import component in, repeatable: at its "
            "{/* csvimport:mount */} line, else as the last child of the JSX its default "
            "export returns. A page it cannot edit safely is left as it is, with a note."
        ),
    ] = None,
    api_path: Annotated[
        str | None, typer.Option("--api-path", help=setting_help("api_path"))
    ] = None,
    mode: Annotated[str | None, typer.Option(help=setting_help("mode"))] = None,
    key: Annotated[str | None, typer.Option(help=setting_help("key"))] = None,
    batch_size: Annotated[int | None, typer.Option(help=setting_help("batch_size"))] = None,
    max_retries: Annotated[int | None, typer.Option(help=setting_help("max_retries"))] = None,
    fill: Annotated[
        list[str] | None, typer.Option(metavar="COLUMN=VALUE", help=setting_help("fill"))
    ] = None,
    dry_run: DryRunOption = False,
    force: ForceOption = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Skip the type check, lint and format checks.")
    ] = False,
    yes: YesOption = False,
    project: ProjectOption = Path("."),
) -> None:
    """Render one CSV import feature: types, validator, processor, SSE route, hook and component.

    Missing answers are asked for on a terminal; without one (or with --yes) they must come from
    flags, --spec or the feature's recorded answers. After writing, runs the project's type
    check, eslint and prettier.
    """
    root = project.resolve()
    names, field_texts = split_field_arguments(
        [text for text in (feature, *(more_fields or [])) if text is not None], fields or []
    )
    if len(names) > 1:
        raise UsageError(f"unexpected argument '{names[1]}' (field definitions follow --fields)")
    flags = {name: context.params[name] for name in SETTING_NAMES}
    flags["feature"] = names[0] if names else None
    interactive = sys.stdin.isatty() and not yes
    result = plan_new(
        root,
        flags,
        field_texts,
        spec_file=spec,
        questions=TerminalQuestions(out) if interactive else None,
        force=force,
        mounts=mount or (),
        from_prisma=from_prisma,
    )
    if result.derived is not None:
        derived = result.derived
        out.print(f"Fields of Prisma model {escape(derived.model)} (edit and pass as --fields):")
        # no emoji either: rich would show `email:email:` as an envelope
        out.print(f"  {derived.fields_option()}", markup=False, emoji=False)
        for note in derived.notes:
            out.print(f"  left out {note}", markup=False, emoji=False)
    writing = _present_plan(result.plan, dry_run=dry_run)
    if writing:
        apply_plan(root, result.plan)
    for page in result.not_mounted:
        out.print(f"[yellow]not mounted:[/yellow] {escape(page.path)}: {escape(page.reason)}")
    if result.not_mounted:
        heading = f"Mount it by hand (or mark the spot with {MOUNT_SPOT} and run new again):"
        _print_mount_lines(result, heading)
    elif writing and not mount:
        heading = "Mount the import component in a page (or re-run with --mount FILE):"
        _print_mount_lines(result, heading)
    if not writing or no_check:
        return
    with err.status("Checking the project…") as status:
        results = check_new(root, result, on_step=lambda name: status.update(f"Running {name}…"))
    if not _present_checks(results):
        raise typer.Exit(1)


UPDATE_EPILOG = """\b
Examples:
  csvimport update --all           # every feature and the core (also the default)
  csvimport update user
  csvimport update user --fields "name:string" "email:email:unique,key" "age:int:optional"

\b
Needs a clean git tree. The template history is refreshed in .csvimport/templates.bundle and
committed; each subproject is then updated by a 3-way merge of its old and new renderings,
formatted in the project's style, into your files. When several are updated,
each but the last is committed so the next merge starts clean. A conflict stops the run and is
left marked with <<<<<<< before updating / >>>>>>> after updating for you to resolve.
"""


@app.command(epilog=UPDATE_EPILOG)
def update(
    features: Annotated[
        list[str] | None, typer.Argument(help="Features to update (default: all, and the core).")
    ] = None,
    fields: Annotated[
        list[str] | None,
        typer.Option("--fields", "-f", help="New field definitions for the one feature named."),
    ] = None,
    update_all: Annotated[
        bool, typer.Option("--all", help="Every feature and the core (the default).")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Upgrade generated features to this csvimport's templates, keeping your edits."""
    root = project.resolve()
    names, field_texts = split_field_arguments(features or [], fields or [])
    if update_all and names:
        raise UsageError("name features or pass --all, not both")
    with err.status("Updating…") as status:
        result = run_update(
            root, names, field_texts=field_texts, on_step=lambda message: status.update(message)
        )
    if result.bundle_commit:
        out.print(f"committed the template history refresh ({result.bundle_commit})")
    for name in result.up_to_date:
        out.print(f"{name}: up to date")
    for done in result.updates:
        out.print(f"{done.name}: {done.from_version} -> {done.to_version}", markup=False)
        for outcome in done.files:
            style = UPDATE_STYLE.get(outcome.state, "")
            label = f"[{style}]{outcome.state:<9}[/{style}]" if style else f"{outcome.state:<9}"
            out.print(f"  {label} {escape(outcome.path)}")
        if done.commit:
            out.print(f"  committed as {done.commit}")
    conflicts = [c for done in result.updates for c in done.conflicts]
    if conflicts:
        paths = ", ".join(c.path for c in conflicts)
        pending = f"; then `csvimport update {' '.join(result.pending)}`" if result.pending else ""
        raise CsvImportError(
            f"conflicts in {paths}: resolve the <<<<<<< / >>>>>>> blocks, commit{pending}"
        )


CHECK_EPILOG = """\b
Examples:
  csvimport check                    # every feature, the core, and tsc
  csvimport check user --format json
  csvimport check --no-typecheck

\b
Exit codes: 0 clean; 1 findings (drift of managed files, broken architecture rules, missing or
extra files, type errors); 3 nothing wrong but a newer template version is available.
"""


@app.command(epilog=CHECK_EPILOG)
def check(
    features: Annotated[
        list[str] | None, typer.Argument(help="Features to check (default: all, and the core).")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text (file:line: rule: message) or json.")
    ] = "text",
    no_typecheck: Annotated[
        bool, typer.Option("--no-typecheck", help="Skip next typegen + tsc --noEmit.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Check generated code for CI: drift, architecture rules, files, updates, types."""
    if output_format not in ("text", "json"):
        raise UsageError(f"unknown format '{output_format}' (expected text or json)")
    root = project.resolve()
    with err.status("Checking…") as status:
        report = run_check(
            root,
            list(features or []),
            with_typecheck=not no_typecheck,
            on_step=lambda message: status.update(message),
        )
    if output_format == "json":
        as_dicts = lambda findings: [  # noqa: E731
            {**finding.__dict__, "diff": report.diffs.get(finding.file)} for finding in findings
        ]
        payload = {"findings": as_dicts(report.findings), "updates": as_dicts(report.updates)}
        out.out(json.dumps(payload, indent=2), highlight=False)
    else:
        for finding in (*report.findings, *report.updates):
            out.print(str(finding), markup=False)
        for diff in report.diffs.values():
            _print_diff(diff)
        if report.exit_code == 0:
            out.print("[green]check: clean[/green]")
    raise typer.Exit(report.exit_code)


@app.command(
    epilog="\b\nExamples:\n  csvimport doctor\n  csvimport doctor --project ../my-app --format json"
)
def doctor(
    project: ProjectOption = Path("."),
    output_format: Annotated[
        str, typer.Option("--format", help="text or json.", case_sensitive=False)
    ] = "text",
) -> None:
    """Show what csvimport finds in the project and where, what `init` would add, and what
    stops it. Changes nothing; exits 1 when something stops `init`."""
    if output_format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not '{output_format}'")
    diagnosis = diagnose(project.resolve())
    if output_format == "json":
        out.out(json.dumps(diagnosis.to_dict(), indent=2), highlight=False)
    else:
        name_width = max(len(fact.name) for fact in diagnosis.facts)
        value_width = max(len(fact.value) for fact in diagnosis.facts)
        for fact in diagnosis.facts:
            source = f"  [dim]{escape(fact.source)}[/dim]" if fact.source else ""
            value = escape(f"{fact.value:<{value_width}}") if source else escape(fact.value)
            out.print(f"  {fact.name:<{name_width}}  {value}{source}")
        if diagnosis.initialized:
            out.print("[cyan]csvimport.json exists:[/cyan] it, not detection, rules the project")
        for addition in diagnosis.init_adds:
            out.print(f"[yellow]init adds:[/yellow] {escape(addition)}")
        for problem in diagnosis.problems:
            out.print(f"[red]problem:[/red] {escape(problem)}")
        if not diagnosis.problems:
            out.print("[green]ready for csvimport init[/green]")
    if diagnosis.problems:
        raise typer.Exit(1)


@app.command("list")
def list_features(project: ProjectOption = Path(".")) -> None:
    """Show each feature (and the core): its template version, files and their state."""
    for inventory in list_subprojects(project.resolve()):
        subproject = inventory.subproject
        route = "" if subproject.is_core else f"  {subproject.answers.get('api_path')}"
        out.print(f"[bold]{escape(subproject.name)}[/bold]  {subproject.commit}{escape(route)}")
        for file in inventory.files:
            style = {"clean": "green", "edited": "yellow", "missing": "red"}[file.state]
            out.print(f"  [{style}]{file.state:<8}[/{style}] {escape(file.path)}")


@app.command(
    epilog="\b\nExamples:\n  csvimport remove user --dry-run\n  csvimport remove user --force"
)
def remove(
    feature: Annotated[str, typer.Argument(help="The feature to remove.")],
    dry_run: DryRunOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="Also delete files edited since generation.")
    ] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Delete a feature's files, answers and mounts; the core stays for other features."""
    root = project.resolve()
    plan = plan_remove(root, feature, force=force)
    if _present_plan(plan, dry_run=dry_run):
        apply_plan(root, plan)
        out.print(f"removed feature '{escape(feature)}'")


def _present_plan(plan: Plan, *, dry_run: bool) -> bool:
    """Show what the plan does (with diffs for a dry run or conflicts); whether to write it."""
    for change in plan.changes:
        style = STATUS_STYLE[change.status]
        out.print(f"  [{style}]{change.status.value:<9}[/{style}] {escape(change.path)}")
    shown = plan.changes if dry_run else plan.conflicts
    for change in shown:
        if change.status is not Status.IDENTICAL:
            _print_diff(change.diff())
    if dry_run:
        out.print("[bold]dry run:[/bold] nothing written")
    return not dry_run


def _print_mount_lines(result: NewResult, heading: str) -> None:
    out.print(heading, markup=False)
    name, specifier = result.component.name, result.component_specifier
    out.print(f'    import {{ {name} }} from "{specifier}";', markup=False)
    out.print(f"    <{name} />", markup=False)
    if specifier.startswith("./"):
        out.print("(the path is from the project root: make it relative to your page)")


def _print_diff(diff: str) -> None:
    if not diff:
        return
    if out.is_terminal:
        out.print(Syntax(diff, "diff", theme="ansi_dark", background_color="default"))
    else:
        out.out(diff, end="", highlight=False)


def _present_checks(results: list[CheckResult]) -> bool:
    clean = True
    for result in results:
        if result.findings:
            clean = False
            out.print(f"[red]{result.name}: {len(result.findings)} finding(s)[/red]")
            for finding in result.findings:
                out.print(str(finding), markup=False)
        else:
            out.print(f"[green]{result.name}: ok[/green]")
    return clean


def main() -> None:
    """Console-script entry point: user mistakes become one line on stderr, never a traceback."""
    try:
        # without standalone mode, a command's typer.Exit comes back as the return value
        exit_code = app(standalone_mode=False)
    except CsvImportError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        sys.exit(error.exit_code)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except KeyboardInterrupt:
        err.print("aborted: nothing written")
        sys.exit(130)
    except typer.TyperException as error:  # the parser's own errors: unknown option, bad value
        context = getattr(error, "ctx", None)
        command = context.command_path if context else "csvimport"
        err.print(f"error: {error.format_message()} (see `{command} --help`)", markup=False)
        sys.exit(error.exit_code)
    except typer.Abort:
        err.print("aborted: nothing written")
        sys.exit(130)
    sys.exit(exit_code if isinstance(exit_code, int) else 0)
