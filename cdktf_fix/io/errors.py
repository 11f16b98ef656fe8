"""The errors of a batch, shared by its parts (``batch``, ``outputs``, ``workers``).

Each message is one line that says why; the CLI prints it as it is.
"""

from __future__ import annotations

import signal


class BatchError(Exception):
    """A batch that cannot start or cannot finish (bad paths or options, an output that cannot
    be written); the one-line message says why."""


class BatchInterrupted(BatchError):
    """The batch was stopped by a signal; the workers are gone and nothing was written."""

    def __init__(self, signum: int, outcome: str = "nothing was written") -> None:
        self.signum = signum
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        super().__init__(f"interrupted by {name}: {outcome}")
