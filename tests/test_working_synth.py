"""Real synth of the precision corpus ``tests/working`` (slow: one jsii process, ~15 s).

Every top-level ``.py`` file of ``tests/working`` is correct, human-style CDKTF Python that
``tests/test_working.py`` expects cdktf-fix to leave byte-identical.  This test proves the
"correct" part, the way ``tests/test_fixture_synth.py`` does for fixtures:

- each file synthesizes with the installed packages (its TerraformStack subclasses are
  instantiated with ``(app, id)``);
- every key of every dict literal reaches the synthesized ``cdk.tf.json`` (jsii silently
  drops snake_case keys in lists of dicts, so a synth that succeeds is not enough).  A
  camelCase key counts under its snake_case Terraform name; keys of dicts serialized into
  strings (``json.dumps`` policies, ``Fn.jsonencode``) are read from those strings; keys
  whose value synthesized to null do not count (attributes given as blocks, such as
  ``ingress``, synthesize every field).  Beyond that file-wide check, the literal arguments
  of each ``X(self, "id", ...)`` call are walked side by side with the body of construct
  ``id``, so a key dropped in one list element is caught even when a sibling has it;
- no token was used as a plain Python value (an f-string of ``count.index`` or of an
  iterator value synthesizes to a number like ``-8.1e+298`` or an object repr).

Sub-folders are not synthesized: ``tests/working/cdktf_get_project`` imports the bindings
``cdktf get`` generates (``imports/aws``), which are not committed, as in HashiCorp's
examples; ``tests/working/assets`` holds a Lambda source folder for a TerraformAsset.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from synth_keys import LEAKED_TOKEN, constructs, dict_keys, json_keys, lost_by_construct, reached

ROOT = Path(__file__).resolve().parent.parent
WORKING = ROOT / "tests" / "working"
FILES = sorted(WORKING.glob("*.py"))
NOT_SYNTHESIZED = {"cdktf_get_project"}  # needs the generated bindings of `cdktf get`

DRIVER = """
import json, runpy, sys, traceback
from cdktf import App, TerraformStack

report = {}
for case, path, outdir in json.loads(sys.argv[1]):
    try:
        namespace = runpy.run_path(path, run_name="working_" + case)
        stacks = [v for v in namespace.values()
                  if isinstance(v, type) and issubclass(v, TerraformStack) and v is not TerraformStack
                  and v.__module__ == "working_" + case]
        if not stacks:
            raise RuntimeError("no TerraformStack subclass defined")
        app = App(outdir=outdir)
        for number, stack in enumerate(stacks):
            stack(app, f"{case}-{number}")
        app.synth()
        report[case] = "ok"
    except BaseException:
        report[case] = traceback.format_exc()[-2000:]
print(json.dumps(report))
"""

def test_every_working_file_is_collected():
    assert len(FILES) >= 30, [f.name for f in FILES]
    folders = {p.name for p in WORKING.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders - {"assets"} == NOT_SYNTHESIZED, folders


@pytest.mark.slow
def test_working_files_synthesize_and_keep_every_key(tmp_path):
    if shutil.which("node") is None:
        pytest.skip("node is needed for a real synth")
    jobs = [(path.stem, str(path), str(tmp_path / path.stem)) for path in FILES]
    env = {**os.environ, "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"}
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(jobs)],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    failed = {case: error for case, error in report.items() if error != "ok"}
    assert not failed, "\n\n".join(f"{case}:\n{error}" for case, error in failed.items())

    lost, leaked = {}, {}
    for path in FILES:
        keys: set[str] = set()
        strings: set[str] = set()
        outputs = list((tmp_path / path.stem).glob("stacks/*/cdk.tf.json"))
        assert outputs, f"{path.name}: no stack synthesized"
        bodies: dict[str, list[dict]] = {}
        for out in outputs:
            data = json.loads(out.read_text())
            json_keys(data, keys, strings)
            constructs(data, bodies)
        bad = sorted({m for text in strings for m in LEAKED_TOKEN.findall(text)})
        if bad:
            leaked[path.name] = bad
        code = path.read_text()
        missing = {k for k in dict_keys(code) if not reached(k, keys, strings)}
        missing |= lost_by_construct(code, bodies)
        missing = sorted(missing)
        if missing:
            lost[path.name] = missing
    assert not leaked, f"tokens used as Python values (use Token.as_string): {leaked}"
    assert not lost, f"dict keys that did not reach the synthesized JSON: {lost}"
