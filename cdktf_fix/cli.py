"""The command line: parses arguments, calls the engine, prints.  Nothing else lives here."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cdktf_fix import __version__

app = typer.Typer(
    name="cdktf-fix",
    help="Repair model-generated CDKTF Python (AWS provider) so that it synthesizes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are text: "[tool.cdktf-fix]" is no markup
)
schema_app = typer.Typer(help="The provider schema the fixes are looked up in.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(schema_app, name="schema")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class ReportFormat(str, Enum):
    """What apply, diff and check can print."""

    text = "text"
    json = "json"
    sarif = "sarif"


Paths = Annotated[
    list[str],
    typer.Argument(help="Python or markdown files, or folders (searched recursively for *.py and *.md); - reads standard input.", show_default=False),
]
StdinFilename = Annotated[Optional[str], typer.Option("--stdin-filename", help="With -: the file name standard input stands for (its configuration, project and messages).", show_default=False)]
Unsafe = Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply fixes that pick among several candidates.")]
Select = Annotated[Optional[list[str]], typer.Option("--select", help="Run only these codemods (repeatable).")]
Ignore = Annotated[Optional[list[str]], typer.Option("--ignore", help="Do not run these codemods (repeatable).")]
Format = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
Report = Annotated[ReportFormat, typer.Option("--format", help="Output format: text, json (every fix with its edit, safety and whether it was applied) or sarif (code scanning).")]
ConfigFile = Annotated[Optional[Path], typer.Option("--config", help="Read [tool.cdktf-fix] from this pyproject.toml for every file (default: for each file, the nearest one at or above its folder).", show_default=False)]
TargetOption = Annotated[
    Optional[list[str]],
    typer.Option("--target", help="Check against these packages instead of each project's own (repeatable): cdktn, cdktf-cdktf-provider-aws==19.50.0, cdktn-provider-aws>=25. See `cdktf-fix schema info`.", show_default=False),
]
Offline = Annotated[bool, typer.Option("--offline", help="Never download a schema: a version with no schema here is reported and its code left unchecked.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also print every fix and finding (apply and diff print one summary by default).")]


def _console(stderr: bool = False):
    """A console that prints text as text: markup in messages (``[tool.cdktf-fix]``, a path
    with ``[/x]`` in it) is never interpreted; styles come from ``_line``."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False, emoji=False)


def _line(*parts):
    """One line of output: plain strings, and (text, style) pairs."""
    from rich.text import Text

    return Text.assemble(*parts)


def _fail(message: str) -> None:
    _console(stderr=True).print(_line(("error:", "red"), " ", str(message)))
    raise typer.Exit(2)


def _request(unsafe: bool, select, ignore, config: Optional[Path], target=None, offline: bool = False):
    from cdktf_fix.io.runs import Request

    return Request(bool(unsafe), tuple(select or ()), tuple(ignore or ()), config, tuple(target or ()), bool(offline))


def _run(paths: list[str], unsafe: bool, select, ignore, write: bool, config_path: Optional[Path] = None, stdin_filename: Optional[str] = None, target=None, offline: bool = False):
    """The report of a run over ``paths`` (standard input for ``-``), and the BOM of standard input."""
    from cdktf_fix.io.runs import STDIN, RunError, repair_paths, repair_stdin
    from cdktf_fix.io.sources import MAX_BYTES

    if any(not p.strip() for p in paths):
        _fail("an empty path was given")
    request = _request(unsafe, select, ignore, config_path, target, offline)
    try:
        if STDIN in paths:
            if len(paths) > 1:
                _fail("- (standard input) cannot be combined with other paths")
            return repair_stdin(request, stdin_filename, MAX_BYTES)
        if stdin_filename:
            _fail("--stdin-filename goes with - (standard input)")
        return repair_paths([Path(p) for p in paths], request, write), False
    except RunError as error:
        _fail(str(error))


def _print_notices(report) -> None:
    """What the run could not check, once per project (on stderr: never mixed with a diff)."""
    console = _console(stderr=True)
    for notice in report.notices:
        console.print(_line(("note:", "yellow"), " ", notice))


