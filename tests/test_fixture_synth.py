"""Real synth of the fixtures' expected outputs (slow: one jsii process, ~20 s for all).

Every fixture whose expected output is a whole stack (a ``TerraformStack`` subclass taking
``(scope, id)``) and that leaves no finding is synthesized, and every key of every dict literal
in its *input* must reach the synthesized JSON: the struct conversions may rename a key to
its field, but may never lose one (jsii silently drops snake_case keys in lists of dicts).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from synth_keys import constructs, dict_keys, json_keys, lost_by_construct, reached

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.parent for p in (ROOT / "fixtures").glob("*/*/expected.py"))

DRIVER = """
import json, runpy, sys, traceback
from cdktf import App, TerraformStack

report = {}
for case, path, outdir in json.loads(sys.argv[1]):
    try:
        namespace = runpy.run_path(path)
        stacks = [v for v in namespace.values()
                  if isinstance(v, type) and issubclass(v, TerraformStack) and v is not TerraformStack]
        app = App(outdir=outdir, skip_validation=True)  # some fixtures omit the provider
        for number, stack in enumerate(stacks):
            stack(app, f"stack{number}")
        app.synth()
        report[case] = "ok"
    except Exception:
        report[case] = traceback.format_exc()[-2000:]
print(json.dumps(report))
"""


def _synthesizable(case: Path) -> bool:
    record = json.loads((case / "expected.json").read_text())
    if record["findings"]:
        return False
    options = case / "options.json"
    if options.is_file() and json.loads(options.read_text()).get("generated_bindings"):
        return False  # imports the bindings ``cdktf get`` generates, which are not here
    if options.is_file() and json.loads(options.read_text()).get("target"):
        return False  # another target (cdktn): its packages are not installed for the tests
    tree = ast.parse((case / "expected.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "TerraformStack" for b in node.bases):
            init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
            return init is not None and len(init.args.args) == 3
    return False


@pytest.mark.slow
def test_expected_outputs_synthesize_and_keep_every_key(tmp_path):
    if shutil.which("node") is None:
        pytest.skip("node is needed for a real synth")
    cases = [c for c in CASES if _synthesizable(c)]
    assert len(cases) >= 15, [c.name for c in cases]
    jobs = []
    for case in cases:
        name = f"{case.parent.name}/{case.name}"
        workdir = tmp_path / name.replace("/", "__")
        (workdir / "lambda").mkdir(parents=True)
        (workdir / "lambda" / "processor.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
        shutil.copy(case / "expected.py", workdir / "stack.py")
        jobs.append((name, str(workdir / "stack.py"), str(workdir / "out")))
    env = {**os.environ, "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"}
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(jobs)], capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    failed = {case: error for case, error in report.items() if error != "ok"}
    assert not failed, "\n\n".join(f"{case}:\n{error}" for case, error in failed.items())

    lost = {}
    for (name, _, outdir), case in zip(jobs, cases):
        keys: set[str] = set()
        strings: set[str] = set()
        bodies: dict[str, list[dict]] = {}
        for out in Path(outdir).glob("stacks/*/cdk.tf.json"):
            data = json.loads(out.read_text())
            json_keys(data, keys, strings)
            constructs(data, bodies)
        # every key of the input reaches the JSON (renamed to its field, or as written), and
        # construct by construct in what the repair wrote
        missing = {k for k in dict_keys((case / "input.py").read_text()) if not reached(k, keys, strings)}
        missing |= lost_by_construct((case / "expected.py").read_text(), bodies)
        if missing:
            lost[name] = sorted(missing)
    assert not lost, f"dict keys that did not reach the synthesized JSON: {lost}"
