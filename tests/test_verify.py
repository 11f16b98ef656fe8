"""`cdktf-fix verify`: units, markdown materialization, entries, error classes, and one real
synth run (slow) covering ok, error, crash, restart, markdown, module purging and timeout."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdktf_fix.cli import app
from cdktf_fix.verify import (
    FALLBACK_CLASS,
    GENERATED_ENTRY,
    STATUSES,
    NoEntry,
    Unit,
    VerifyResult,
    compare,
    discover_units,
    failure_class,
    find_entry,
    markdown_files,
    materialize,
    one_line_error,
    place_imported_modules,
    safe_relative_name,
    verify_units,
    write_files,
)
from cdktf_fix.verify.responses import markdown_assets, markdown_files_and_lines

STACK = '''from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class {cls}(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        S3Bucket(self, "bucket", {kwargs})
'''
ENTRY = '\napp = App()\n{cls}(app, "{stack}")\napp.synth()\n'


def fence(code: str, language: str = "python") -> str:
    return f"```{language}\n{code}```\n"


# -- discovery ---------------------------------------------------------------------------


def test_discover_units_in_a_batch_folder(tmp_path):
    (tmp_path / "Pr1" / "lib").mkdir(parents=True)
    (tmp_path / "Pr1" / "lib" / "MODEL_RESPONSE.md").write_text("# x\n" + fence("print(1)\n"))
    (tmp_path / "Pr1" / "lib" / "PROMPT.md").write_text("no code here\n```bash\nls\n```\n")
    (tmp_path / "Pr2").mkdir()
    (tmp_path / "Pr2" / "cdktf.json").write_text("{}")
    (tmp_path / "Pr2" / "lib").mkdir()
    (tmp_path / "Pr2" / "lib" / "RESPONSE.md").write_text(fence("print(2)\n"))  # inside a project: part of it
    (tmp_path / "Pr3").mkdir()
    (tmp_path / "Pr3" / "main.py").write_text("print(3)\n")
    for skipped in (".hidden", "node_modules", "cdktf.out", "venv"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "R.md").write_text(fence("print(4)\n"))
    units = discover_units(tmp_path)
    assert [(u.name, u.kind) for u in units] == [("Pr1/lib/MODEL_RESPONSE.md", "markdown"), ("Pr2", "project"), ("Pr3", "project")]


def test_discover_single_file_and_project(tmp_path):
    (tmp_path / "stack.py").write_text("x = 1\n")
    (tmp_path / "answer.md").write_text(fence("x = 1\n"))
    assert discover_units(tmp_path / "stack.py") == [Unit("stack.py", tmp_path / "stack.py", "file")]
    assert discover_units(tmp_path / "answer.md")[0].kind == "markdown"
    assert [u.kind for u in discover_units(tmp_path)] == ["project"]  # top-level *.py: a project
    with pytest.raises(FileNotFoundError):
        discover_units(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError):
        discover_units(tmp_path / "notes.txt")


# -- markdown materialization ------------------------------------------------------------


def test_markdown_names_from_headings_bold_lines_and_comments():
    text = "\n".join([
        "Intro text.",
        "## TapStack.py", "", fence("a = 1\n"),
        "### Main Application Entry Point (app.py)", fence("b = 1\n"),
        "### `config/__init__.py`", fence("c = 1\n"),
        "**main.py**", fence("d = 1\n"),
        "File: lib/tap_stack.py", "", fence("e = 1\n"),
        "## Networking", fence("# stacks/vpc.py\nf = 1\n"),
        "## Storage", fence("# File: stacks/s3.py\ng = 1\n"),
        "## lib/**init**.py", fence("h = 1\n"),
        "Modify the timeout in `tap_stack.py`:", fence("# In tap_stack.py, set the timeout\ni = 1\n"),
    ])
    files = markdown_files(text)
    assert list(files) == [
        "TapStack.py", "app.py", "config/__init__.py", "main.py", "lib/tap_stack.py",
        "stacks/vpc.py", "stacks/s3.py", "lib/__init__.py", "block_9.py",
    ]
    assert files["lib/tap_stack.py"] == "e = 1\n"


def test_markdown_name_only_from_prose_since_the_previous_block():
    text = "## main.py\n" + fence("a = 1\n") + "Then this:\n" + fence("b = 1\n")
    assert list(markdown_files(text)) == ["main.py", "block_2.py"]


def test_lone_unnamed_block_with_app_is_main():
    assert list(markdown_files("Here:\n" + fence("from cdktf import App\napp = App()\n"))) == ["main.py"]
    assert list(markdown_files("Here:\n" + fence("x = 1\n"))) == ["block_1.py"]


def test_later_block_of_the_same_name_wins():
    text = "## lib/stack.py\n" + fence("old = 1\n") + "## lib/stack.py (fixed)\n" + fence("new = 1\n")
    assert markdown_files(text) == {"lib/stack.py": "new = 1\n"}


@pytest.mark.parametrize("raw", ["../../etc/x.py", "/abs.py", "C:\\x.py", "a/../../b.py", "~/x.py", "`../up.py`"])
def test_unsafe_names_are_refused_and_fall_back(raw, tmp_path):
    assert safe_relative_name(raw) is None
    files = markdown_files(f"## {raw}\n" + fence("x = 1\n") + fence(f"# {raw}\ny = 1\n"))
    assert list(files) == ["block_1.py", "block_2.py"]
    folder = tmp_path / "sample"
    folder.mkdir()
    write_files(folder, files)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to(folder.resolve()) for p in written)


def test_safe_names_are_normalized_and_writes_stay_inside(tmp_path):
    assert safe_relative_name("`lib\\stacks\\vpc.py`") == "lib/stacks/vpc.py"
    assert safe_relative_name("./a//b.py") == "a/b.py"
    with pytest.raises(ValueError):
        write_files(tmp_path, {"../escape.py": "x = 1\n"})
    assert not (tmp_path.parent / "escape.py").exists()


def test_imported_module_is_also_placed_where_it_is_imported_from():
    files = {"tap.py": "from lib.tap_stack import TapStack\nimport json.decoder\n", "tap_stack.py": "class TapStack: ...\n"}
    placed = place_imported_modules(files)
    assert placed["lib/tap_stack.py"] == files["tap_stack.py"] and "json/decoder.py" not in placed


# -- markdown materialization: the other files a response names (assets) ----------------

HANDLER_JS = "exports.handler = async () => ({ statusCode: 200 });\n"
PACKAGE_JSON = '{\n  "name": "handler",\n  "version": "1.0.0"\n}\n'


def test_named_blocks_of_other_languages_are_written_at_their_path(tmp_path):
    text = "\n".join([
        "# Serverless stack", "",
        "## File: lib/tap_stack.py", fence("from cdktf import App\napp = App()\napp.synth()\n"),
        "## File: lib/lambda/index.js", "", fence(HANDLER_JS, "javascript"),
        "## File: lib/lambda/package.json", fence(PACKAGE_JSON, "json"),
        "**config/app.yaml**", fence("a: 1\n", "yaml"),
        "`scripts/run.sh`", fence("echo hi\n", ""),
        "Then a handler named by its first line:", fence("// lib/other/handler.js\nexports.x = 1;\n", "js"),
        "And a script:", fence("\n# tools/setup.sh\nset -e\n", "bash"),
        "1. In a list, with CRLF:", "",
        "   **conf/list.json**", "",
        "   ```json\r\n   {\r\n     \"k\": 1\r\n   }\r\n   ```",
    ])
    assets = markdown_assets(text)
    assert assets == {
        "lib/lambda/index.js": HANDLER_JS,
        "lib/lambda/package.json": PACKAGE_JSON,
        "config/app.yaml": "a: 1\n",
        "scripts/run.sh": "echo hi\n",
        "lib/other/handler.js": "// lib/other/handler.js\nexports.x = 1;\n",
        "tools/setup.sh": "\n# tools/setup.sh\nset -e\n",
        "conf/list.json": '{\r\n  "k": 1\r\n}\r\n',  # list indentation off, line endings kept
    }
    assert list(markdown_files(text)) == ["lib/tap_stack.py"]  # Python files: as before
    response = tmp_path / "RESPONSE.md"
    response.write_bytes(text.encode())
    out = tmp_path / "out"
    out.mkdir()
    assert materialize(Unit("RESPONSE.md", response, "markdown"), out) == "lib/tap_stack.py"
    written = {p.relative_to(out).as_posix(): p.read_bytes().decode() for p in out.rglob("*") if p.is_file()}
    # materialize reads the response as text (universal newlines), for Python blocks and assets alike
    assert written == {"lib/tap_stack.py": "from cdktf import App\napp = App()\napp.synth()\n", **assets, "conf/list.json": '{\n  "k": 1\n}\n'}


def test_unnamed_blocks_of_other_languages_are_not_written():
    text = "\n".join([
        "## lib/tap_stack.py", fence("x = 1\n"),
        "Run it:", fence("cdktf synth\n", "bash"),  # the heading named the Python block before it
        "**lib/lambda/index.js** is below, after the layout.", "",
        "### File structure", fence("lib/\n  tap_stack.py\n  lambda/index.js\n", ""),  # the heading names nothing
        "Output:", fence("# not-a-name\nStacks: tap\n", "text"),
        "A comment of the wrong language:", fence("# lib/x.js\n", "javascript"),
        "## Version 1.2 notes", fence("v1.2\n", "txt"),  # no extension starts with a digit
        "## Dockerfile", fence("FROM python:3.12\n", "dockerfile"),  # no extension
    ])
    assert markdown_assets(text) == {}


def test_a_file_of_another_language_never_replaces_a_python_file(tmp_path):
    text = "\n".join([
        "## lib/stack.py", fence("old stack (not Python)\n", "text"),
        "## lib/stack.py", fence("class Stack: ...\n"),
        "## lib/stack.py", fence("newer, still not Python\n", ""),
        "## main.py", fence("{}\n", "json"),
        "Here:", fence("from cdktf import App\nfrom lib.stack import Stack\napp = App()\napp.synth()\n"),
        "## pkg.d", fence("{}\n", "json"),  # a file where pkg.d/mod.py needs a folder
        "## lib/stack.py/notes.md", fence("under a file\n", "markdown"),
        "## pkg.d/mod.py", fence("y = 1\n"),
        "## lib/ok.json", fence("[]\n", "json"),
    ])
    files = markdown_files(text)
    assert files == {
        "lib/stack.py": "class Stack: ...\n", "main.py": "from cdktf import App\nfrom lib.stack import Stack\napp = App()\napp.synth()\n",
        "pkg.d/mod.py": "y = 1\n",
    }
    assert markdown_assets(text, place_imported_modules(files)) == {"lib/ok.json": "[]\n"}
    response = tmp_path / "R.md"
    response.write_text(text)
    out = tmp_path / "out"
    out.mkdir()
    assert materialize(Unit("R.md", response, "markdown"), out) == "main.py"
    assert (out / "lib" / "stack.py").read_text() == "class Stack: ...\n" and (out / "main.py").read_text().startswith("from cdktf")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["lib/ok.json", "lib/stack.py", "main.py", "pkg.d/mod.py"]


@pytest.mark.parametrize("raw", ["../x.js", "/etc/x", "/etc/x.conf", "a/../../b.js", "~/x.js", "C:\\x.js", "`../up.json`", "lib/a:b.js", ".env"])
def test_unsafe_names_of_other_files_are_refused(raw, tmp_path):
    assert safe_relative_name(raw, python=False) is None
    text = f"## {raw}\n" + fence("a = 1;\n", "js") + "Also:\n" + fence(f"// {raw}\nb = 1;\n", "js") + f"File: {raw}\n" + fence("c\n", "")
    assert markdown_assets(text) == {}
    folder = tmp_path / "sample"
    folder.mkdir()
    with pytest.raises(ValueError):
        write_files(folder, {"../x.js": "x"})
    assert not any(tmp_path.rglob("x.js"))


def test_other_files_under_folders_a_project_copy_leaves_out_are_not_written():
    text = "".join(f"## {name}\n" + fence("{}\n", "json") for name in (
        "cdktf.out/stacks/tap/cdk.tf.json", ".github/ci.yml", "lib/node_modules/x/index.js", "lib/ok.json",
    ))
    assert markdown_assets(text) == {"lib/ok.json": "{}\n"}  # a synthesized stack in the response is no synth


def test_safe_names_of_other_files_need_an_extension_and_python_names_stay_py():
    assert safe_relative_name("lib/lambda/index.js") is None  # the Python rule is unchanged
    assert safe_relative_name("lib/lambda/index.js", python=False) == "lib/lambda/index.js"
    assert safe_relative_name("`./lib//package.json`", python=False) == "lib/package.json"
    assert safe_relative_name(".eslintrc.json", python=False) == ".eslintrc.json"
    for raw in ("Dockerfile", "lib/", "lib/lambda", "v1.2", "x."):
        assert safe_relative_name(raw, python=False) is None, raw


def test_a_python_only_response_gives_the_same_files_as_before(tmp_path):
    text = "\n".join([
        "## lib/tap_stack.py", fence("from cdktf import TerraformStack\nclass TapStack(TerraformStack): ...\n"),
        "```bash\ncdktf synth\n```",
        "### Main entry (tap.py)", fence("from cdktf import App\nfrom lib.tap_stack import TapStack\napp = App()\napp.synth()\n"),
        "Unnamed:", fence("x = 1\n"),
    ])
    files, lines = markdown_files_and_lines(text)
    assert (list(files), lines) == (["lib/tap_stack.py", "tap.py", "block_3.py"], {"lib/tap_stack.py": 3, "tap.py": 12, "block_3.py": 20})
    assert markdown_assets(text, files) == {}
    response = tmp_path / "R.md"
    response.write_text(text)
    out = tmp_path / "out"
    out.mkdir()
    assert materialize(Unit("R.md", response, "markdown"), out) == "tap.py"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(place_imported_modules(files))


# -- entries -----------------------------------------------------------------------------


def test_entry_preference_and_main_function(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "run.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")
    (tmp_path / "tap.py").write_text(
        "from cdktf import App\n\ndef main():\n    app = App()\n    app.synth()\n\nif __name__ == '__main__':\n    main()\n"
    )
    (tmp_path / "helper.py").write_text("def build():\n    from cdktf import App\n    App().synth()\n")  # never called
    assert find_entry(tmp_path) == "tap.py"
    (tmp_path / "tap.py").unlink()
    assert find_entry(tmp_path) == "lib/run.py"


def test_entry_named_by_cdktf_json_comes_first(tmp_path):
    (tmp_path / "main.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")
    (tmp_path / "run_me.py").write_text("print('custom')\n")
    (tmp_path / "cdktf.json").write_text('{"language": "python", "app": "pipenv run python run_me.py"}')
    assert find_entry(tmp_path) == "run_me.py"
    (tmp_path / "cdktf.json").write_text('{"app": "python ../outside.py"}')
    assert find_entry(tmp_path) == "main.py"


def test_generated_entry_instantiates_every_stack(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tap_stack.py").write_text(
        "import cdktf\nclass TapStack(cdktf.TerraformStack):\n    def __init__(self, scope, id, **kwargs):\n        super().__init__(scope, id)\n"
    )
    (tmp_path / "other.py").write_text("from cdktf import TerraformStack\nclass NetworkStack(TerraformStack):\n    pass\n")
    assert find_entry(tmp_path) == GENERATED_ENTRY
    entry = (tmp_path / GENERATED_ENTRY).read_text()
    assert "    (importlib.import_module('lib.tap_stack').TapStack, 'tap_stack'),\n" in entry
    assert "    (importlib.import_module('other').NetworkStack, 'network_stack'),\n" in entry
    assert "from cdktf_fix.verify.arguments import build_stacks" in entry
    assert entry.rstrip().endswith("], os.path.dirname(os.path.abspath(__file__)))\napp.synth()")
    compile(entry, GENERATED_ENTRY, "exec")


def test_stacks_that_take_arguments_get_a_generated_entry_too(tmp_path):
    """Their arguments are made up in the synth worker (cdktf_fix.verify.arguments); only a
    sample without any stack is no-entry here."""
    (tmp_path / "stack.py").write_text(
        "from cdktf import TerraformStack\nclass TapStack(TerraformStack):\n"
        "    def __init__(self, scope, id, environment_suffix, *, region, tags=None):\n        pass\n"
    )
    assert find_entry(tmp_path) == GENERATED_ENTRY
    assert "(importlib.import_module('stack').TapStack, 'tap_stack')" in (tmp_path / GENERATED_ENTRY).read_text()
    (tmp_path / GENERATED_ENTRY).unlink()
    (tmp_path / "stack.py").write_text("print('no stack')\n")
    with pytest.raises(NoEntry, match="no TerraformStack subclass"):
        find_entry(tmp_path)


def test_a_stack_another_stack_instantiates_is_left_to_it(tmp_path):
    (tmp_path / "stacks.py").write_text(
        "from cdktf import TerraformStack\n"
        "class VpcStack(TerraformStack):\n    def __init__(self, scope, id, cidr: str):\n        super().__init__(scope, id)\n"
        "class TapStack(TerraformStack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
        "        VpcStack(scope, 'vpc', cidr='10.1.0.0/16')\n"
        "class AuditStack(TerraformStack):\n    pass\n"
    )
    find_entry(tmp_path)
    entry = (tmp_path / GENERATED_ENTRY).read_text()
    assert "TapStack, 'tap_stack')" in entry and "AuditStack, 'audit_stack')" in entry and "VpcStack" not in entry
    (tmp_path / GENERATED_ENTRY).unlink()
    (tmp_path / "stacks.py").write_text(  # each instantiates the other: both are instantiated
        "from cdktf import TerraformStack\n"
        "class AlphaStack(TerraformStack):\n    def make(self):\n        BetaStack(self, 'b')\n"
        "class BetaStack(TerraformStack):\n    def make(self):\n        AlphaStack(self, 'a')\n"
    )
    find_entry(tmp_path)
    entry = (tmp_path / GENERATED_ENTRY).read_text()
    assert "AlphaStack, 'alpha_stack')" in entry and "BetaStack, 'beta_stack')" in entry


def test_materialize_never_writes_into_the_source(tmp_path):
    source = tmp_path / "project"
    (source / "cdktf.out").mkdir(parents=True)
    (source / "cdktf.out" / "big.json").write_text("{}")
    (source / "lambda").mkdir()
    (source / "lambda" / "handler.py").write_text("def handler(e, c): ...\n")
    (source / "main.py").write_text("from cdktf import App\napp = App()\napp.synth()\n")
    before = sorted(p.relative_to(source) for p in source.rglob("*"))
    folder = tmp_path / "copy"
    folder.mkdir()
    assert materialize(Unit("project", source, "project"), folder) == "main.py"
    assert (folder / "lambda" / "handler.py").exists() and not (folder / "cdktf.out").exists()
    assert sorted(p.relative_to(source) for p in source.rglob("*")) == before


# -- errors ------------------------------------------------------------------------------

# Real messages, produced with cdktf 0.21.0 and cdktf-cdktf-provider-aws 21.22.1.
SG_STRING = """Passed to parameter config of new @cdktf/provider-aws.securityGroup.SecurityGroup: Unable to deserialize value as @cdktf/provider-aws.securityGroup.SecurityGroupConfig | undefined
├── 🛑 Failing value is an object
│      { '$jsii.struct': [Object] }
╰── 🔍 Failure reason(s):
    ╰─ Key 'ingress': Unable to deserialize value as cdktf.IResolvable | array<@cdktf/provider-aws.securityGroup.SecurityGroupIngress> | undefined
        ├── 🛑 Failing value is a string
        │      'oops'
        ╰── 🔍 Failure reason(s):
            ├─ [as array<@cdktf/provider-aws.securityGroup.SecurityGroupIngress>] Value is not an array
            ╰─ [as cdktf.IResolvable] Value does not have the "$jsii.byref" key"""
RULE_DICT = """Passed to parameter config of new @cdktf/provider-aws.s3BucketLifecycleConfiguration.S3BucketLifecycleConfiguration: Unable to deserialize value as @cdktf/provider-aws.s3BucketLifecycleConfiguration.S3BucketLifecycleConfigurationConfig
├── 🛑 Failing value is an object
│      { '$jsii.struct': [Object] }
╰── 🔍 Failure reason(s):
    ╰─ Key 'rule': Unable to deserialize value as cdktf.IResolvable | array<@cdktf/provider-aws.s3BucketLifecycleConfiguration.S3BucketLifecycleConfigurationRule> | undefined
        ├── 🛑 Failing value is an object
        │      { '$jsii.map': [Object] }
        ╰── 🔍 Failure reason(s):
            ├─ [as array<@cdktf/provider-aws.s3BucketLifecycleConfiguration.S3BucketLifecycleConfigurationRule>] Value is not an array
            ╰─ [as cdktf.IResolvable] Value does not have the "$jsii.byref" key"""
FORCE_DESTROY_STRING = """Passed to parameter config of new @cdktf/provider-aws.s3Bucket.S3Bucket: Unable to deserialize value as @cdktf/provider-aws.s3Bucket.S3BucketConfig | undefined
├── 🛑 Failing value is an object
│      { '$jsii.struct': [Object] }
╰── 🔍 Failure reason(s):
    ╰─ Key 'forceDestroy': Unable to deserialize value as boolean | cdktf.IResolvable | undefined
        ├── 🛑 Failing value is a string
        │      'true'
        ╰── 🔍 Failure reason(s):
            ├─ [as boolean] Value is not a boolean
            ╰─ [as cdktf.IResolvable] Value does not have the "$jsii.byref" key"""
SNAKE_KEYS_IN_LIST = """Passed to parameter config of new @cdktf/provider-aws.dynamodbTable.DynamodbTable: Unable to deserialize value as @cdktf/provider-aws.dynamodbTable.DynamodbTableConfig
├── 🛑 Failing value is an object
│      { '$jsii.struct': [Object] }
╰── 🔍 Failure reason(s):
    ╰─ Key 'globalSecondaryIndex': Unable to deserialize value as cdktf.IResolvable | array<@cdktf/provider-aws.dynamodbTable.DynamodbTableGlobalSecondaryIndex> | undefined
        ├── 🛑 Failing value is an array
        │      [ [Object] ]
        ╰── 🔍 Failure reason(s):
            ├─ [as array<@cdktf/provider-aws.dynamodbTable.DynamodbTableGlobalSecondaryIndex>] Index 0: Unable to deserialize value as @cdktf/provider-aws.dynamodbTable.DynamodbTableGlobalSecondaryIndex
                ├── 🛑 Failing value is an object
                │      { '$jsii.map': [Object] }
                ╰── 🔍 Failure reason(s):
                    ╰─ Missing required properties for @cdktf/provider-aws.dynamodbTable.DynamodbTableGlobalSecondaryIndex: 'hashKey', 'projectionType'
            ╰─ [as cdktf.IResolvable] Value does not have the "$jsii.byref" key"""
VALIDATION = """Error: Validation failed with the following errors:
  [noprov] Found resources without a matching provider construct. Please make sure to add provider constructs [e.g. new RandomProvider(...)] to your stack 'noprov' for the following providers: aws

