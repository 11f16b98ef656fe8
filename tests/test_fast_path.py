"""The fast path (``cdktf_fix.scan``) gives what the full path gives, only sooner.

The full path (``Engine(fast=False)``) parses every file with libcst and visits every
statement.  The fast path skips libcst for files the ``ast`` scan proves clean, and visits only
flagged statements.  Both must return the same source, fixes (with positions), findings, status
and error, on every input: fixtures, examples, the corpus (when present) and generated stacks.
The ``ast`` facts must equal the libcst ones they stand in for.
"""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings

from cdktf_fix.context import Options
from cdktf_fix.engine import Engine
from cdktf_fix.facts import collect_facts_ast
from cdktf_fix.facts_cst import collect_facts
from cdktf_fix.markdown import python_blocks
from cdktf_fix.result import Status
from cdktf_fix.scan import scan
from cdktf_fix.statements import StatementMap
from cdktf_strategies import clean_stacks, stacks

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "cdktf-fix-hypothesis"))
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def _sources() -> list[tuple[str, str]]:
    found = [(str(p.relative_to(ROOT)), p.read_text()) for p in sorted((ROOT / "fixtures").rglob("*.py"))]
    found += [(str(p.relative_to(ROOT)), p.read_text()) for p in sorted((ROOT / "examples").glob("*.py"))]
    return found


def _corpus_sources() -> list[tuple[str, str]]:
    if not CORPUS.is_dir():
        return []
    found = []
    for md in sorted(CORPUS.glob("*/lib/*_RESPONSE*.md")):
        for n, block in enumerate(python_blocks(md.read_text(encoding="utf-8", errors="replace"))):
            found.append((f"{md.parent.parent.name}/{md.name}#{n}", block.code))
    return found


def outcome(result) -> tuple:
    return (
        result.new_source,
        [(f.codemod, f.line, f.column, f.old, f.new, f.message, f.safety, f.applied) for f in result.fixes],
        [(f.codemod, f.line, f.column, f.message, f.suggestions) for f in result.findings],
        result.status,
        result.error,
    )


@pytest.fixture(scope="module")
def pairs(schema):
    return {
        unsafe: (Engine(schema, Options(unsafe_fixes=unsafe)), Engine(schema, Options(unsafe_fixes=unsafe), fast=False))
        for unsafe in (False, True)
    }


@pytest.mark.parametrize("unsafe", [False, True])
def test_same_outcome_on_fixtures_and_examples(pairs, unsafe):
    fast, full = pairs[unsafe]
    for name, source in _sources():
        assert outcome(fast.repair(source)) == outcome(full.repair(source)), name


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus at ../shared/corpus/dev")
def test_same_outcome_on_the_corpus(pairs):
    fast, full = pairs[False]
    sources = _corpus_sources()
    assert len(sources) > 100
    for name, source in sources[::3]:  # a third: the full path takes ~0.2 s a block
        assert outcome(fast.repair(source)) == outcome(full.repair(source)), name


def _settings(n: int) -> settings:
    return settings(max_examples=n, derandomize=True, database=None, deadline=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


@_settings(120)
@given(stack=stacks())
def test_same_outcome_on_generated_stacks(pairs, stack):
    fast, full = pairs[False]
    assert outcome(fast.repair(stack.source)) == outcome(full.repair(stack.source))


@_settings(60)
@given(stack=clean_stacks())
def test_clean_stacks_never_reach_libcst(schema, stack):
    """Clean generated stacks are proven clean by the scan: libcst does not parse them."""
    def refuse(*args, **kwargs):
        raise AssertionError("libcst parsed a clean file")

    engine = Engine(schema)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cst, "parse_module", refuse)
        result = engine.repair(stack.source)
    assert result.status is Status.UNCHANGED and not result.fixes and not result.findings


