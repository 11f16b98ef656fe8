"""The engines one process keeps over a run of many texts (a batch worker, ``repair_record``).

Every text gets the engine of its target (``schema.target.Targets``: the project's pins, the
frameworks it imports, ``--target``) and of the bindings its project generates; each target's
schema is loaded once and each engine built once, all with the run's options.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cdktf_fix.engine.options import Options


class Engines:
    """A run's engines: one per target and set of generated bindings, with ``options``."""

    def __init__(self, options: Options, explicit: tuple[str, ...] = (), offline: bool = False) -> None:
        from cdktf_fix.schema.target import Targets

        self.options = options
        self.targets = Targets(explicit, offline)
        self._built: dict = {}

    def for_text(self, path: Path | None, imported: frozenset[str], generated: frozenset[str] | None = None, notice=lambda _text: None):
        """The engine for a text of ``path`` (None: a dataset record, of no project) that
        imports ``imported``, in a project that generates bindings for ``generated`` (None:
        the options' own); ``notice(text)`` hears what its target could not give."""
        from cdktf_fix.engine import Engine

        index = self.targets.index_for(path, None, imported, notice)
        key = (generated, id(index))
        engine = self._built.get(key)
        if engine is None:
            options = self.options if generated is None else replace(self.options, generated_bindings=generated)
            engine = self._built[key] = Engine(index, options)
        return engine