If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.
"""
SITE = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/cdktf_cdktf_provider_aws"

REAL_ERRORS = [
    ("ModuleNotFoundError", "No module named 'cdktf_cdktf_provider_aws.timestream_write_database'", "module-path"),
    ("ModuleNotFoundError", "No module named 'imports'", "module-path"),
    ("ImportError", f"cannot import name 'Vpc' from 'cdktf_cdktf_provider_aws' ({SITE}/__init__.py)", "module-path"),
    ("ImportError", f"cannot import name 'kms' from 'cdktf_cdktf_provider_aws' ({SITE}/__init__.py)", "module-path"),
    ("ImportError", f"cannot import name 'S3BucketVersioning' from 'cdktf_cdktf_provider_aws.s3_bucket_versioning' ({SITE}/s3_bucket_versioning/__init__.py)", "class-name"),
    ("AttributeError", "module 'cdktf_cdktf_provider_aws.s3_bucket' has no attribute 'S3BucketX'", "class-name"),
    ("NameError", "name 'S3Bucket' is not defined", "missing-import"),
    ("TypeError", "S3Bucket.__init__() got an unexpected keyword argument 'buket'", "kwarg-name"),
    ("TypeError", "LambdaFunction.__init__() missing 1 required keyword-only argument: 'role'", "required-arg"),
    ("TypeError", "S3BucketLifecycleConfigurationRule.__init__() missing 1 required keyword-only argument: 'id'", "required-arg"),
    ("TypeError", "SecurityGroupIngress.__init__() takes 1 positional argument but 3 positional arguments (and 1 keyword-only argument) were given", "struct-as-resource"),
    ("TypeError", "type of argument versioning_configuration must be one of (cdktf_cdktf_provider_aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration, Dict[str, Any]); got cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA instead", "struct-class"),
    ("TypeError", "type of argument vpc_config must be one of (cdktf_cdktf_provider_aws.lambda_function.LambdaFunctionVpcConfig, Dict[str, Any], NoneType); got list instead", "block-shape"),
    ("TypeError", "type of argument tags must be one of (Mapping[str, str], NoneType); got list instead", "block-shape"),
    ("TypeError", "type of argument bucket must be one of (str, NoneType); got bool instead", "literal-type"),
    ("TypeError", "type of argument deregistration_delay must be one of (str, NoneType); got int instead", "literal-type"),
    ("TypeError", "type of argument timeout must be one of (int, float, NoneType); got str instead", "literal-type"),
    ("RuntimeError", SG_STRING, "literal-type"),
    ("RuntimeError", RULE_DICT, "block-shape"),
    ("RuntimeError", FORCE_DESTROY_STRING, "literal-type"),
    ("RuntimeError", SNAKE_KEYS_IN_LIST, "nested-block-struct"),
    ("RuntimeError", "TerraformAsset a was created with a relative path 'does/not/exist.zip', but we cannot find the cdktf.json within your current working directory '/tmp/vx'\n\nThe cdktf.json file is needed to establish the base for the relative path (the '.' in './foo/bar').", "terraform-asset"),
    ("RuntimeError", "TerraformAsset a2 expects path to point to a directory. Instead, this file was passed: '/tmp/vx/probe.py'. Please correct the path to point to a directory.", "terraform-asset"),
    ("RuntimeError", "ENOENT: no such file or directory, stat '/nonexistent/lambda.zip'", "terraform-asset"),
    ("TypeError", "AwsProvider.__init__() missing 1 required positional argument: 'id'", "construct-id"),
    ("RuntimeError", "There is already a Construct with name 'current' in Construct [security]", "construct-id"),
    ("RuntimeError", VALIDATION, "missing-provider"),
    ("ModuleNotFoundError", "No module named 'aws_cdk'", "missing-module"),
    ("ModuleNotFoundError", "No module named 'cdktf_cdktf_provider_random'", "missing-module"),
    ("ModuleNotFoundError", "No module named 'lib.config'", "missing-module"),
    ("AttributeError", "type object 'Fn' has no attribute 'terraform_workspace'", "fn-name"),
    # verify's own messages
    ("", "no entry (a file that builds App() and calls synth()) and no TerraformStack subclass", "no-entry"),
    ("", "no entry, and no stack can be built from made-up arguments: TapStack needs vpc: Vpc (a construct)", "no-entry"),
    ("", "no result after 10 s", "timeout"),
    ("", "the synth process died (killed by SIGKILL): Killed", "crash"),
    ("", "the jsii kernel (node) died: RuntimeError: Stream closed", "crash"),
    ("", "the synth worker did not start (no ready signal after 0.05 s)", "crash"),
    ("", "the synth worker's log could not be made ([Errno 28] No space left on device)", "crash"),
    ("", "syntax error in lib/tap_stack.py at line 8: '(' was never closed (line 13 of RESPONSE.md)", "syntax-error"),
    ("", "main.py does not parse: source code string cannot contain null bytes", "syntax-error"),
    ("", "no stack was synthesized (nothing called app.synth(), or the app has no stack)", "no-stack"),
    # no pattern: the fallback
    ("IndexError", "list index out of range", "unclassified"),
    ("AttributeError", "'ApiGatewayRestApi' object has no attribute 'invoke_url'", "unclassified"),
    ("RuntimeError", "Error: Found an encoded list token string in a scalar string context.", "unclassified"),
]


@pytest.mark.parametrize("kind, message, codemod", REAL_ERRORS, ids=[f"{i}-{c}" for i, (_, _, c) in enumerate(REAL_ERRORS)])
def test_real_errors_map_to_their_failure_class(kind, message, codemod):
    error = one_line_error(kind, message)
    assert "\n" not in error
    assert failure_class(error) == codemod


def test_every_failure_has_a_class_and_every_class_a_reason():
    data = json.loads((Path(__file__).resolve().parent.parent / "cdktf_fix" / "data" / "synth_errors.json").read_text())
    assert all(len(entry) == 3 and entry[2].strip() for entry in data["patterns"])
    assert data["fallback"][0] == FALLBACK_CLASS == "unclassified" and data["fallback"][1].strip()
    assert failure_class(None) is None and failure_class("") is None
    assert failure_class("SomethingNew: never seen") == FALLBACK_CLASS
    for status in STATUSES[1:]:  # a failure made without a class gets one
        assert VerifyResult("x", status, "IndexError: list index out of range").failure_class == FALLBACK_CLASS
        assert VerifyResult("x", status).failure_class == FALLBACK_CLASS
    assert VerifyResult("x", "no-entry", "no entry (a file that builds App() ...)").failure_class == "no-entry"
    assert VerifyResult("x", "error", "boom", "kwarg-name").failure_class == "kwarg-name"  # one given is kept
    assert VerifyResult("x", "ok").failure_class is None


def test_jsii_trees_are_condensed_to_where_and_why():
    assert one_line_error("RuntimeError", SNAKE_KEYS_IN_LIST) == (
        "RuntimeError: Unable to deserialize DynamodbTable: key globalSecondaryIndex[0]: failing value is an object: "
        "Missing required properties for DynamodbTableGlobalSecondaryIndex: 'hashKey', 'projectionType'"
    )
    assert one_line_error("RuntimeError", SG_STRING).endswith("key ingress: failing value is a string: Value is not an array")
    assert one_line_error("RuntimeError", VALIDATION).startswith("RuntimeError: Error: Validation failed with the following errors: [noprov] Found")


def test_compare_pairs_by_name():
    before = [VerifyResult("a", "error"), VerifyResult("b", "ok"), VerifyResult("gone", "ok")]
    after = [VerifyResult("a", "ok"), VerifyResult("b", "crash"), VerifyResult("new", "ok")]
    pairs = compare(before, after)
    assert [(p.name, p.fixed, p.broken) for p in pairs] == [("a", True, False), ("b", False, True), ("new", False, False), ("gone", False, False)]


def test_cli_verify_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'missing'}: no such file or directory"


def test_cli_verify_usage_errors_are_one_line(tmp_path):
    for args in (["verify", str(tmp_path)], ["verify", str(tmp_path), "--jobs", "0"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output


def test_cli_verify_help_says_it_runs_the_code():
    result = CliRunner().invoke(app, ["verify", "--help"])
    text = " ".join(re.sub(r"-\n\s*", "-", result.output).split())  # help wraps lines at hyphens too
    assert "RUNS the code it checks" in text and "No other cdktf-fix command runs user code" in text


# -- real synth (slow): one verify_units call, two jsii starts --------------------------


@pytest.fixture(scope="module")
def synth_run(tmp_path_factory):
    if shutil.which("node") is None:
        pytest.skip("node is needed for a real synth")
    root = tmp_path_factory.mktemp("units")

    def project(name: str, files: dict[str, str]) -> Unit:
        folder = root / name
        for relative, code in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(code)
        return Unit(name, folder, "project")

    good = STACK.format(cls="GoodStack", kwargs='bucket_prefix="good-"')
    markdown = root / "RESPONSE.md"
    markdown.write_text(
        "## main.py\n" + fence('from cdktf import App\nfrom stacks.bucket_stack import BucketStack\n' + ENTRY.format(cls="BucketStack", stack="bucket"))
        + "And the stack, **stacks/bucket_stack.py**:\n\n**stacks/bucket_stack.py**\n" + fence(STACK.format(cls="BucketStack", kwargs=""))
    )
    asset_stack = (
        "import os\nfrom cdktf import App, AssetType, TerraformAsset, TerraformOutput, TerraformStack\n"
        "from cdktf_cdktf_provider_aws.provider import AwsProvider\n\n\n"
        "class AssetStack(TerraformStack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
        '        AwsProvider(self, "aws", region="us-east-1")\n'
        '        asset = TerraformAsset(self, "code", path=os.path.join(os.path.dirname(__file__), "lambda"), type=AssetType.ARCHIVE)\n'
        '        TerraformOutput(self, "zip", value=asset.path)\n'
        + ENTRY.format(cls="AssetStack", stack="asset")
    )
    shipped = "## File: lib/main.py\n" + fence(asset_stack) + "## File: lib/lambda/index.js\n\n" + fence("exports.handler = async () => 1;\n", "javascript")
    (root / "ASSET.md").write_text(shipped)  # synthesizes only because lib/lambda/index.js is written
    (root / "ASSET-UNNAMED.md").write_text(shipped.replace("## File: lib/lambda/index.js", "The handler:"))
    units = [
        project("good", {"main.py": good + ENTRY.format(cls="GoodStack", stack="good")}),
        project("wrong-keyword", {"main.py": STACK.format(cls="BadStack", kwargs='buket="x"') + ENTRY.format(cls="BadStack", stack="bad")}),
        project("dies", {"main.py": "import os\nos._exit(3)\n" + good + ENTRY.format(cls="GoodStack", stack="never")}),
        project("after-crash", {"main.py": good + ENTRY.format(cls="GoodStack", stack="after")}),
        Unit("RESPONSE.md", markdown, "markdown"),
        Unit("ASSET.md", root / "ASSET.md", "markdown"),
        Unit("ASSET-UNNAMED.md", root / "ASSET-UNNAMED.md", "markdown"),
        project("same-1", {"stack.py": STACK.format(cls="FirstStack", kwargs=""), "tap.py": "from cdktf import App\nfrom stack import FirstStack\n" + ENTRY.format(cls="FirstStack", stack="first")}),
        project("same-2", {"stack.py": STACK.format(cls="SecondStack", kwargs=""), "tap.py": "from cdktf import App\nfrom stack import SecondStack\n" + ENTRY.format(cls="SecondStack", stack="second")}),
        project("loops", {"main.py": "from cdktf import App\nwhile True:\n    pass\napp = App()\napp.synth()\n"}),
    ]
    seen = []
    timeline = []  # results and events, as they came
    results = verify_units(
        units, jobs=1, timeout=10, on_result=lambda r: (seen.append(r), timeline.append(r.name)), on_event=lambda *e: timeline.append(e)
    )
    return {r.name: r for r in results}, seen, units, timeline


@pytest.mark.slow
def test_synth_ok_error_and_markdown(synth_run):
    results, seen, units, _ = synth_run
    assert len(seen) == len(units) and [r.name for r in seen] == [u.name for u in units]  # jobs=1: in order
    assert (results["good"].status, results["good"].stacks) == ("ok", ["good"])
    bad = results["wrong-keyword"]
    assert (bad.status, bad.failure_class) == ("error", "kwarg-name")
    assert bad.error == "TypeError: S3Bucket.__init__() got an unexpected keyword argument 'buket'"
    assert "Traceback" in bad.detail
    assert (results["RESPONSE.md"].status, results["RESPONSE.md"].stacks) == ("ok", ["bucket"])


@pytest.mark.slow
def test_a_response_that_ships_its_asset_folder_synthesizes(synth_run):
    results = synth_run[0]
    assert (results["ASSET.md"].status, results["ASSET.md"].stacks) == ("ok", ["asset"]), results["ASSET.md"]
    missing = results["ASSET-UNNAMED.md"]  # the same handler, in an unnamed block: not written
    assert (missing.status, missing.failure_class) == ("error", "terraform-asset") and "ENOENT" in missing.error, missing


@pytest.mark.slow
def test_crash_restarts_the_worker_and_modules_are_purged(synth_run):
    results, _, _, _ = synth_run
    assert results["dies"].status == "crash" and "exit code 3" in results["dies"].error
    assert (results["after-crash"].status, results["after-crash"].stacks) == ("ok", ["after"])
    # the same module name `stack` in two samples: the second must not see the first's module
    assert (results["same-1"].status, results["same-1"].stacks) == ("ok", ["first"])
    assert (results["same-2"].status, results["same-2"].stacks) == ("ok", ["second"])


@pytest.mark.slow
def test_a_sample_that_never_ends_times_out(synth_run):
    results, _, _, _ = synth_run
    assert results["loops"].status == "timeout"
    assert 10 <= results["loops"].seconds < 20


@pytest.mark.slow
def test_worker_starts_are_announced(synth_run):
    timeline = [entry if isinstance(entry, str) else (entry[0], re.sub(r"\d+\.\d s", "N s", entry[1])) for entry in synth_run[3]]
    assert timeline == [
        ("worker-starting", "starting the synth worker (loading the AWS provider, ~20 s)..."),
        ("worker-ready", "synth worker ready (loaded in N s)"),
        "good", "wrong-keyword", "dies",
        ("worker-starting", "starting a new synth worker (the last one crashed; loading the AWS provider, ~20 s)..."),
        ("worker-ready", "synth worker ready (loaded in N s)"),
        "after-crash", "RESPONSE.md", "ASSET.md", "ASSET-UNNAMED.md", "same-1", "same-2", "loops",
    ]
