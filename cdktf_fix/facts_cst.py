"""The file facts of ``cdktf_fix.facts``, collected from a libcst tree.

The engine uses this only for code ``ast`` cannot parse (syntax newer than the running
Python); ``tests/test_fast_path.py`` checks that both collections agree.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from cdktf_fix.facts import Binding, FileFacts, is_schema_module
from cdktf_fix.schema.model import PROVIDER_PACKAGE


def _target_names(node: cst.CSTNode) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for element in node.elements for n in _target_names(element.value)]
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


def chain_of(node: cst.Attribute) -> tuple[str, ...] | None:
    """``aws.s3_bucket.S3Bucket`` -> ("aws", "s3_bucket", "S3Bucket"); None if not a plain chain."""
    parts: list[str] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.Attribute):
        parts.append(current.attr.value)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    parts.append(current.value)
    return tuple(reversed(parts))


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.facts = FileFacts()
        self._not_references: set[int] = set()
        self._module_locals: set[str] = set()

    # imports --------------------------------------------------------------------------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        ordinal = self.facts.import_count
        self.facts.import_count += 1
        module = get_full_name_for_node(node.module) if node.module is not None else None
        if node.relative or module is None:
            self._bind_plain(node)
            return False
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_import = True
            return False
        if not is_schema_module(module):
            self._bind_plain(node)
            return False
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            binding = Binding(ordinal, module, name, local, alias.asname is not None, node)
            if module == PROVIDER_PACKAGE or (module == "imports.aws" and name[:1].islower()):
                # ``from cdktf_cdktf_provider_aws import kms``: a (pseudo) module
                self._module_locals.add(local)
            self.facts.bindings.append(binding)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        ordinal = self.facts.import_count
        self.facts.import_count += 1
        for alias in node.names:
            module = get_full_name_for_node(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else module.split(".")[0]
            if is_schema_module(module) and module.startswith((PROVIDER_PACKAGE, "imports.aws")):
                self.facts.bindings.append(Binding(ordinal, module, None, local, alias.asname is not None, node))
                self._module_locals.add(local)
            else:
                self.facts.bound.add(local)
        return False

    def _bind_plain(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_import = True
            return
        for alias in node.names:
            if alias.asname and isinstance(alias.asname.name, cst.Name):
                self.facts.bound.add(alias.asname.name.value)
            else:
                self.facts.bound.add((get_full_name_for_node(alias.name) or "").split(".")[0])

    # bindings that are not imports ----------------------------------------------------
    def _bind_target(self, node: cst.CSTNode) -> None:
        names = _target_names(node)
        self.facts.bound.update(names)
        self.facts.binds.update(names)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target)
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and isinstance(node.value, (cst.Dict, cst.List)):
            self.facts.literal_assigns[node.targets[0].target.value] += 1

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind_target(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.facts.bound.add(node.name.value)
        self._not_references.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.facts.bound.add(node.name.value)
        self._not_references.add(id(node.name))

    def visit_Param(self, node: cst.Param) -> None:
        self.facts.bound.add(node.name.value)
        self.facts.binds[node.name.value] += 1
        self._not_references.add(id(node.name))

    def visit_Global(self, node: cst.Global) -> None:
        self.facts.bound.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.facts.bound.update(item.name.value for item in node.names)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.facts.bound.add(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.facts.bound.add(node.name.value)

    # references ----------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_references.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_references.add(id(node.keyword))
            value = node.value
            if isinstance(value, cst.Name):
                self.facts.value_names.add(value.value)
            elif isinstance(value, (cst.List, cst.Tuple)):
                self.facts.value_names.update(e.value.value for e in value.elements if isinstance(e.value, cst.Name))

    def visit_Call(self, node: cst.Call) -> None:
        callee = node.func
        name = None
        if isinstance(callee, cst.Name):
            name = callee.value
        elif isinstance(callee, cst.Attribute):
            chain = chain_of(callee)
            name = ".".join(chain) if chain else None
        if name is None:
            return
        usage = self.facts.usage[name]
        usage.calls += 1
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if len(positional) >= 2:
            usage.construct_calls += 1
        elif not positional and not any(a.star for a in node.args):
            usage.struct_calls += 1
        usage.keywords.update(a.keyword.value for a in node.args if a.keyword is not None)

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._not_references:
            self.facts.references[node.value] += 1


class _ChainCounter(cst.CSTVisitor):
    """Counts attribute chains rooted at module aliases, cut after the first class name.

    ``aws.s3_bucket.S3Bucket(...)`` counts ("aws", "s3_bucket", "S3Bucket"), and
    ``kms.KmsKey.generate_config_for_import`` counts ("kms", "KmsKey").
    """

    def __init__(self, roots: set[str], facts: FileFacts) -> None:
        self.roots = roots
        self.facts = facts

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        chain = chain_of(node)
        if chain and chain[0] in self.roots:
            for end, part in enumerate(chain[1:], start=2):
                if part[:1].isupper():
                    chain = chain[:end]
                    break
            self.facts.chains[chain] += 1
            return False
        return True

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False


def collect_facts(module: cst.Module) -> FileFacts:
    collector = _Collector()
    module.visit(collector)
    facts = collector.facts
    facts.chains.clear()
    if collector._module_locals:
        module.visit(_ChainCounter(collector._module_locals, facts))
    return facts
