"""Real synth of projects, files and markdown responses, many samples per jsii process.

Importing the AWS provider costs most of a synth (node loads a 36 MB bundle), so samples
run in long-lived workers (``python -m cdktf_fix.verify.synth_worker``), one at a time each, every
one in a fresh temporary folder.  A sample that fails, hangs or kills its worker is reported
as such and a new worker takes the rest.  This package is the only code in cdktf-fix that runs
the code it checks.

Nothing outlives a run: all it writes is in one folder, ``cdktf-fix-verify-<pid>-*`` in the
temporary folder, removed at its end, also after Ctrl-C, SIGTERM or SIGHUP (which kill the
workers and their node first); a worker whose parent is killed (SIGKILL) kills itself and its
node kernel, and the next run removes the folders of runs whose pid is gone.

The modules, each with its rules:

- ``units``: what a unit is, how units are found (``discover_units``) and written into a
  folder with an entry to run (``materialize``, ``find_entry``);
- ``responses``: how a markdown response's Python blocks (and the other files it names) become
  named files;
- ``pool``: the run (``verify_units``): its threads, workers, signals and temporary folders;
- ``workers``: one synth worker as the run sees it; ``synth_worker``: the worker itself;
- ``arguments``: the arguments a generated entry passes to a stack that takes more than
  ``(scope, id)``, made up in the worker from the stack class's signature (``build_stacks``);
- ``results``: ``VerifyResult``, failure classes (``cdktf_fix/data/synth_errors.json``: every
  failure has one, ``unclassified`` when no pattern matches) and ``compare``.
"""

from cdktf_fix.verify.pool import LOADING, RUN_PREFIX, STARTUP_TIMEOUT, missing_synth_packages, remove_stale_folders, verify_units
from cdktf_fix.verify.responses import markdown_files, place_imported_modules, safe_relative_name, write_files
from cdktf_fix.verify.results import (
    DETAIL_CHARS,
    ERROR_CHARS,
    FALLBACK_CLASS,
    STATUSES,
    SYNTH_ERRORS,
    Comparison,
    VerifyResult,
    compare,
    failure_class,
    one_line_error,
)
from cdktf_fix.verify.units import (
    ENTRY_NAMES,
    GENERATED_ENTRY,
    MAX_COPIED_FILE,
    SKIP_DIRS,
    DoesNotParse,
    NoEntry,
    Unit,
    discover_units,
    find_entry,
    is_entry,
    materialize,
)
from cdktf_fix.verify.workers import WorkerFailed

__all__ = [
    "DETAIL_CHARS", "ENTRY_NAMES", "ERROR_CHARS", "FALLBACK_CLASS", "GENERATED_ENTRY", "LOADING", "MAX_COPIED_FILE", "RUN_PREFIX",
    "SKIP_DIRS", "STARTUP_TIMEOUT", "STATUSES", "SYNTH_ERRORS", "Comparison", "DoesNotParse", "NoEntry", "Unit",
    "VerifyResult", "WorkerFailed", "compare", "discover_units", "failure_class", "find_entry", "is_entry", "missing_synth_packages",
    "markdown_files", "materialize", "one_line_error", "place_imported_modules", "remove_stale_folders",
    "safe_relative_name", "verify_units", "write_files",
]
