"""Pairs the statements of a file's ``ast`` with those of its libcst tree (the fast path)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

class StatementMap:
    """Each ``ast`` statement's libcst statement node (a ``SimpleStatementLine`` holds several
    small statements; a one-line suite ``if x: a; b`` belongs to its compound statement), and the
    libcst statements a pass must visit to reach the flagged ones."""

    def __init__(self, module: cst.Module, tree: ast.Module) -> None:
        self.node_of: dict[int, cst.CSTNode] = {}
        self.parent: dict[int, cst.CSTNode | None] = {}
        self.statements_of: dict[int, list[ast.stmt]] = {}
        self._zip(module.body, tree.body, None)

    def _add(self, statement: ast.stmt, node: cst.CSTNode, parent: cst.CSTNode | None) -> None:
        self.node_of[id(statement)] = node
        self.parent.setdefault(id(node), parent)
        self.statements_of.setdefault(id(node), []).append(statement)

    def _zip(self, body, statements: list[ast.stmt], parent: cst.CSTNode | None) -> None:
        at = 0
        for node in body:
            if isinstance(node, cst.SimpleStatementLine):
                for statement in statements[at : at + len(node.body)]:
                    self._add(statement, node, parent)
                at += len(node.body)
                continue
            statement = statements[at]
            at += 1
            self._add(statement, node, parent)
            for suite, inner in _suites(node, statement):
                if isinstance(suite, cst.SimpleStatementSuite):
                    for small in inner:
                        self.node_of[id(small)] = node
                else:
                    self._zip(suite.body, inner, node)
        if at != len(statements):
            raise ValueError("libcst and ast statements do not pair up")

    def visit_set(self, flagged: list[ast.stmt]) -> set[int]:
        """ids of the libcst statements to visit: the flagged ones and the compound statements around them."""
        visit: set[int] = set()
        for statement in flagged:
            node = self.node_of.get(id(statement))
            while node is not None and id(node) not in visit:
                visit.add(id(node))
                node = self.parent.get(id(node))
        return visit


def _suites(node: cst.CSTNode, statement: ast.stmt):
    """(libcst suite, ast statements) pairs of a compound statement, in order."""
    if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.With)):
        yield node.body, statement.body
    elif isinstance(node, (cst.For, cst.While)):
        yield node.body, statement.body
        if node.orelse is not None:
            yield node.orelse.body, statement.orelse
    elif isinstance(node, cst.If):
        yield node.body, statement.body
        if isinstance(node.orelse, cst.If):  # elif: an If statement in the ast's orelse
            yield _Suite([node.orelse]), statement.orelse
        elif node.orelse is not None:
            yield node.orelse.body, statement.orelse
    elif isinstance(node, (cst.Try, cst.TryStar)):
        yield node.body, statement.body
        if len(node.handlers) != len(statement.handlers):
            raise ValueError("handlers do not pair up")
        for handler, ast_handler in zip(node.handlers, statement.handlers):
            yield handler.body, ast_handler.body
        if node.orelse is not None:
            yield node.orelse.body, statement.orelse
        if node.finalbody is not None:
            yield node.finalbody.body, statement.finalbody
    elif isinstance(node, cst.Match):
        for case, ast_case in zip(node.cases, statement.cases, strict=True):
            yield case.body, ast_case.body
    else:
        raise ValueError(f"unknown compound statement {type(node).__name__}")


@dataclass
class _Suite:
    body: list
