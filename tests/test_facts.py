"""Scopes and symbols: every use of a name belongs to the binding Python would give it."""

from __future__ import annotations

import ast

from cdktf_fix.engine.facts import collect_facts
from cdktf_fix.schema import load_index as _schema

SOURCE = '''\
from cdktf_cdktf_provider_aws import rds
import cdktf_cdktf_provider_aws as aws

count = 0


def uses_module():
    return rds.DbInstance


def shadows(rds):
    return rds.name


class Stack:
    aws = "class attribute"

    def method(self):
        return aws.s3_bucket  # the module-level alias: class bodies do not enclose methods

    items = [aws for _ in range(1)]  # the comprehension sees the module, not the class


def closure():
    rds = 1

    def inner():
        nonlocal rds
        return rds

    return inner


def declared_global():
    global count
    count = 1


values = [rds for rds in range(3)]
walrus = [(last := n) for n in range(3)]
try:
    pass
except ValueError as error:
    pass
match count:
    case {"k": captured}:
        pass
'''


def _symbols_of(facts, name):
    return [s for (scope, n), s in facts.symbols.items() if n == name]


def test_uses_resolve_to_the_binding_python_gives_them():
    tree = ast.parse(SOURCE)
    facts = collect_facts(tree, _schema())
    module = facts.module
    rds_import = facts.symbols[(module, "rds")]
    assert [b.name for b in rds_import.imports] == ["rds"]
    # only the use in uses_module() reads the import: a parameter, a closure's local and a
    # comprehension variable of the same name are other symbols
    assert len(rds_import.loads) == 1 and rds_import.loads[0].node.lineno == 8
    assert len(_symbols_of(facts, "rds")) == 4  # the import, the parameter, the closure's, the comprehension's
    aws_import = facts.symbols[(module, "aws")]
    assert sorted(o.node.lineno for o in aws_import.loads) == [19, 21]
    # ``global count`` in a function binds the module's name
    assert facts.symbols[(module, "count")].stores and module.bound["count"] == 2
    # a walrus in a comprehension binds in the enclosing scope
    assert "last" in module.bound
    # except and match names are bindings too
    assert "error" in module.bound and "captured" in module.bound
    assert facts.undefined() == []


def test_names_used_where_nothing_binds_them_are_undefined():
    facts = collect_facts(ast.parse("def f():\n    x = S3Bucket\n\ndef g(S3Bucket):\n    return S3Bucket\n"), _schema())
    assert facts.undefined() == ["S3Bucket"]


def test_import_guards():
    source = (
        "from typing import TYPE_CHECKING\n"
        "try:\n    from cdktf_cdktf_provider_aws.vpc import Vpc\n"
        "except ImportError:\n    from cdktf_cdktf_provider_aws.vpc_old import Vpc\n"
        "if TYPE_CHECKING:\n    from cdktf_cdktf_provider_aws.subnet import Subnet\n"
    )
    facts = collect_facts(ast.parse(source), _schema())
    guards = {(b.module.rpartition('.')[2], b.guard) for b in facts.bindings}
    assert guards == {("vpc", "shim"), ("vpc_old", "fallback"), ("subnet", "type-checking")}
    shim, fallback = [b for b in facts.bindings if b.name == "Vpc"]
    assert shim.shim is fallback.shim is not None
    assert shim.symbol is fallback.symbol  # one name, bound by both branches