def _print_findings(console, report, show_fixes: bool, show_findings: bool) -> None:
    """Skipped files and blocks always (one line each); fixes and findings when asked."""
    for outcome in report.files:
        path = (str(outcome.path), "bold")
        if outcome.error:
            console.print(_line(path, ": ", ("skipped", "red"), ": ", outcome.error))
        for block in outcome.result.skipped:
            console.print(_line(path, f":{block.line}: ", ("skipped", "red"), " ", block.reason))
        if show_fixes:
            for fix in outcome.result.fixes:
                tag = ("fixable", "green") if fix.applied else ("unsafe fix", "yellow")
                console.print(_line(path, f":{fix.line}:{fix.column}: ", (fix.codemod, "cyan"), " ", fix.message, " [", tag, "]"))
        for finding in outcome.result.findings if show_findings else ():
            hint = f" (did you mean: {', '.join(finding.suggestions[:3])})" if finding.suggestions else ""
            console.print(_line(path, f":{finding.line}:{finding.column}: ", (finding.codemod, "cyan"), " ", finding.message, hint))


def _summary(report, verb: str, written_only: bool = False) -> str:
    """One line; ``written_only`` (apply): fixes count only in files that were written."""
    fixes = report.fixes(written_only)
    unsafe = sum(1 for f in report.files for x in f.result.fixes if not x.applied)
    changed = sum(1 for f in report.changed if f.written or not written_only)
    parts = [f"{len(report.files)} file{'s' * (len(report.files) != 1)} checked", f"{fixes} fix{'es' * (fixes != 1)} {verb} in {changed} file{'s' * (changed != 1)}"]
    if unsafe:
        parts.append(f"{unsafe} unsafe fix{'es' * (unsafe != 1)} available with --unsafe-fixes")
    parts.append(f"{report.count('findings')} finding{'s' * (report.count('findings') != 1)} left")
    if report.errors:
        parts.append(f"{len(report.errors)} file{'s' * (len(report.errors) != 1)} skipped")
    if report.skipped_blocks:
        parts.append(f"{report.skipped_blocks} markdown code block{'s' * (report.skipped_blocks != 1)} skipped")
    return ", ".join(parts)


def _exit_code(report, problems: bool) -> int:
    if report.errors or report.skipped_blocks:
        return 2
    return 1 if problems else 0


def _print_sarif(report, applied: bool) -> None:
    from cdktf_fix.io.sarif import to_sarif

    print(json.dumps(to_sarif(report, applied=applied), indent=2))


@app.command()
def apply(
    paths: Paths, unsafe_fixes: Unsafe = False, select: Select = None, ignore: Ignore = None,
    output_format: Report = ReportFormat.text, config: ConfigFile = None, verbose: Verbose = False,
    stdin_filename: StdinFilename = None, target: TargetOption = None, offline: Offline = False,
) -> None:
    """Write fixes in place (with -, write the repaired code to standard output). Exit 0 when nothing is left to report, 1 when findings remain, 2 when a file was skipped (not read, repaired or written) or on a usage error."""
    report, bom = _run(paths, unsafe_fixes, select, ignore, write=True, config_path=config, stdin_filename=stdin_filename, target=target, offline=offline)
    stdin = paths == ["-"]
    if stdin:
        outcome = report.files[0]
        sys.stdout.buffer.write((b"\xef\xbb\xbf" if bom else b"") + outcome.result.new_source.encode("utf-8"))
        sys.stdout.flush()
        outcome.written = outcome.result.changed
    if output_format is ReportFormat.json and not stdin:
        print(json.dumps(report.to_dict(applied=True), indent=2))
    elif output_format is ReportFormat.sarif and not stdin:
        _print_sarif(report, applied=True)
    else:
        console = _console(stderr=stdin)
        _print_notices(report)
        _print_findings(console, report, show_fixes=verbose, show_findings=verbose)
        console.print(_summary(report, "applied", written_only=True))
    raise typer.Exit(_exit_code(report, report.count("findings") > 0))


