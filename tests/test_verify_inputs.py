"""`verify` on hostile input, without jsii: bad timeouts, responses cut off by a syntax error,
names on lines of any length (linear, not quadratic), and the folders of killed runs."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from cdktf_fix.verify import (
    GENERATED_ENTRY,
    RUN_PREFIX,
    DoesNotParse,
    NoEntry,
    Unit,
    find_entry,
    markdown_files,
    materialize,
    remove_stale_folders,
    verify_units,
)

ROOT = Path(__file__).resolve().parent.parent


def fence(code: str, indent: str = "") -> str:
    lines = ["```python", *code.splitlines(), "```"]
    return "".join(f"{indent}{line}\n" if line else "\n" for line in lines)


# -- item 5: the timeout is a finite number of seconds above 0 ---------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0, 0.0, -1, "10", None, True])
def test_verify_units_refuses_a_timeout_that_never_or_always_ends(value, tmp_path):
    unit = Unit("x.py", tmp_path / "x.py", "file")
    with pytest.raises(ValueError, match="timeout must be a finite number of seconds above 0"):
        verify_units([unit], timeout=value)
    with pytest.raises(ValueError, match="startup_timeout must be"):
        verify_units([unit], startup_timeout=value)


@pytest.mark.parametrize("field", ["jobs", "samples_per_process"])
@pytest.mark.parametrize("value", [0, -1, 1.5, math.nan, "2", True])
def test_verify_units_refuses_counts_below_one(field, value, tmp_path):
    with pytest.raises(ValueError, match=f"{field} must be a whole number of at least 1"):
        verify_units([Unit("x.py", tmp_path / "x.py", "file")], **{field: value})


# -- CLI habit: a response cut off by a syntax error says so ----------------------------

TRUNCATED = '''from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider


class TapStack(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=(
'''


def test_a_response_cut_off_by_a_syntax_error_names_file_and_line(tmp_path):
    response = tmp_path / "RESPONSE.md"
    response.write_text("Intro.\n\n## lib/tap_stack.py\n\n" + fence(TRUNCATED))
    events = []
    [result] = verify_units([Unit("RESPONSE.md", response, "markdown")], on_event=lambda *e: events.append(e))
    assert result.status == "error", result
    assert result.error == "syntax error in lib/tap_stack.py at line 8: '(' was never closed (line 13 of RESPONSE.md)"
    assert result.failure_class == "syntax-error"  # no codemod repairs a cut-off response
    assert events == []  # decided before any synth worker starts


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_names_and_lines_with_crlf_and_lone_cr_line_endings(ending, tmp_path):
    text = ("Intro.\n\n## main.py\n" + fence("x = 1\n") + "## lib/tap_stack.py\n\n" + fence(TRUNCATED)).replace("\n", ending)
    assert list(markdown_files(text)) == ["main.py", "lib/tap_stack.py"]
    response = tmp_path / "RESPONSE.md"
    response.write_bytes(text.encode())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DoesNotParse, match=r"^syntax error in lib/tap_stack.py at line 8: '\(' was never closed \(line 17 of RESPONSE.md\)$"):
        materialize(Unit("RESPONSE.md", response, "markdown"), out)


def test_a_py_file_that_does_not_parse_names_its_line(tmp_path):
    (tmp_path / "stack.py").write_text(TRUNCATED)
    [result] = verify_units([Unit("stack.py", tmp_path / "stack.py", "file")])
    assert (result.status, result.error) == ("error", "syntax error in stack.py at line 8: '(' was never closed")


def test_the_entry_a_syntax_error_hides_is_reported_not_no_entry(tmp_path):
    (tmp_path / "stack.py").write_text(
        "from cdktf import TerraformStack\nclass TapStack(TerraformStack):\n    def __init__(self, scope, id, env):\n        pass\n"
    )
    (tmp_path / "main.py").write_text("from cdktf import App\nfrom stack import TapStack\napp = App(\nTapStack(app, 'x', 'dev')\napp.synth()\n")
    with pytest.raises(DoesNotParse, match=r"^syntax error in main.py at line 3: '\(' was never closed$"):
        find_entry(tmp_path)
    (tmp_path / "other.py").write_text("from cdktf import App\nApp(]\n")  # two broken: main.py first, and a count
    with pytest.raises(DoesNotParse, match=r"^syntax error in main.py at line 3: .* \(and 1 more file that do not parse\)$"):
        find_entry(tmp_path)


def test_a_broken_file_that_holds_no_stack_does_not_stop_the_run(tmp_path):
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "handler.py").write_text("def handler(event, context):\n    return {{ placeholder }\n")
    (tmp_path / "stack.py").write_text("from cdktf import TerraformStack\nclass TapStack(TerraformStack):\n    pass\n")
    assert find_entry(tmp_path) == GENERATED_ENTRY
    (tmp_path / "main.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")
    assert find_entry(tmp_path) == "main.py"  # an entry: it runs, and the run shows any SyntaxError it meets
    (tmp_path / "main.py").unlink()
    (tmp_path / GENERATED_ENTRY).unlink()
    (tmp_path / "stack.py").write_text("x = 1\n")  # no stack at all: the broken file is the best answer
    with pytest.raises(DoesNotParse, match=r"^syntax error in lambda/handler.py at line 2: "):
        find_entry(tmp_path)
    (tmp_path / "lambda" / "handler.py").unlink()
    with pytest.raises(NoEntry):
        find_entry(tmp_path)


def test_a_nul_byte_is_named_too(tmp_path):
    (tmp_path / "main.py").write_text("from cdktf import App\x00\n")
    with pytest.raises(DoesNotParse, match="^syntax error in main.py: source code string cannot contain null bytes$"):
        find_entry(tmp_path)


def test_list_indented_blocks_lose_their_fence_indentation(tmp_path):
    code = "from cdktf import App\napp = App()\nif True:\n    app.synth()\n"
    text = "1. The entry, **main.py**:\n\n" + fence(code, indent="   ")
    assert markdown_files(text) == {"main.py": code}
    response = tmp_path / "R.md"
    response.write_text(text)
    out = tmp_path / "out"
    out.mkdir()
    assert materialize(Unit("R.md", response, "markdown"), out) == "main.py"  # before: an IndentationError, no entry


# -- item 16: names from lines of any length, in linear time ----------------------------

# Each case ran for hours before (a 100k-character heading: 57 s; these are 1 MB): the name
# patterns backtracked over the whole line from each of its positions, and every import
# looked through every file.  The child process bounds a regression to a failure, not a hang;
# speed itself is measured by scripts/bench_verify_names.py.
LINEAR = textwrap.dedent(
    """
    import sys
    from cdktf_fix.verify import markdown_files, place_imported_modules
    block = "```python\\nx = 1\\n```\\n"
    n = 1_000_000
    cases = {
        "heading": "## " + "a" * n + "\\n" + block,
        "heading of path characters": "## " + "a/" * (n // 2) + "\\n" + block,
        "bold line": "**" + "a" * n + "\\n" + block,
        "standalone punctuation": "." * n + "\\n" + block,
        "punctuation then a word": "-" * n + "a\\n" + block,
        "first-line comment": "```python\\n# " + "a" * n + "\\nx = 1\\n```\\n",
        "markdown-eaten underscores": "## " + "**a" * (n // 3) + "\\n" + block,
    }
    for name, text in cases.items():
        files = markdown_files(text)
        assert list(files) == ["block_1.py"], (name, list(files)[:3])
    named = "## " + "a" * n + " lib/stack.py\\n" + block
    assert list(markdown_files(named)) == ["lib/stack.py"]
    many = "".join(f"## m{i}.py\\n```python\\nimport pkg.m{(i + 1) % 60000}\\n```\\n" for i in range(60000))
    files = markdown_files(many)
    placed = place_imported_modules(files)
    assert len(files) == 60000 and len(placed) == 120000 and placed["pkg/m1.py"] == files["m1.py"] == "import pkg.m2\\n"
    print("done")
    """
)


def test_names_on_a_megabyte_line_and_sixty_thousand_blocks_are_found_in_linear_time():
    run = subprocess.run([sys.executable, "-c", LINEAR], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.strip() == "done", run.stderr[-2000:]


LINEAR_ASSETS = textwrap.dedent(
    """
    from cdktf_fix.verify.responses import markdown_assets
    block = "```js\\nx\\n```\\n"
    n = 1_000_000
    cases = {
        "heading": "## " + "a" * n + "\\n" + block,
        "heading of path characters": "## " + "a/" * (n // 2) + "\\n" + block,
        "heading of version dots": "## " + "1." * (n // 2) + "\\n" + block,
        "bold line": "**" + "a" * n + "\\n" + block,
        "standalone punctuation": "." * n + "\\n" + block,
        "punctuation then a word": "-" * n + "a\\n" + block,
        "standalone names then a space": "a.b" * (n // 3) + " x\\n" + block,
        "first-line comment": "```js\\n// " + "a" * n + "\\nx\\n```\\n",
        "first-line comment of names then a space": "```js\\n// " + "a.b" * (n // 3) + " x\\n```\\n",
        "a name too long to write": "## " + "a/" * (n // 2) + "x.js\\n" + block,
    }
    for name, text in cases.items():
        assert markdown_assets(text) == {}, name
    named = "## " + "a" * n + " lib/x.js\\n" + block
    assert markdown_assets(named) == {"lib/x.js": "x\\n"}
    many = "".join(f"## d{i % 100}/m{i}.js\\n{block}" for i in range(60000))
    python = [f"d{i}/m{j}.py" for i in range(100) for j in range(600)]
    assert len(markdown_assets(many, python)) == 60000
    print("done")
    """
)


def test_names_of_other_files_on_a_megabyte_line_and_sixty_thousand_blocks_are_found_in_linear_time():
    run = subprocess.run([sys.executable, "-c", LINEAR_ASSETS], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.strip() == "done", run.stderr[-2000:]


# -- item 5: folders of killed runs ------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_run_folders_of_dead_processes_are_removed(tmp_path):
    dead = _dead_pid()
    stale = tmp_path / f"{RUN_PREFIX}{dead}-abc_1234"
    (stale / "worker-x" / "tmp" / "locked").mkdir(parents=True)
    (stale / "worker-x" / "tmp" / "locked" / "f").write_text("x")
    (stale / "worker-x" / "tmp" / "locked").chmod(0o500)  # what a sample may leave: removed all the same
    mine = tmp_path / f"{RUN_PREFIX}{os.getpid()}-abc12345"  # a live run: kept
    mine.mkdir()
    old_style = tmp_path / f"{RUN_PREFIX}abc12345"  # no owner in its name: not ours to judge
    old_style.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / f"{RUN_PREFIX}{dead}-link1234"  # a link is never followed
    link.symlink_to(target)
    not_a_folder = tmp_path / f"{RUN_PREFIX}{dead}-file1234"
    not_a_folder.write_text("x")
    assert remove_stale_folders(tmp_path) == [stale]
    assert not stale.exists() and mine.is_dir() and old_style.is_dir() and link.is_symlink() and target.is_dir() and not_a_folder.is_file()


def test_a_run_removes_stale_folders_and_leaves_none_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / f"{RUN_PREFIX}{_dead_pid()}-abcdefgh"
    stale.mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.py").write_text("print('no stack')\n")
    [result] = verify_units([Unit("x.py", tmp_path / "src" / "x.py", "file")])
    assert result.status == "no-entry"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_a_worker_that_cannot_start_reports_its_start_and_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")
    events = []
    [result] = verify_units([Unit("main.py", tmp_path / "src" / "main.py", "file")], startup_timeout=0.05, on_event=lambda *e: events.append(e))
    assert result.status == "crash" and result.error == "the synth worker did not start (no ready signal after 0.05 s)"
    assert result.failure_class == "crash"
    assert events == [
        ("worker-starting", "starting the synth worker (loading the AWS provider, ~20 s)..."),
        ("worker-failed", "the synth worker did not start (no ready signal after 0.05 s)"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_a_worker_folder_that_cannot_be_made_is_a_crash_result_not_a_traceback(tmp_path, monkeypatch):
    from cdktf_fix.verify import workers

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workers.tempfile, "TemporaryFile", full)
    [result] = verify_units([Unit("main.py", tmp_path / "src" / "main.py", "file")])
    assert result.status == "crash"
    assert result.error == "the synth worker's log could not be made ([Errno 28] No space left on device)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
    with pytest.raises(workers.WorkerFailed, match="folder could not be made"):
        workers.Worker(tmp_path / "gone")


def test_the_worker_after_one_that_exited_says_why_it_is_new(tmp_path, monkeypatch):
    """A worker that ends after a sample it could not clean up after (``exiting``) is replaced,
    and the new one is announced with that reason, not a stale one or a wrong count."""
    from cdktf_fix.verify import pool
    from cdktf_fix.verify.results import VerifyResult

    class ExitingWorker:
        def __init__(self, folder):
            self.samples = 0
            self.startup_seconds = 0.0

        def wait_ready(self, timeout):
            pass

        def run(self, name, folder, entry, timeout):
            self.samples += 1
            return VerifyResult(name, "error", "SystemExit: 3"), False

        def close(self):
            pass

        kill = discard = close

    monkeypatch.setattr(pool, "Worker", ExitingWorker)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "src").mkdir()
    units = []
    for name in ("a", "b"):
        (tmp_path / "src" / f"{name}.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")
        units.append(Unit(f"{name}.py", tmp_path / "src" / f"{name}.py", "file"))
    events = []
    results = verify_units(units, on_event=lambda *e: events.append(e))
    assert [r.status for r in results] == ["error", "error"]
    assert [message for kind, message in events if kind == "worker-starting"] == [
        "starting the synth worker (loading the AWS provider, ~20 s)...",
        "starting a new synth worker (the last one exited; loading the AWS provider, ~20 s)...",
    ]