def test_ast_facts_equal_libcst_facts():
    def plain(facts) -> dict:
        skip = {"True", "False", "None"}  # Names in libcst, constants in ast
        return {
            "bindings": [(b.statement, b.module, b.name, b.local, b.aliased) for b in facts.bindings],
            "references": {k: v for k, v in facts.references.items() if k not in skip},
            "bound": facts.bound,
            "usage": {k: (u.calls, u.construct_calls, u.struct_calls, u.keywords) for k, u in facts.usage.items() if u.calls},
            "chains": dict(facts.chains),
            "star": facts.star_import,
            "imports": facts.import_count,
            "binds": {k: v for k, v in facts.binds.items() if v},
            "literals": dict(facts.literal_assigns),
            "values": facts.value_names - skip,
        }

    extra = """
import cdktf_cdktf_provider_aws as aws
from cdktf_cdktf_provider_aws import kms, s3_bucket as sb
from cdktf import *
try:
    pass
except ValueError as error:
    global G
    x = [*y]
match point:
    case Point(x=0, y=Y) as p: pass
    case {"a": 1, **rest}: pass
    case [1, *others]: pass
with open(f) as (a, b):
    k = aws.s3_bucket.S3Bucket(self, "b", tags=T, items=[u, *v], **kw)
lam = lambda q, *r, s=1, **t: kms.KmsKey.generate(q)
class C(Base, metaclass=M):
    def f(self, /, a, *, b): nonlocal z; return (w := sb.S3Bucket)
"""
    sources = [s for _, s in _sources() + _corpus_sources()[:200]] + [extra]
    for source in sources:
        try:
            module, parsed = cst.parse_module(source), ast.parse(source)
        except Exception:
            continue
        assert plain(collect_facts(module)) == plain(collect_facts_ast(parsed)[0]), source[:200]


def test_statement_map_pairs_every_statement():
    source = """
import x
a = 1; b = 2
if a: c = 3; d = 4
elif b:
    e = 5
else:
    f = 6
for i in y:
    pass
else:
    g = 7
while z: h = 8
try:
    j = 9
except E:
    k = 10
except F as err:
    pass
else:
    m = 11
finally:
    n = 12
with w as v:
    @deco
    async def fn():
        async for q in r:
            async with s:
                o = 13
class K:
    p = 14
match t:
    case 1:
        u = 15
    case _: v2 = 16
"""
    module, parsed = cst.parse_module(source), ast.parse(source)
    paired = StatementMap(module, parsed)
    every = [n for n in ast.walk(parsed) if isinstance(n, ast.stmt)]
    assert all(id(n) in paired.node_of for n in every)
    deepest = next(n for n in every if isinstance(n, ast.Assign) and n.targets[0].id == "o")
    visit = paired.visit_set([deepest])
    assert len(visit) == 5  # with, def, async for, async with, the line itself


def test_scan_flags_what_the_codemods_act_on(schema):
    header = "from constructs import Construct\nfrom cdktf import TerraformStack\nfrom cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
    clean = header + 'S3Bucket(self, "b", bucket="x", tags={"a": "b"}, force_destroy=True)\n'
    flagged = {
        "unknown keyword": header + 'S3Bucket(self, "b", bucket_name="x")\n',
        "literal type": header + 'S3Bucket(self, "b", force_destroy="true")\n',
        "undefined class": header + 'S3BucketVersioningA(self, "v", bucket="x")\n',
        "wrong module": "from cdktf_cdktf_provider_aws.s3 import S3Bucket\n",
        "variable": header.replace("s3_bucket import S3Bucket", "s3_bucket_versioning import S3BucketVersioningA")
        + 'cfg = {"status": "Enabled"}\nS3BucketVersioningA(self, "v", bucket="b", versioning_configuration=cfg)\n',
    }

    def scanned(source):
        facts, index = collect_facts_ast(ast.parse(source))
        return scan(schema, facts, index, source)

    assert scanned(clean).clean
    assert scanned(header + 'cfg = {"a": "b"}\nS3Bucket(self, "b", tags=cfg)\n').clean  # a map: nothing to convert
    for why, source in flagged.items():
        assert not scanned(source).clean, why