@app.command()
def diff(
    paths: Paths, unsafe_fixes: Unsafe = False, select: Select = None, ignore: Ignore = None,
    output_format: Report = ReportFormat.text, config: ConfigFile = None, verbose: Verbose = False,
    stdin_filename: StdinFilename = None, target: TargetOption = None, offline: Offline = False,
) -> None:
    """Print the fixes as a unified diff; write nothing. Exit 0 when nothing would change, 1 when something would, 2 when a file was skipped or on a usage error."""
    report, _ = _run(paths, unsafe_fixes, select, ignore, write=False, config_path=config, stdin_filename=stdin_filename, target=target, offline=offline)
    if output_format is ReportFormat.json:
        data = report.to_dict(applied=False)
        for entry, outcome in zip(data["files"], report.files):
            entry["diff"] = outcome.diff()
        print(json.dumps(data, indent=2))
    elif output_format is ReportFormat.sarif:
        _print_sarif(report, applied=False)
    else:
        console = _console()
        styles = (("+++", "bold"), ("---", "bold"), ("+", "green"), ("-", "red"), ("@@", "cyan"))
        for outcome in report.changed:
            for line in outcome.diff().splitlines():
                style = next((style for prefix, style in styles if line.startswith(prefix)), "")
                console.print(_line((line, style)))
        _print_notices(report)
        _print_findings(_console(stderr=True), report, show_fixes=verbose, show_findings=verbose)
        _console(stderr=True).print(_summary(report, "would be applied"))
    raise typer.Exit(_exit_code(report, bool(report.changed)))


@app.command()
def migrate(
    paths: Paths,
    to: Annotated[str, typer.Option("--to", help="The framework to move to: cdktn (CDK Terrain).")] = "cdktn",
    show_diff: Annotated[bool, typer.Option("--diff", help="Print what would change as a unified diff; write nothing.")] = False,
    unsafe_fixes: Unsafe = False, select: Select = None, ignore: Ignore = None, config: ConfigFile = None,
    verbose: Verbose = False, target: TargetOption = None, offline: Offline = False,
) -> None:
    """Move CDKTF projects to CDK Terrain: imports, dependency files and the code, repaired against the cdktn target; all or nothing per project. Exit 0 when nothing is left to report, 1 when findings remain (with --diff: when something would change), 2 when a project was not migrated or on a usage error."""
    from cdktf_fix.migrate.run import migrate_paths

    _move(migrate_paths, paths, to, show_diff, _request(unsafe_fixes, select, ignore, config, target, offline), verbose)


@app.command()
def upgrade(
    paths: Paths,
    to: Annotated[str, typer.Option("--to", help="The provider release to port to: NAME==VERSION (cdktn-provider-aws==25.8.1), or a version of cdktf-cdktf-provider-aws.", show_default=False)],
    show_diff: Annotated[bool, typer.Option("--diff", help="Print what would change as a unified diff; write nothing.")] = False,
    unsafe_fixes: Unsafe = False, select: Select = None, ignore: Ignore = None, config: ConfigFile = None,
    verbose: Verbose = False, offline: Offline = False,
) -> None:
    """Port projects to another provider release: the code repaired against that release (what it renamed or removed), the provider's pins moved to it; all or nothing per project. Exit codes as for migrate."""
    from cdktf_fix.migrate.run import upgrade_paths

    _move(upgrade_paths, paths, to, show_diff, _request(unsafe_fixes, select, ignore, config, None, offline), verbose)


