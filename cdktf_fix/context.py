"""The state the codemods share while one file is repaired.

Codemods never edit import statements: they change the import *bindings* held here (move a
name to another module, rename it, remove it, add one), and the import planner writes all of
that once, after every codemod has run.  Renames of names used in the code, and rewrites of
module-alias attribute chains (``kms.KmsKey`` -> ``KmsKey``), are queued here too and applied in
one pass per iteration.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from cdktf_fix.facts import Binding, FileFacts
from cdktf_fix.facts_cst import chain_of
from cdktf_fix.options import Options
from cdktf_fix.result import Finding, Fix, Safety
from cdktf_fix.schema.model import PROVIDER_PACKAGE, SchemaIndex
from cdktf_fix.suppression import Suppressions


@dataclass
class ImportBinding:
    """The current state of one import binding; ``origin`` is None for added imports."""

    origin: Binding | None
    module: str
    name: str | None
    local: str
    removed: bool = False
    anchor: int | None = None  # place a new import next to this statement (ordinal)

    @property
    def changed(self) -> bool:
        o = self.origin
        return o is None or self.removed or (self.module, self.name, self.local) != (o.module, o.name, o.local)


@dataclass
class FileContext:
    schema: SchemaIndex
    options: Options
    bindings: list[ImportBinding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)  # applied, across iterations
    proposals: list[Fix] = field(default_factory=list)  # not applied (unsafe), last iteration
    findings: list[Finding] = field(default_factory=list)  # last iteration
    facts: FileFacts | None = None
    tree: cst.Module | None = None
    source: str = ""
    _lines: dict | None = None
    _renames: dict[str, str] = field(default_factory=dict)
    _chain_rewrites: dict[tuple[str, ...], str] = field(default_factory=dict)
    _finding_keys: set = field(default_factory=set)
    rewritten_roots: set[str] = field(default_factory=set)  # module aliases whose uses were rewritten
    changed: bool = False
    # argument-level reports point at the Call/Dict/List being fixed: its ordinal in the tree
    # the argument pass started from, located lazily with ``ast`` when something is reported
    anchor: int | None = None
    anchor_tree: cst.Module | None = None
    anchor_positions: list[tuple[int, int]] | None = None
    _forgotten: dict[str, int] = field(default_factory=dict)
    resolve: object = None  # callee expression -> ClassInfo | None; set by the argument pass
    suppressions: Suppressions | None = None  # ``# cdktf-fix: ignore[...]`` comments, by line
    source_ast: ast.Module | None = None  # the source, parsed by ``ast`` (the fast path)
    # the fast path: the ``ast`` of the tree this iteration started from, its statements paired
    # with the libcst ones, and the libcst statements passes skip (ids; the map keeps them alive)
    anchor_ast: ast.Module | None = None
    statement_map: object = None
    _skip: frozenset[int] = frozenset()

    # -- iteration -------------------------------------------------------------------------
    def begin(self, tree: cst.Module, facts: FileFacts) -> None:
        if not self.bindings and facts.bindings:
            self.bindings = [ImportBinding(b, b.module, b.name, b.local) for b in facts.bindings]
        self.tree = tree
        self.facts = facts
        self.changed = False
        # findings and unapplied proposals describe the state the last iteration saw
        self.findings = []
        self.proposals = []
        self._finding_keys = set()
        self._forgotten = {}
        self._skip = frozenset()
        self.statement_map = None
        self.anchor_ast = None

    def prune(self, statement_map, parsed: ast.Module, flagged: list) -> None:
        """Passes of this iteration visit only the statements around ``flagged`` (fast path).

        Skipped statements keep their identity through a transform; visited ones are rebuilt, so
        every later pass of the iteration visits them too.
        """
        visit = statement_map.visit_set(flagged)
        self.statement_map = statement_map
        self.anchor_ast = parsed
        self._skip = frozenset(key for key in statement_map.statements_of if key not in visit)

    def skips(self, node: cst.CSTNode) -> bool:
        """A pass need not visit this statement: the scan proved nothing in it needs a codemod."""
        return id(node) in self._skip

    def anchors_in(self, node: cst.CSTNode) -> int:
        """How many Call/Dict/List nodes a skipped statement holds (argument reports count them)."""
        from cdktf_fix.arguments import AST_ANCHORS

        return sum(isinstance(n, AST_ANCHORS) for s in self.statement_map.statements_of[id(node)] for n in ast.walk(s))

    def live_bindings(self) -> list[ImportBinding]:
        return [b for b in self.bindings if not b.removed]

    def binding_for(self, local: str) -> ImportBinding | None:
        for binding in self.live_bindings():
            if binding.local == local:
                return binding
        return None

    def is_bound(self, name: str) -> bool:
        assert self.facts is not None
        return name in self.facts.bound or self.binding_for(name) is not None

    # -- edits -------------------------------------------------------------------------------
    def allows(self, safety: Safety) -> bool:
        return safety is Safety.SAFE or self.options.unsafe_fixes

    def rename(self, old: str, new: str) -> None:
        """Rename every reference to ``old`` in the code (not attributes, keywords or imports)."""
        self._renames[old] = new
        self.changed = True

    def rewrite_chain(self, chain: tuple[str, ...], replacement: str) -> None:
        """Replace the attribute chain ``chain`` (e.g. ``kms.KmsKey``) by the name ``replacement``."""
        self._chain_rewrites[chain] = replacement
        self.changed = True

    def add_binding(self, module: str, name: str, local: str | None = None, anchor: int | None = None) -> ImportBinding:
        local = local or name
        for binding in self.live_bindings():
            if (binding.module, binding.name, binding.local) == (module, name, local):
                return binding
        binding = ImportBinding(None, module, name, local, anchor=anchor)
        self.bindings.append(binding)
        self.changed = True
        return binding

    def update_binding(self, binding: ImportBinding, **changes) -> None:
        for key, value in changes.items():
            setattr(binding, key, value)
        self.changed = True

    def class_reference(self, qualified: str) -> str | None:
        """A local name that refers to the class ``qualified``, importing it when needed.

        None when its name is already bound to something else in this file.
        """
        module, _, name = qualified.rpartition(".")
        for binding in self.live_bindings():
            if (binding.module, binding.name) == (module, name):
                return binding.local
        if self.binding_for(name) is not None or (self.facts is not None and name in self.facts.bound):
            return None
        self.add_binding(module, name)
        return name

    def forget_use(self, local: str) -> None:
        """A codemod removed one use of ``local``; drop its import when no use is left."""
        self._forgotten[local] = self._forgotten.get(local, 0) + 1
        binding = self.binding_for(local)
        if binding is None or binding.origin is None or self.facts is None:
            return
        if self.facts.references.get(local, 0) <= self._forgotten[local]:
            self.update_binding(binding, removed=True)

    def apply_queued(self, tree: cst.Module) -> cst.Module:
        if not self._renames and not self._chain_rewrites:
            return tree
        tree = tree.visit(_QueuedEdits(dict(self._renames), dict(self._chain_rewrites), self))
        self._renames.clear()
        self._chain_rewrites.clear()
        return tree

    # -- reporting ---------------------------------------------------------------------------
    def _line_index(self) -> dict:
        """Lines of import statements (by ordinal) and first references of names, from ``ast``.

        libcst's PositionProvider costs a full metadata pass (~200 ms on a large file); the
        original source's ``ast`` gives the lines a report needs in a fraction of that, and only
        files with something to report pay for it.
        """
        if self._lines is None:
            imports: list[tuple[int, int]] = []
            names: dict[str, tuple[int, int]] = {}
            tree = self.source_ast
            if tree is None:
                try:
                    tree = ast.parse(self.source)
                except (SyntaxError, ValueError):
                    tree = ast.Module(body=[], type_ignores=[])
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    imports.append((node.lineno, node.col_offset + 1))
                elif isinstance(node, ast.Name):
                    here = (node.lineno, node.col_offset + 1)
                    if node.id not in names or here < names[node.id]:
                        names[node.id] = here
            self._lines = {"imports": sorted(imports), "names": names}
        return self._lines

    def position(self, node: cst.CSTNode | None) -> tuple[int, int]:
        """(line, column), 1-based, of an import statement, or of the first reference of a name
        (any ``cst.Name`` with that value)."""
        if node is None:
            return self._anchor_position()
        index = self._line_index()
        if isinstance(node, cst.Name):
            return index["names"].get(node.value, (0, 0))
        for binding in self.bindings:
            if binding.origin is not None and binding.origin.node is node:
                ordinal = binding.origin.statement
                return index["imports"][ordinal] if ordinal < len(index["imports"]) else (0, 0)
        return (0, 0)

    def _anchor_position(self) -> tuple[int, int]:
        if self.anchor is None or self.anchor_tree is None:
            return (0, 0)
        if self.anchor_positions is None:
            from cdktf_fix.arguments import anchor_positions

            self.anchor_positions = anchor_positions(self.anchor_tree, self.anchor_ast)
        positions = self.anchor_positions
        return positions[self.anchor] if self.anchor < len(positions) else (0, 0)

    def suppressed(self, codemod: str, node: cst.CSTNode | None) -> bool:
        """A suppression comment covers what ``codemod`` would report at ``node`` (None: the
        argument pass's current anchor).  Codemods ask before they edit."""
        return self.suppressions is not None and self.suppressions.covers(codemod, self.position(node)[0])

    def add_fix(
        self, codemod: str, node: cst.CSTNode | None, old: str, new: str, message: str, safety: Safety, applied: bool = True,
        at: tuple[int, int] | None = None,
    ) -> None:
        line, column = at or self.position(node)
        if applied:
            self.changed = True
        message = _short(message)
        fix = Fix(codemod, line, column, old, new, message, safety, applied)
        (self.fixes if applied else self.proposals).append(fix)

    def add_finding(
        self, codemod: str, node: cst.CSTNode | None, message: str, suggestions: list[str] | None = None, at: tuple[int, int] | None = None,
    ) -> None:
        """``at``: the (line, column) to report, for codemods that know it better than ``node``."""
        line, column = at or self.position(node)
        if self.suppressions is not None and self.suppressions.covers(codemod, line):
            return
        message = _short(message)
        key = (codemod, line, message)
        if key in self._finding_keys:
            return
        self._finding_keys.add(key)
        self.findings.append(Finding(codemod, line, column, message, list(suggestions or [])))


def _short(message: str) -> str:
    """Messages name provider modules by their short names (``s3_bucket.S3Bucket``)."""
    return message.replace(PROVIDER_PACKAGE + ".", "")


class _QueuedEdits(cst.CSTTransformer):
    """Applies queued renames and chain rewrites in one pass."""

    def __init__(self, renames: dict[str, str], chains: dict[tuple[str, ...], str], ctx: FileContext) -> None:
        self.renames = renames
        self.chains = chains
        self.ctx = ctx

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not self.ctx.skips(node) and super().on_visit(node)

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        chain = chain_of(original_node)
        if chain in self.chains:
            return cst.Name(self.chains[chain], lpar=updated_node.lpar, rpar=updated_node.rpar)
        # the attribute name is not a reference: keep it as written
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)

    def leave_Param(self, original_node: cst.Param, updated_node: cst.Param) -> cst.Param:
        return updated_node.with_changes(name=original_node.name)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        return updated_node.with_changes(name=original_node.name)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        return updated_node.with_changes(name=original_node.name)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.renames.get(original_node.value)
        return updated_node.with_changes(value=new) if new else updated_node
