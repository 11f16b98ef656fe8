"""What the codemods share while one round of one file is checked.

A round reads the file's ``ast`` (``facts``) and nothing else; codemods record what they find
in three places, one per concern:

- ``ImportState``: the import bindings, as codemods move, rename, add and remove them; the
  import planner (``cdktf_fix.engine.imports``) writes them after the round's edits;
- ``Reports``: applied fixes, unsafe fixes not applied, findings;
- ``EditPlan``: the edits a fix makes, each at an address in the file (``units``), applied by
  ``cdktf_fix.engine.rewrite`` on the libcst tree.  A node takes one edit a round; a fix
  whose node is taken waits for the next round, which sees the code the first one wrote.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from collections import Counter

from cdktf_fix.engine.facts import Binding, FileFacts, Scope, Symbol, ast_chain
from cdktf_fix.engine.lines import split_lines
from cdktf_fix.engine.options import Options
from cdktf_fix.engine.result import Finding, Fix, Safety
from cdktf_fix.engine.suppression import Suppressions
from cdktf_fix.engine.units import Address, UnitIndex, kind_of
from cdktf_fix.schema.model import ClassInfo, SchemaIndex, class_for_chain


@dataclass(eq=False)
class ImportBinding:
    """The current state of one import binding; ``origin`` is None for an added import."""

    origin: Binding | None
    module: str
    name: str | None
    local: str
    scope: Scope
    removed: bool = False
    anchor: int | None = None  # an added import goes next to this import statement (ordinal)

    @property
    def changed(self) -> bool:
        o = self.origin
        return o is None or self.removed or (self.module, self.name, self.local) != (o.module, o.name, o.local)


class ImportState:
    def __init__(self, facts: FileFacts) -> None:
        self.bindings = [ImportBinding(b, b.module, b.name, b.local, b.scope) for b in facts.bindings]
        self._of_symbol: dict[int, list[ImportBinding]] = {}
        self.handled: set[int] = set()  # bindings a codemod fixed, or reported with a finding, this round (ids)
        self.proposed: set[int] = set()  # bindings an unsafe fix was offered for (not applied)
        # import statements (by ordinal) whose modules move to other packages, as a whole:
        # ((old root, new root), ...) (``migrate``: cdktf -> cdktn)
        self.moved_roots: dict[int, tuple[tuple[str, str], ...]] = {}
        for binding in self.bindings:
            self._of_symbol.setdefault(id(binding.origin.symbol), []).append(binding)

    def live(self) -> list[ImportBinding]:
        return [b for b in self.bindings if not b.removed]

    def of_symbol(self, symbol: Symbol | None) -> list[ImportBinding]:
        if symbol is None:
            return []
        return [b for b in self._of_symbol.get(id(symbol), ()) if not b.removed]

    def added(self) -> list[ImportBinding]:
        return [b for b in self.bindings if b.origin is None and not b.removed]

    def add(self, module: str, name: str | None, scope: Scope, anchor: int | None = None, local: str | None = None) -> ImportBinding:
        """``from module import name`` (as ``local``); ``import module`` when ``name`` is None."""
        local = local or name or module
        for binding in self.added():
            if (binding.module, binding.name, binding.local) == (module, name, local):
                return binding
        binding = ImportBinding(None, module, name, local, scope, anchor=anchor)
        self.bindings.append(binding)
        return binding

    @property
    def changed(self) -> bool:
        return bool(self.moved_roots) or any(b.changed for b in self.bindings)


class Reports:
    """Fixes and findings of one round, with positions in the code the round read."""

    def __init__(self, suppressions: Suppressions | None) -> None:
        self.suppressions = suppressions
        self.fixes: list[Fix] = []  # applied this round
        self.proposals: list[Fix] = []  # unsafe, not applied
        self.findings: list[Finding] = []
        self._keys: set = set()

    def suppressed(self, codemod: str, line: int) -> bool:
        return self.suppressions is not None and self.suppressions.covers(codemod, line)

    def finding(self, codemod: str, at: tuple[int, int], message: str, suggestions) -> None:
        if self.suppressed(codemod, at[0]):
            return
        message = short(message)
        key = (codemod, at[0], message)
        if key not in self._keys:
            self._keys.add(key)
            self.findings.append(Finding(codemod, at[0], at[1], message, list(suggestions or [])))


class PlacementError(Exception):
    """An edit was found on a node no address names (a bug: the file is left as it was)."""


@dataclass
class PlannedEdit:
    edit: object  # has ``apply(libcst node) -> libcst node`` (see ``cdktf_fix.engine.rewrite``)
    address: Address  # the node itself, or the parent whose ``slot`` holds it
    slot: tuple | None = None
    expected: object = None  # the fingerprint the libcst node at ``address`` must have


@dataclass
class Place:
    """Where a node that is no addressable kind sits: a slot of an addressable parent."""

    unit: ast.stmt
    parent: ast.AST | None = None
    slot: tuple | None = None
    kind: str | None = None  # the node's own kind, where only its context tells (``annstr``)


class EditPlan:
    def __init__(self) -> None:
        self.units = UnitIndex()
        self.edits: list[PlannedEdit] = []
        self.removed_statements: list[ast.stmt] = []
        self._claimed: set[int] = set()

    def claim(self, nodes) -> bool:
        """Whether every node is still free this round (then they are taken)."""
        ids = [id(n) for n in nodes]
        if any(i in self._claimed for i in ids):
            return False
        self._claimed.update(ids)
        return True

    def add(self, node: ast.AST, edit, place: Place, kind: str | None = None) -> None:
        kind = kind or kind_of(node)
        if kind is not None:
            address = self.units.address(node, place.unit, kind)
            if address is not None:
                self.edits.append(PlannedEdit(edit, address, None, self.units.fingerprint(address)))
                return
        parent_kind = kind_of(place.parent) if place.parent is not None else None
        address = self.units.address(place.parent, place.unit, parent_kind) if parent_kind else None
        if address is None:
            raise PlacementError(f"no address for an edit on {type(node).__name__} (line {getattr(node, 'lineno', '?')})")
        self.edits.append(PlannedEdit(edit, address, place.slot, self.units.fingerprint(address)))

    def __bool__(self) -> bool:
        return bool(self.edits or self.removed_statements)


class FileContext:
    """The schema, the options, the facts of the code this round reads, and its three records."""

    def __init__(self, schema: SchemaIndex, options: Options, facts: FileFacts, source: str, suppressions: Suppressions | None) -> None:
        self.schema = schema
        self.options = options
        self.facts = facts
        self.source = source
        self.imports = ImportState(facts)
        self.reports = Reports(suppressions)
        self.plan = EditPlan()
        self.places: dict[int, Place] = {}  # set by the argument pass for the values it visits
        self.here: ast.AST | None = None  # the node argument reports point at (a Call, Dict or List)
        self._forgotten: Counter = Counter()
        self._lines: list[int] | None = None
        self.memo: dict = {}  # what this round's facts give, computed once (``engine.values.reads``)

    # -- names and classes -------------------------------------------------------------------
    def allows(self, safety: Safety) -> bool:
        return safety is Safety.SAFE or self.options.unsafe_fixes

    def generated(self, module: str) -> bool:
        """``imports.<p>`` that ``cdktf get`` generates for this project: never touched."""
        if not module.startswith("imports"):
            return False
        generated = self.options.generated_bindings
        parts = module.split(".")
        return "*" in generated or (len(parts) > 1 and parts[1] in generated)

    def resolve(self, func: ast.expr) -> ClassInfo | None:
        """The schema class a callee expression names, through the symbols' import bindings."""
        kind = type(func)
        if kind is ast.Name:
            root, chain = func, (func.id,)
        elif kind is ast.Attribute:
            chain = ast_chain(func)
            if chain is None:
                return None
            root = func
            while type(root) is ast.Attribute:
                root = root.value
        else:
            return None
        for binding in self.imports.of_symbol(self.facts.symbol_of_name(root)):
            if self.generated(binding.module):
                return None
            info = class_for_chain(self.schema, binding.module, binding.name, chain)
            if info is not None:
                return info
        return None

    def taken(self, name: str, scope: Scope, target: tuple[str, str | None] | None = None) -> bool:
        """Whether ``name`` used in ``scope`` would refer to something other than an import of
        ``target`` (module, name)."""
        symbol = self.facts.resolves_to(name, scope)
        if symbol is not None:
            bindings = self.imports.of_symbol(symbol)
            if not symbol.only_imports or not bindings:
                return True
            if target is None or any((b.module, b.name) != target for b in bindings):
                return True
        for binding in self.imports.added():
            if binding.local == name and (target is None or (binding.module, binding.name) != target):
                return True
        return False

    def class_reference(self, qualified: str, scope: Scope) -> str | None:
        """A name that refers to the class ``qualified`` in ``scope`` (an import of it, or its
        own name when that is free there: ``import_class`` adds the import once the fix is
        applied); None when its name means something else there."""
        module, _, name = qualified.rpartition(".")
        for binding in self.imports.live():
            if (binding.module, binding.name) != (module, name):
                continue
            seen = self.facts.resolves_to(binding.local, scope)
            if (seen is None) if binding.origin is None else (seen is binding.origin.symbol):
                return binding.local  # an import added this round (module level), or one this scope sees
        return None if self.taken(name, scope, (module, name)) else name

    def import_class(self, qualified: str, scope: Scope) -> None:
        """Import ``qualified`` at module level, unless ``scope`` already sees an import of it."""
        module, _, name = qualified.rpartition(".")
        if self.class_reference(qualified, scope) == name and self.facts.resolves_to(name, scope) is None:
            self.imports.add(module, name, scope.module)

    def forget_use(self, symbol: Symbol | None) -> None:
        """A fix removed one use of ``symbol``; its import goes when no use is left."""
        if symbol is None:
            return
        self._forgotten[id(symbol)] += 1
        if symbol.only_imports and len(symbol.loads) <= self._forgotten[id(symbol)]:
            for binding in self.imports.of_symbol(symbol):
                binding.removed = True

    # -- positions ---------------------------------------------------------------------------
    def position(self, node: ast.AST | None) -> tuple[int, int]:
        node = node if node is not None else self.here
        if node is None or not hasattr(node, "lineno"):
            return (0, 0)
        return (node.lineno, node.col_offset + 1)

    def text(self, node: ast.AST, limit: int | None = None) -> str:
        """The source text of ``node`` as written (its first ``limit`` characters)."""
        if self._lines is None:
            starts, total = [0], 0
            for line in split_lines(self.source):
                total += len(line)
                starts.append(total)
            self._lines = starts
        starts = self._lines
        try:
            start = starts[node.lineno - 1] + _column(self.source, starts[node.lineno - 1], node.col_offset)
            end = starts[node.end_lineno - 1] + _column(self.source, starts[node.end_lineno - 1], node.end_col_offset)
        except (IndexError, TypeError, AttributeError):
            return ast.unparse(node)[:limit] if limit else ast.unparse(node)
        text = self.source[start:end]
        return text[:limit] if limit else text

    # -- recording ---------------------------------------------------------------------------
    def fix(
        self, codemod: str, old: str, new: str, message: str, safety: Safety, edits=(), at: ast.AST | tuple[int, int] | None = None,
    ) -> bool:
        """Record a fix with its edits ((node, edit[, place]) triples); True when it applies
        this round.  A fix on a suppressed line, an unsafe fix not enabled, or one whose node
        another fix took this round is not applied (the last two are proposed or retried)."""
        where = at if isinstance(at, tuple) else self.position(at)
        if self.reports.suppressed(codemod, where[0]):
            return False
        fix = Fix(codemod, where[0], where[1], old, new, short(message), safety, True)
        if not self.allows(safety):
            fix.applied = False
            self.reports.proposals.append(fix)
            return False
        if not self.plan.claim(e[0] for e in edits):
            return False
        for node, edit, *place in edits:
            where = place[0] if place else self.places[id(node)]
            self.plan.add(node, edit, where, where.kind)
        self.reports.fixes.append(fix)
        return True

    def finding(self, codemod: str, message: str, suggestions=(), at: ast.AST | tuple[int, int] | None = None) -> None:
        where = at if isinstance(at, tuple) else self.position(at)
        self.reports.finding(codemod, where, message, suggestions)

    def suppressed(self, codemod: str, at: ast.AST | tuple[int, int] | None = None) -> bool:
        where = at if isinstance(at, tuple) else self.position(at)
        return self.reports.suppressed(codemod, where[0])

    def rename_edits(self, symbol: Symbol, new: str) -> list:
        """The edits that rename every use of ``symbol`` (string annotations included)."""
        from cdktf_fix.engine.rewrite import RenameInString, SetName

        edits = [(o.node, SetName(new), Place(o.statement)) for o in (*symbol.loads, *symbol.stores)]
        for entry in self.facts.annotation_strings:
            names = _annotation_names(entry.node.value)
            if any(n == symbol.name and self.facts.resolves_to(n, entry.scope) is symbol for n in names) and self._simple_string(entry.node):
                edits.append((entry.node, RenameInString(symbol.name, new), Place(entry.statement, kind="annstr")))
        return edits

    def annotation_uses(self, symbol: Symbol) -> bool:
        """Whether a string annotation names ``symbol``."""
        return any(
            symbol.name in _annotation_names(e.node.value) and self.facts.resolves_to(symbol.name, e.scope) is symbol
            for e in self.facts.annotation_strings
        )

    def _simple_string(self, node: ast.Constant) -> bool:
        text = self.text(node).lstrip("rRuU")
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
                return text[len(quote):-len(quote)] == node.value and "\n" not in node.value and node.value.isascii()
        return False

    def remove_statement(self, statement: ast.stmt) -> None:
        self.plan.removed_statements.append(statement)


def _column(source: str, line_start: int, byte_offset: int) -> int:
    """``ast`` columns count UTF-8 bytes; the character column on that line."""
    end = source.find("\n", line_start)
    line = source[line_start: end if end >= 0 else len(source)]
    if line.isascii():
        return byte_offset
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _annotation_names(text: str) -> list[str]:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return []
    return [n.id for n in ast.walk(tree) if type(n) is ast.Name]


_PROVIDER_PREFIX = re.compile(r"\b(?:cdktf_cdktf|cdktn)_provider_[a-z0-9_]+\.")


def short(message: str) -> str:
    """Messages name provider modules by their short names (``s3_bucket.S3Bucket``)."""
    return _PROVIDER_PREFIX.sub("", message)