def _move(run, paths: list[str], to: str, show_diff: bool, request, verbose: bool) -> None:
    """migrate and upgrade: run, print per project, exit."""
    from cdktf_fix.io.runs import RunError

    if any(not p.strip() or p == "-" for p in paths):
        _fail("takes files and folders (not - or an empty path)")
    try:
        report = run([Path(p) for p in paths], to, request, write=not show_diff)
    except (RunError, ValueError) as error:
        _fail(str(error))
    out, err = _console(), _console(stderr=True)
    styles = (("+++", "bold"), ("---", "bold"), ("+", "green"), ("-", "red"), ("@@", "cyan"))
    for project in report.projects:
        if show_diff and not project.problems:
            for text in [f.diff() for f in project.files if f.result.changed] + [e.diff() for e in project.dependencies]:
                for line in text.splitlines():
                    out.print(_line((line, next((style for prefix, style in styles if line.startswith(prefix)), ""))))
        name = (str(project.root), "bold")
        if project.problems:
            err.print(_line(name, ": ", ("not moved", "red"), f" ({len(project.problems)} problem{'s' * (len(project.problems) != 1)}; nothing written)"))
            for problem in project.problems:
                err.print(_line("  ", problem))
            continue
        files = sum(1 for f in project.files if f.result.changed)
        verb = "would be moved" if show_diff else "moved"
        done = f"{files} file{'s' * (files != 1)}, {len(project.dependencies)} dependency file{'s' * (len(project.dependencies) != 1)}"
        err.print(_line(name, ": ", (verb if project.changed else "nothing to move", "green"), f" ({done}; target {project.target})" if project.changed else ""))
        for change in project.changes if verbose else ():
            err.print(_line("  ", change))
        for lock in project.relock:
            err.print(_line("  ", ("re-lock:", "yellow"), f" {lock} pins the old packages"))
    _print_notices(report)
    _print_findings(err, report, show_fixes=verbose, show_findings=verbose)
    stopped = any(p.problems for p in report.projects)
    findings = sum(len(f.result.findings) for f in report.files)
    raise typer.Exit(2 if stopped else 1 if (show_diff and any(p.changed for p in report.projects)) or findings else 0)


@app.command()
def check(
    paths: Paths, unsafe_fixes: Unsafe = False, select: Select = None, ignore: Ignore = None,
    output_format: Report = ReportFormat.text, config: ConfigFile = None, stdin_filename: StdinFilename = None,
    target: TargetOption = None, offline: Offline = False,
) -> None:
    """List every problem, fixable or not; write nothing. Exit 0 no problems, 1 problems, 2 when a file was skipped (not read or repaired) or on a usage error."""
    report, _ = _run(paths, unsafe_fixes, select, ignore, write=False, config_path=config, stdin_filename=stdin_filename, target=target, offline=offline)
    problems = any(f.result.fixes or f.result.findings for f in report.files)
    if output_format is ReportFormat.json:
        print(json.dumps(report.to_dict(applied=False), indent=2))
    elif output_format is ReportFormat.sarif:
        _print_sarif(report, applied=False)
    else:
        console = _console()
        _print_notices(report)
        _print_findings(console, report, show_fixes=True, show_findings=True)
        console.print(_summary(report, "available"))
    raise typer.Exit(_exit_code(report, problems))


