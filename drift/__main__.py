"""``python -m drift``: the same as the ``drift`` command."""
from __future__ import annotations

from drift.cli import main

if __name__ == "__main__":  # pragma: no branch
    main(prog_name="drift")
