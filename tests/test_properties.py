"""Property-based tests of ``Engine.repair`` on generated stacks (strategies: ``cdktf_strategies``).

Each property holds for every generated module, with the default engine and the one that
applies unsafe fixes too:

1. no crash: a status in {unchanged, changed, skipped, error}, ``error`` only for a module
   that does not parse, and then the source comes back as it was;
2. the output parses (libcst, ``ast``, and the compiler's checks after parsing);
3. one run reaches the fixed point: repairing the output again changes nothing, and reports
   exactly the findings and unsafe fixes the first run left;
4. text outside the edits is unchanged: comments, docstrings, unrelated statements, blank
   lines, indentation, line endings; only imports and constructions holding a failure change;
5. clean code comes back byte-identical, with no fix and no finding;
6. the failures the engine fixes safely (A suffix, also behind a module import, flat import,
   a class straight from the package alias, snake_case dicts in a list of blocks) are gone:
   every imported provider name exists where it is imported from, and no dict jsii reads as
   it is keeps a key it would drop.

The runs are derandomized and keep no example database: with the pinned hypothesis
(``constraints.txt``) CI sees the same examples every time, and nothing is written to the
repository.  ``.ci/properties`` keeps hunting: ten times as many examples
(``CDKTF_FIX_PROPERTY_SCALE``), random ones (``CDKTF_FIX_PROPERTY_RANDOM=1``), the newest hypothesis.  The minimal counterexamples the
properties found are at the end, as plain tests.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import tempfile

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdktf_fix.engine.options import Options
from cdktf_fix.engine import Engine
from cdktf_fix.engine.result import Status
from cdktf_fix.schema.model import PROVIDER_PACKAGE
from cdktf_strategies import Stack, clean_stacks, safe_failure_stacks, stacks, truncated_sources

# hypothesis caches what it mines from local modules under ./.hypothesis even without a
# database (read when the first test runs): keep that out of the repository
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "cdktf-fix-hypothesis"))
SCALE = float(os.environ.get("CDKTF_FIX_PROPERTY_SCALE", "1"))
RANDOM = os.environ.get("CDKTF_FIX_PROPERTY_RANDOM") == "1"  # .ci/properties: new examples every run


def examples(n: int) -> settings:
    """Settings of one property: ``n`` examples (times the scale), reproducible (unless the
    hunting job asks for random ones), no database."""
    return settings(
        max_examples=max(1, int(n * SCALE)),
        derandomize=not RANDOM,
        database=None,
        deadline=None,
        print_blob=RANDOM,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


@pytest.fixture(scope="module")
def engines(schema):
    """The default engine and the one that also applies unsafe fixes, built once."""
    return {False: Engine(schema), True: Engine(schema, Options(unsafe_fixes=True))}


def parses(source: str) -> bool:
    try:
        cst.parse_module(source)
    except Exception:
        return False
    return True


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(line == n for line in it) for n in needles)


def applied(result) -> list:
    return [f for f in result.fixes if f.applied]


# 1. no crash ------------------------------------------------------------------------------------
sources = st.one_of(
    stacks().map(lambda s: s.source),
    truncated_sources(),  # cut short: most do not parse
    stacks().map(lambda s: s.source.replace("cdktf", "tfcdk")),  # cannot hold provider code
)


@examples(160)
@given(source=sources, unsafe=st.booleans())
def test_repair_never_crashes(engines, source, unsafe):
    result = engines[unsafe].repair(source)
    assert result.status in {Status.UNCHANGED, Status.CHANGED, Status.SKIPPED, Status.ERROR}
    if "cdktf" not in source:
        assert result.status is Status.SKIPPED and result.new_source == source
    elif not parses(source):
        assert result.status is Status.ERROR and result.error
        assert result.new_source == source and not applied(result)
    else:
        assert result.status is not Status.ERROR, result.error
        assert (result.status is Status.CHANGED) == (result.new_source != source)


# 2. output parses -------------------------------------------------------------------------------
@examples(90)
@given(stack=stacks(), unsafe=st.booleans())
def test_output_parses(engines, stack, unsafe):
    compile(stack.source, "<generated>", "exec")
    result = engines[unsafe].repair(stack.source)
    assert result.status is not Status.ERROR, result.error
    cst.parse_module(result.new_source)
    ast.parse(result.new_source)
    compile(result.new_source, "<repaired>", "exec")  # what the compiler checks after parsing too


# 3. idempotence ---------------------------------------------------------------------------------
@examples(80)
@given(stack=stacks(), unsafe=st.booleans())
def test_repair_is_idempotent(engines, stack, unsafe):
    engine = engines[unsafe]
    once = engine.repair(stack.source)
    twice = engine.repair(once.new_source)
    assert twice.new_source == once.new_source
    assert not applied(twice), applied(twice)
    # the fixed point: checking the output reports exactly what the repair left
    def left(result):
        return sorted((f.codemod, f.message) for f in [*result.findings, *(f for f in result.fixes if not f.applied)])

    assert left(twice) == left(once)


# 4. text outside edits is unchanged -------------------------------------------------------------
def unchanged_runs_kept(stack: Stack, out_lines: list[str]) -> bool:
    """Whether the runs of lines that may not change (every line but the imports and the lines
    of constructions holding a failure) are all in ``out_lines``, each whole, in order, with the
    first and last where they were; what lies between them may change, grow or shrink."""
    runs: list[tuple[bool, list[str]]] = []
    for line in stack.lines:
        if runs and runs[-1][0] == line.mutable:
            runs[-1][1].append(line.text + stack.eol)
        else:
            runs.append((line.mutable, [line.text + stack.eol]))
    fixed = [texts for mutable, texts in runs if not mutable]
    starts_fixed, ends_fixed = not runs[0][0], not runs[-1][0]

    @functools.cache
    def match(k: int, pos: int) -> bool:
        """Can the fixed runs k... be placed, in order, from ``pos`` on?"""
        if k == len(fixed):
            return not ends_fixed or pos == len(out_lines)
        texts = fixed[k]
        candidates = [0] if (k == 0 and starts_fixed) else range(pos, len(out_lines) - len(texts) + 1)
        return any(out_lines[p: p + len(texts)] == texts and match(k + 1, p + len(texts)) for p in candidates)

    return match(0, 0)


@examples(120)
@given(stack=stacks(), unsafe=st.booleans())
def test_text_outside_edits_is_unchanged(engines, stack, unsafe):
    out = engines[unsafe].repair(stack.source).new_source
    eol = stack.eol
    out_lines = out.splitlines(keepends=True)
    # line endings: every line keeps the file's (the last one too, or its absence)
    assert all(line.endswith(eol) for line in out_lines[:-1])
    assert out.endswith(eol) == stack.final_eol
    assert ("\n" not in out.replace("\r\n", "")) if eol == "\r\n" else ("\r" not in out)
    if not stack.final_eol:
        out_lines[-1] += eol  # compare the last line as the others
    # comments, docstrings and unrelated statements come back byte for byte, in order
    filler = [line.text + eol for line in stack.lines if line.filler]
    assert is_subsequence(filler, out_lines)
    # every marker once, in order, also those in trailing comments of edited lines
    positions = [[m.start() for m in re.finditer(re.escape(marker) + r"(?![0-9])", out)] for marker in stack.markers]
    assert all(len(p) == 1 for p in positions), [m for m, p in zip(stack.markers, positions) if len(p) != 1]
    assert positions == sorted(positions)
    # no whitespace, indentation or line change outside imports and constructions with a failure
    assert unchanged_runs_kept(stack, out_lines)


# 5. clean code comes back byte-identical ----------------------------------------------------------
@examples(200)
@given(stack=clean_stacks(), unsafe=st.booleans())
def test_clean_code_is_unchanged(engines, stack, unsafe):
    result = engines[unsafe].repair(stack.source)
    assert result.new_source == stack.source
    assert result.status is Status.UNCHANGED
    assert result.fixes == []
    assert result.findings == []


# 6. safely fixed failures are gone ----------------------------------------------------------------
def _inside_json_dumps(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "json.dumps":
            inside.update(id(n) for n in ast.walk(node))
    return inside


@examples(90)
@given(stack=safe_failure_stacks())
def test_safe_failures_are_fixed(engines, schema, stack):
    result = engines[False].repair(stack.source)
    tree = ast.parse(result.new_source)
    imported: set[str] = set()  # as the import statements name them
    bound: set[str] = set()  # as the code refers to them
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PROVIDER_PACKAGE):
            for alias in node.names:
                if node.module == PROVIDER_PACKAGE:  # only modules may be imported from the root
                    assert schema.has_module(f"{PROVIDER_PACKAGE}.{alias.name}"), f"flat import of {alias.name} left"
                else:
                    assert schema.defines(node.module, alias.name), f"{alias.name} is not in {node.module}"
                imported.add(alias.name)
                bound.add(alias.asname or alias.name)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for wrong in stack.wrong_imports:
        assert wrong not in imported, f"{wrong} still imported"
    for wrong in stack.wrong_refs:
        assert wrong not in names | attributes, f"{wrong} still used"
    # the package alias reads classes through their modules (``aws.vpc.Vpc``), never ``aws.Vpc``
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "aws":
            module = f"{PROVIDER_PACKAGE}.{node.attr}"
            assert schema.has_module(module), f"aws.{node.attr} is no module"
    # every provider class the code uses is imported
    used = {n for n in names if n[:1].isupper()} - {"Construct", "TerraformStack", "TerraformOutput"}
    assert used <= bound, f"not imported: {used - bound}"
    # no dict in a list of blocks (or under one) keeps a snake_case key jsii would drop (outside
    # json.dumps, the generator writes dicts in lists only for blocks)
    inside = _inside_json_dumps(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.List) and id(node) not in inside:
            for key in _raw_keys(node):
                assert "_" not in key.strip("_"), f"{key!r} in {ast.unparse(node)}"
    assert not result.findings, result.findings


def _raw_keys(node: ast.AST):
    """The keys of the dicts jsii takes as they are: in a list, and under such a dict (not under
    a call, whose keywords are Python names)."""
    if isinstance(node, ast.List):
        for element in node.elts:
            yield from _raw_keys(element)
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value
            yield from _raw_keys(value)


# minimal counterexamples (bugs found by the properties above; the strategies avoid them) ------------
MERGED_IMPORT = (
    "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
    "# ingress rules\n"
    "from cdktf_cdktf_provider_aws import SecurityGroupIngress\n"
)


def test_comment_above_merged_import_survives(engines):
    result = engines[False].repair(MERGED_IMPORT)
    assert result.status is Status.CHANGED
    assert "from cdktf_cdktf_provider_aws.security_group import" in result.new_source
    assert "# ingress rules\n" in result.new_source


MODULE_ATTRIBUTE = (
    "from cdktf_cdktf_provider_aws import s3_bucket_versioning\n"
    "\n"
    's3_bucket_versioning.S3BucketVersioning(None, "v")\n'
)


def test_wrong_class_of_module_alias_is_fixed(engines):
    """Found by property 6 (once a strict xfail): a wrong class read through a valid module import."""
    result = engines[False].repair(MODULE_ATTRIBUTE)
    assert "s3_bucket_versioning.S3BucketVersioningA(" in result.new_source
    assert [f.codemod for f in result.fixes if f.applied] == ["class-name"]


TRAILING_BLANK_LINES = "from cdktf_cdktf_provider_aws import Vpc\n\n  \n"


def test_trailing_blank_lines_survive_a_fix(engines):
    result = engines[False].repair(TRAILING_BLANK_LINES)
    assert result.new_source == "from cdktf_cdktf_provider_aws.vpc import Vpc\n\n  \n"
    commented = TRAILING_BLANK_LINES.replace("\n\n", "\n  # keep me\n\n")
    assert engines[False].repair(commented).new_source.endswith("Vpc\n  # keep me\n\n  \n")


def test_the_only_construct_of_a_module_is_no_fix_when_the_keywords_do_not_fit(engines):
    """``rds_cluster.RdsClusterSubnetGroup(name=, subnet_ids=)`` was "fixed" to RdsCluster (the
    module's only resource), which takes neither keyword: a wrong class is a finding."""
    source = (
        "from cdktf_cdktf_provider_aws import rds_cluster\n"
        "\n"
        'rds_cluster.RdsClusterSubnetGroup(None, "g", name="db", subnet_ids=["a"])\n'
    )
    result = engines[False].repair(source)
    assert result.new_source == source
    assert [f.codemod for f in result.findings] == ["class-name"]
    fitting = engines[False].repair(source.replace('name="db", subnet_ids=["a"]', 'engine="aurora-postgresql"'))
    assert "rds_cluster.RdsCluster(None" in fitting.new_source