@app.command()
def batch(
    source: Annotated[Path, typer.Argument(help="A folder of samples (one per sub-folder or file), or a dataset: a JSONL file or folder of JSONL shards, a Parquet file or dataset folder.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the repaired copy goes: a file for a one-file dataset, else a new or empty folder.", show_default=False)],
    field: Annotated[Optional[str], typer.Option("--field", help="The field to repair: a JSONL record's field or a Parquet string column, dotted for a nested field (messages.1.content).")] = None,
    add_counts: Annotated[bool, typer.Option("--add-counts", help="JSONL and Parquet: add a 'cdktf_fix' field (column) with each record's fix and finding counts.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: the number of cores; more than 4 per core is clamped).")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write the per-sample report as JSON here.")] = None,
    unsafe_fixes: Unsafe = False,
    select: Select = None,
    ignore: Ignore = None,
    config: ConfigFile = None,
    target: TargetOption = None,
    offline: Offline = False,
    engine: Annotated[str, typer.Option("--engine", help="Datasets: local (worker processes here) or dask (resumable partitions on a Dask cluster; pip install 'cdktf-fix[scale]').")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="With --engine dask: the address of a running Dask scheduler (default: a LocalCluster of --jobs workers).", show_default=False)] = None,
) -> None:
    """Repair a folder of samples or a dataset (JSONL, Parquet) into a separate output, never touching SOURCE.

    Without --target, a sample folder's own pins decide its target (as for apply), and a dataset record gets the default target of the framework it imports (cdktf 0.21.0 + cdktf-cdktf-provider-aws 21.22.1, or cdktn 0.24.0 + cdktn-provider-aws 25.8.1).

    Prints one summary table. Exit 0 when every sample is clean after the repair, 1 when findings remain, 2 when a sample could not be read or repaired (it is named; the batch goes on)."""
    from cdktf_fix.datasets.files import is_jsonl, is_parquet
    from cdktf_fix.io.batch import BatchError, BatchInterrupted, TargetRequest, batch_folder, check_outputs, write_report
    from cdktf_fix.io.runs import RunError, options_here
    from cdktf_fix.schema.target import TargetError, parse_explicit

    try:
        options = options_here(_request(unsafe_fixes, select, ignore, config))
        parse_explicit(list(target or ()), "--target")
    except (RunError, TargetError) as error:
        _fail(str(error))
    wanted = TargetRequest(tuple(target or ()), offline)
    jobs = jobs if jobs is not None else os.cpu_count() or 1
    if engine not in ("local", "dask"):
        _fail(f"--engine {engine}: local or dask")
    if scheduler and engine != "dask":
        _fail("--scheduler goes with --engine dask")
    try:
        check_outputs(source, out, report)  # every output against every input, before any work
    except BatchError as error:
        _fail(str(error))
    progress, task = _progress("samples")
    hooks = {"on_start": lambda total: progress.update(task, total=total), "on_sample": lambda _: progress.advance(task)}
    try:
        with progress:
            jsonl = is_jsonl(source)
            if jsonl or is_parquet(source):
                progress.update(task, description="records")
                if not field:
                    _fail(f"{source} is a {'JSONL' if jsonl else 'Parquet'} dataset: name the {'field' if jsonl else 'column'} to repair with --field")
                if engine == "dask":
                    from cdktf_fix.datasets.dask_engine import batch_dask

                    parts = progress.add_task("partitions", total=None)
                    result = batch_dask(source, out, field, options, jobs, add_counts, scheduler, target_request=wanted,
                                        on_partitions=lambda done, total: progress.update(parts, completed=done, total=total), **hooks)
                elif jsonl:
                    from cdktf_fix.datasets.jsonl_batch import batch_jsonl

                    result = batch_jsonl(source, out, field, options, jobs, add_counts, target_request=wanted, **hooks)
                else:
                    from cdktf_fix.datasets.parquet import batch_parquet

                    result = batch_parquet(source, out, field, options, jobs, add_counts, target_request=wanted, **hooks)
            elif engine == "dask":
                _fail("--engine dask repairs datasets (JSONL or Parquet); a folder of samples runs on the local engine")
            elif source.is_dir() or not source.exists():
                result = batch_folder(source, out, options, jobs, target_request=wanted, **hooks)
            else:
                _fail(f"{source}: not a folder of samples, a JSONL dataset (.jsonl, .ndjson: a file or a folder of shards) or a Parquet dataset (.parquet: a file or a dataset folder)")
    except BatchInterrupted as error:  # the workers are ended and nothing was written
        _console(stderr=True).print(_line(("error:", "red"), " ", str(error)))
        raise typer.Exit(128 + error.signum)
    except BatchError as error:
        _fail(str(error))
    _print_batch(result)
    if report is not None:
        try:
            write_report(report, result)
        except BatchError as error:
            _fail(str(error))
    summary = result.summary()
    raise typer.Exit(2 if summary["bad"] else 1 if summary["findings"] else 0)


def _progress(description: str):
    """A progress bar on stderr when it is a terminal, an inert one otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        """Items done per second, as rich measures it."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")

    console = _console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    )
    return progress, progress.add_task(description, total=None)


