"""The engine: one parse, fixed point, import planning, safety, byte-identical text elsewhere."""

from __future__ import annotations

import re

import libcst as cst

from cdktf_fix import repair_source
from cdktf_fix.engine.options import Options
from cdktf_fix.engine import Engine
from cdktf_fix.engine.result import Status
from codemods.base import Codemod

SEED = """\
from constructs import Construct
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning, S3BucketVersioningVersioningConfiguration as Config


def versioned(scope: Construct, bucket: str):
    return S3BucketVersioning(scope, "v", bucket=bucket, versioning_configuration=Config(status="Enabled"))
"""


def test_public_api_repairs_a_string():
    result = repair_source(SEED)
    assert result.status is Status.CHANGED
    assert "S3BucketVersioningA(scope" in result.new_source
    assert [f.codemod for f in result.fixes] == ["class-name"]
    assert result.fixes[0].line == 2


def test_file_without_provider_code_is_not_parsed(engine, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(cst, "parse_module", boom)
    source = "def f(:\n"  # would not even parse
    result = engine.repair(source)
    assert result.status is Status.SKIPPED and result.new_source == source


def test_syntax_error_is_reported_and_left_alone(engine):
    source = "import cdktf\ndef broken(:\n    pass\n"
    result = engine.repair(source)
    assert result.status is Status.ERROR
    assert "syntax error at line" in result.error
    assert result.new_source == source


def test_crlf_and_comments_are_kept(engine):
    source = SEED.replace("from constructs", "# header comment\nfrom constructs").replace("\n", "\r\n")
    result = engine.repair(source)
    assert result.changed
    assert "\r\n" in result.new_source and "\n" not in result.new_source.replace("\r\n", "")
    assert result.new_source.startswith("# header comment\r\n")
    assert result.new_source == re.sub(r"\bS3BucketVersioning\b", "S3BucketVersioningA", source)


def test_text_outside_edits_is_byte_identical(engine):
    source = SEED + "\n\n# trailing   comment  \nx   =  [1,2 ,3]   # odd spacing\n"
    result = engine.repair(source)
    old_lines = source.splitlines(keepends=True)
    new_lines = result.new_source.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    assert changed == [1, 5]  # the import and the one use, nothing else


def test_clean_code_comes_back_identical(engine):
    source = re.sub(r"\bS3BucketVersioning\b", "S3BucketVersioningA", SEED)
    result = engine.repair(source)
    assert result.status is Status.UNCHANGED and result.new_source == source and not result.fixes


def test_local_name_collision_imports_under_the_old_name(engine):
    """The real name is taken in the file: the import keeps the name the code uses, as an alias."""
    source = SEED + "\nS3BucketVersioningA = None\n"
    result = engine.repair(source)
    assert result.new_source == source.replace("import S3BucketVersioning,", "import S3BucketVersioningA as S3BucketVersioning,")
    assert [f.codemod for f in result.fixes if f.applied] == ["class-name"] and not result.findings


def test_unsafe_fix_is_proposed_not_applied(repair):
    source = (
        "from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroupHealthChecks\n"
        "x = LbTargetGroupHealthChecks(path='/', interval_seconds=3)\n"
    )
    default = repair(source)
    assert default.new_source == source
    assert [(f.safety.value, f.applied) for f in default.fixes] == [("unsafe", False)]
    enabled = repair(source, unsafe_fixes=True)
    assert "LbTargetGroupHealthCheck(" in enabled.new_source


def test_select_and_ignore(repair):
    assert repair(SEED, ignore=frozenset({"class-name"})).new_source == SEED
    assert repair(SEED, select=frozenset({"module-path"})).new_source == SEED
    assert repair(SEED, select=frozenset({"class-name"})).changed


def test_generated_bindings_beside_the_project_are_respected(repair):
    source = "from imports.aws import Vpc\nVpc(None, 'v')\n"
    assert repair(source).changed
    assert repair(source, generated_bindings=frozenset({"aws"})).new_source == source


def test_imports_inside_functions_and_future(engine):
    source = (
        '"""Doc."""\n'
        "from __future__ import annotations\n\n\n"
        "def build(scope):\n"
        "    from cdktf_cdktf_provider_aws import Vpc\n"
        "    return Vpc(scope, 'v')\n"
    )
    result = engine.repair(source)
    assert "    from cdktf_cdktf_provider_aws.vpc import Vpc\n" in result.new_source
    assert result.new_source.startswith('"""Doc."""\nfrom __future__ import annotations\n')


def test_missing_import_goes_after_the_last_import(engine):
    source = "import os\nfrom cdktf import TerraformStack\n\n\nclass S(TerraformStack):\n    out = TerraformOutput\n"
    result = engine.repair(source)
    assert result.new_source.startswith("import os\nfrom cdktf import TerraformStack, TerraformOutput\n")


def test_star_import_disables_missing_import(engine):
    source = "from cdktf import *\nTerraformOutput(None, 'x', value=1)\nDataAwsVpc(None, 'v')\n"
    assert engine.repair(source).new_source == source


class _Flip(Codemod):
    """Renames the versioning class to its other spelling every round: never converges."""

    id = "flip"
    summary = why = safety = "test"

    def check(self, ctx):
        from cdktf_fix.engine.result import Safety

        for binding in ctx.imports.live():
            if binding.name in ("S3BucketVersioning", "S3BucketVersioningA"):
                other = "S3BucketVersioningA" if binding.name == "S3BucketVersioning" else "S3BucketVersioning"
                edits = ctx.rename_edits(binding.origin.symbol, other)
                if ctx.fix(self.id, binding.name, other, "flip", Safety.SAFE, edits, at=binding.origin.node):
                    binding.name = binding.local = other


def test_non_convergence_leaves_the_file_alone(schema):
    engine = Engine(schema, Options(max_iterations=3), codemods=[_Flip()])
    result = engine.repair(SEED)
    assert result.status is Status.ERROR and "converge" in result.error
    assert result.new_source == SEED


def test_output_that_does_not_parse_is_dropped(schema, monkeypatch):
    import ast as real_ast

    import cdktf_fix.engine as engine_module

    class FailingAst:
        """``ast`` that parses the input and refuses everything else (the repaired code)."""

        def __getattr__(self, name):
            return getattr(real_ast, name)

        @staticmethod
        def parse(code, *args, **kwargs):
            if code != SEED:
                raise SyntaxError("forced")
            return real_ast.parse(code, *args, **kwargs)

    monkeypatch.setattr(engine_module, "ast", FailingAst())
    result = Engine(schema).repair(SEED)
    assert result.status is Status.ERROR and "does not parse" in result.error
    assert result.new_source == SEED
