"""The ``drift`` command (setup.cfg's console script) and ``python -m drift``: the CLI, with a Ctrl-C said in
one line from the first moment drift runs.

Importing the CLI (click and every command) takes about a tenth of a second; a Ctrl-C
meanwhile was a KeyboardInterrupt traceback out of the import, before any of the CLI's
handlers existed. Here the import runs inside ``run``, so an interrupt there ends as one
later on does: one ``Error: interrupted`` line and exit status 130. This module
imports nothing the interpreter has not loaded already: what runs before ``run``
(the interpreter's start, the console script's and the ``drift`` package's imports)
is Python's to report.
"""
from __future__ import annotations

import sys

#: drift.cli.common.EXIT_INTERRUPTED (128 + SIGINT), not imported from there: that module loads click.
EXIT_INTERRUPTED = 130


def run() -> None:
    """Run the CLI; exits with the command's status."""
    try:
        from drift.cli import main

        main(prog_name="drift")
    except SystemExit:
        raise
    except BaseException as error:  # a Ctrl-C while the CLI is imported (later, its own handlers say it so)
        from drift.errors import interrupted_by

        if not interrupted_by(error):
            raise
        if sys.stderr is not None:
            sys.stderr.write("Error: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":  # pragma: no branch
    run()