def _print_batch(result) -> None:
    from rich.table import Table

    summary = result.summary()
    console = _console()
    for note in result.notes:  # e.g. a --jobs clamped to 4 per core
        console.print(_line(("note:", "yellow"), " ", note))
    table = Table("", "samples", title=f"cdktf-fix batch ({summary['seconds']:.1f} s)", title_justify="left")
    for label, key in (("samples", "samples"), ("changed", "changed"), ("clean after", "clean_after"), ("bad (not repaired)", "bad")):
        table.add_row(label, str(summary[key]))
    console.print(table)
    counts = Table("codemod", "fixes applied", "unsafe, not applied", "findings left")
    for codemod in sorted({*summary["fixes"], *summary["unsafe_fixes_not_applied"], *summary["findings"]}):
        counts.add_row(codemod, *(str(summary[k].get(codemod, 0)) for k in ("fixes", "unsafe_fixes_not_applied", "findings")))
    if counts.row_count:
        console.print(counts)
    bad = [s for s in result.samples if s.bad]
    for sample in bad[:20]:
        console.print(_line(("bad", "red"), f" {sample.name}: {'; '.join(sample.errors)}"))
    if len(bad) > 20:
        console.print(f"... and {len(bad) - 20} more bad samples (all named in --report)")


@app.command()
def rules(output_format: Format = OutputFormat.text) -> None:
    """List the codemods: id, summary and fix safety."""
    from codemods import ALL_CODEMODS

    if output_format is OutputFormat.json:
        print(json.dumps([{"id": c.id, "summary": c.summary, "why": c.why, "safety": c.safety} for c in ALL_CODEMODS], indent=2))
        return
    from rich.table import Table

    table = Table("id", "summary", "fix safety", show_lines=True)
    for codemod in ALL_CODEMODS:
        table.add_row(codemod.id, codemod.summary, codemod.safety)
    _console().print(table)


@app.command()
def explain(
    codemod: Annotated[str, typer.Argument(help="A codemod id (see `cdktf-fix rules`).", show_default=False)],
    output_format: Format = OutputFormat.text,
) -> None:
    """Print a codemod's documentation: what it fixes, why, its fix safety, and an example from its fixtures."""
    from cdktf_fix.docs import explain as document
    from cdktf_fix.docs import to_markdown
    from codemods import BY_ID

    if codemod not in BY_ID:
        _fail(f"unknown codemod {codemod!r}; valid ids: {', '.join(BY_ID)}")
    doc = document(BY_ID[codemod])
    if output_format is OutputFormat.json:
        print(json.dumps(doc, indent=2))
    else:
        print(to_markdown(doc), end="")


@app.command()
def verify(
    path: Annotated[Path, typer.Argument(help="A project folder, a .py file, a markdown response, or a folder of them (e.g. a batch output).", show_default=False)],
    before: Annotated[Optional[Path], typer.Option("--before", help="Also verify this original and compare, sample by sample (paired by relative name).", show_default=False)] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Synth processes running side by side, 1 to 64 (each loads the AWS provider: ~300 MB).")] = 1,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one sample may take.")] = 120.0,
    output_format: Format = OutputFormat.text,
) -> None:
    """Synthesize for real (RUNS the code it checks) and report which samples fail, and why.

    WARNING: this command RUNS the code it checks. It executes the project's (or the markdown response's) Python in a subprocess, on a temporary copy, with your user's rights: verify only code you would run yourself. No other cdktf-fix command runs user code.

    Exit 0 when every sample synthesizes, 1 when some do not, 2 on a usage error."""
    import math

    from cdktf_fix.verify import compare, discover_units, missing_synth_packages, verify_units

    if not 1 <= jobs <= 64:
        _fail("--jobs must be a whole number from 1 to 64")
    if not math.isfinite(timeout) or timeout <= 0:
        _fail("--timeout must be a number of seconds above 0")
    try:
        units = discover_units(path)
        earlier = discover_units(before) if before is not None else []
    except (OSError, ValueError) as error:
        _fail(str(error))
    if not units:
        _fail(f"{path}: no project, .py file or markdown response with Python blocks")
    missing = missing_synth_packages()
    if missing:
        _fail(missing)
    todo = earlier + units
    done = []
    progress = _console(stderr=True)

    def on_result(result) -> None:
        done.append(result)
        if progress.is_terminal:
            progress.print(f"[{len(done)}/{len(todo)}] {result.name}: {result.status} ({result.seconds:.1f} s)")

    def on_event(kind: str, message: str) -> None:  # a worker loads jsii (~10-20 s), is ready, or fails
        if progress.is_terminal:
            progress.print(message)

    results = verify_units(todo, jobs=jobs, timeout=timeout, on_result=on_result, on_event=on_event)
    earlier_results, results = results[: len(earlier)], results[len(earlier):]
    pairs = compare(earlier_results, results) if before is not None else None
    summary = {status: sum(r.status == status for r in results) for status in ("ok", "error", "timeout", "crash", "no-entry")}
    if pairs is not None:
        summary.update(fixed=sum(p.fixed for p in pairs), broken=sum(p.broken for p in pairs))
    if output_format is OutputFormat.json:
        entries = [p.to_dict() for p in pairs] if pairs is not None else [r.to_dict() for r in results]
        print(json.dumps({"units": entries, "summary": summary}, indent=2))
    else:
        _print_verify(results, pairs, summary)
    raise typer.Exit(0 if all(r.ok for r in results) else 1)


def _print_verify(results, pairs, summary) -> None:
    from rich.table import Table

    colour = {"ok": "green", "error": "red", "timeout": "yellow", "crash": "magenta", "no-entry": "yellow"}

    def status(result) -> str:
        return _line((result.status, colour[result.status])) if result else "-"

    def table_of(*columns: str):
        table = Table(expand=True)
        for column in columns:
            table.add_column(column, overflow="fold", ratio=3 if column == "error" else None, min_width=7 if column == "seconds" else None)
        return table

    if pairs is None:
        table = table_of("unit", "status", "failure class", "error", "seconds")
        for r in results:
            table.add_row(r.name, status(r), r.failure_class or "", r.error or "", f"{r.seconds:.1f}")
    else:
        table = table_of("unit", "before", "after", "failure class", "error", "seconds")
        for p in pairs:
            shown = p.after if p.after and not p.after.ok else p.before if p.fixed else p.after
            error = ("was: " if p.fixed else "") + (shown.error or "") if shown else ""
            table.add_row(
                p.name, status(p.before), status(p.after), (shown.failure_class or "") if shown else "", error, f"{p.after.seconds:.1f}" if p.after else ""
            )
    console = _console()
    console.print(table)
    counts = ", ".join(f"{n} {status}" for status, n in summary.items() if status in colour and n)
    console.print(f"{len(results)} unit{'s' * (len(results) != 1)}: {counts}")
    if pairs is not None:
        console.print(f"{summary['fixed']} go from failing to ok, {summary['broken']} from ok to failing")


@schema_app.command("info")
def schema_info(
    path: Annotated[Path, typer.Argument(help="A project folder or a file in it (default: the current folder).")] = Path("."),
    output_format: Format = OutputFormat.text, target: TargetOption = None, offline: Offline = False, config: ConfigFile = None,
) -> None:
    """The target a project is checked against (framework and package versions), why, and where each part of its schema comes from."""
    from cdktf_fix.io.config import ConfigError, find_config, load_config
    from cdktf_fix.schema.target import TargetError, describe

    if not path.exists():
        _fail(f"{path}: no such file or folder")
    try:
        folder = path if path.is_dir() else path.parent
        config_path = config or find_config(folder.absolute())
        settings = load_config(config_path, _codemod_ids())
        info = describe(path.absolute(), tuple(target or ()), settings.target, config_path, offline or not settings.fetch)
    except (ConfigError, TargetError) as error:
        _fail(str(error))
    if output_format is OutputFormat.json:
        print(json.dumps(info, indent=2))
        return
    console = _console()
    console.print(f"target: {info['label']} ({info['framework']})")
    console.print(f"project: {info['project'] or 'none (no manifest at or above ' + str(path) + ')'}")
    for reason in info["reasons"]:
        console.print(f"  {reason}")
    for problem in info["problems"]:
        console.print(_line(("note:", "yellow"), " ", problem))
    console.print("schema parts:")
    for name, part in info["parts"].items():
        where = f"missing: {part['missing']}" if part["missing"] else part["source"]
        console.print(f"  {name}: {where}")
    if not info["fetch"]:
        console.print("fetching: off (--offline, CDKTF_FIX_OFFLINE or [tool.cdktf-fix] fetch = false)")


def _codemod_ids() -> set[str]:
    from codemods import BY_ID

    return set(BY_ID)


SnapshotFolder = Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write each part as a compressed snapshot into this folder (<distribution>-<version>.json.gz).", show_default=False)]


@schema_app.command("build")
def schema_build(output: SnapshotFolder = None) -> None:
    """Build the schema of every framework and provider package installed in the running interpreter (static scan, no import) and cache it."""
    import time

    from cdktf_fix.schema.packages import installed_from, running_sites
    from cdktf_fix.schema.store import SchemaUnavailable, build_part_of, check_snapshot_folder

    if output is not None:
        try:
            check_snapshot_folder(output)
        except ValueError as error:
            _fail(str(error))
    installed = installed_from(running_sites())
    if not installed:
        _fail("no cdktf, cdktn, constructs or prebuilt provider package is installed here: nothing to build from")
    console = _console()
    for distribution, found in sorted(installed.items()):
        start = time.perf_counter()
        try:
            part, cache, snapshot = build_part_of(found, output)
        except (SchemaUnavailable, OSError) as error:
            console.print(_line(("note:", "yellow"), f" {distribution} {found.version}: {error}"))
            continue
        where = f"; snapshot {snapshot}" if snapshot else ""
        console.print(f"{distribution} {found.version}: {len(part.names)} modules in {time.perf_counter() - start:.1f} s, cached at {cache}{where}")


@schema_app.command("fetch")
def schema_fetch(
    requirements: Annotated[list[str], typer.Argument(help="What to fetch: cdktf-cdktf-provider-aws==19.50.0, cdktn-provider-aws>=25 (the newest release it allows), cdktf==0.20.12.", show_default=False)],
    output: SnapshotFolder = None,
) -> None:
    """Download wheels with pip, read their schema statically (never installed or imported) and cache it."""
    import time

    from cdktf_fix.schema.store import SchemaUnavailable, check_snapshot_folder, fetch_part
    from cdktf_fix.schema.target import TargetError, parse_explicit

    try:
        wanted = parse_explicit(requirements, "schema fetch")
        if output is not None:
            check_snapshot_folder(output)
    except (TargetError, ValueError) as error:
        _fail(str(error))
    console = _console()
    failed = False
    for distribution, (specifier, _) in wanted.items():
        start = time.perf_counter()
        try:
            part, cache, snapshot = fetch_part(distribution, specifier, output)
        except (SchemaUnavailable, OSError) as error:
            console.print(_line(("error:", "red"), f" {distribution}{specifier}: {error}"))
            failed = True
            continue
        where = f"; snapshot {snapshot}" if snapshot else ""
        console.print(f"{distribution} {part.version}: {len(part.names)} modules in {time.perf_counter() - start:.1f} s, cached at {cache}{where}")
    raise typer.Exit(2 if failed else 0)


def _version(value: bool) -> None:
    if value:
        print(f"cdktf-fix {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Repair model-generated CDKTF Python (AWS provider) so that it synthesizes."""


def main() -> None:
    try:
        os.getcwd()
    except OSError:
        sys.stderr.write("error: the current folder no longer exists\n")
        sys.exit(2)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
